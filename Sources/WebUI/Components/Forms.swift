import Plot

/// One labelled form control. `name` is the posted field name, `id` the element id (derived from the name when
/// empty); `error` is shown under the control and wires `aria-invalid`/`aria-describedby`.
struct Field {
    var name: String
    var label: String
    var value: String = ""
    var id: String = ""
    var type: String = "text"
    var inputMode: String? = nil
    var autocomplete: String? = nil
    var placeholder: String? = nil
    var hint: String? = nil
    var error: String? = nil
    var isRequired: Bool = false
    var isReadOnly: Bool = false
    var extra: [Attr] = []

    var elementID: String { id.isEmpty ? Forms.id(for: name) : id }
    var hintID: String { elementID + "-hint" }
    var errorID: String { elementID + "-error" }
}

/// Form building blocks: every form posts, carries `_csrf`, and labels every control.
enum Forms {
    /// `<form method="post" action=… novalidate>` with the hidden `_csrf` field first. `novalidate`: the server
    /// validates and answers with Russian messages next to the fields, instead of the browser's own bubbles.
    static func post(_ action: String, csrf: String, attributes: [Attr] = [], _ children: [Body]) -> Body {
        let base: [Attr] = [.attr("method", "post"), .attr("action", action), .flag("novalidate")]
        return .el("form", base + attributes, [csrfField(csrf)] + children)
    }

    /// A GET form for filters (no CSRF: it changes nothing).
    static func get(_ action: String, attributes: [Attr] = [], _ children: [Body]) -> Body {
        return .el("form", [.attr("method", "get"), .attr("action", action)] + attributes, children)
    }

    static func csrfField(_ token: String) -> Body {
        return hidden("_csrf", token)
    }

    static func hidden(_ name: String, _ value: String) -> Body {
        return .void("input", [.attr("type", "hidden"), .attr("name", name), .attr("value", value)])
    }

    /// An element id from a field name: `items[0][hours]` → `f-items-0-hours`.
    static func id(for name: String) -> String {
        let mapped = name.map { $0.isLetter || $0.isNumber ? String($0) : "-" }.joined()
        let collapsed = mapped.split(separator: "-").joined(separator: "-")
        return "f-" + collapsed
    }

    /// Label, `<input>`, hint and error.
    static func input(_ field: Field) -> Body {
        var attributes: [Attr] = [
            .attr("type", field.type), .attr("name", field.name), .ident(field.elementID),
            .attr("value", field.value), .cls("input"),
        ]
        attributes += optional(field)
        return wrap(field, control: .void("input", attributes))
    }

    /// Label, `<textarea>`, hint and error.
    static func textArea(_ field: Field, rows: Int = 3) -> Body {
        var attributes: [Attr] = [
            .attr("name", field.name), .ident(field.elementID), .attr("rows", String(rows)),
            .cls("input"),
        ]
        attributes += optional(field)
        return wrap(field, control: .el("textarea", attributes, [.txt(field.value)]))
    }

    /// Label, `<select>`, hint and error. `field.value` selects the matching option.
    static func select(_ field: Field, options: [Choice], prompt: String? = nil) -> Body {
        var optionNodes: [Body] = []
        if let prompt { optionNodes.append(option(Choice(value: "", label: prompt), selected: field.value.isEmpty)) }
        optionNodes += options.map { option($0, selected: $0.value == field.value) }
        var attributes: [Attr] = [.attr("name", field.name), .ident(field.elementID), .cls("input")]
        attributes += optional(field)
        return wrap(field, control: .el("select", attributes, optionNodes))
    }

    static func option(_ choice: Choice, selected: Bool, extra: [Attr] = []) -> Body {
        return .el("option", [.attr("value", choice.value), .flag("selected", selected)] + extra, text: choice.label)
    }

    /// A checkbox with its label to the right.
    static func checkbox(
        name: String, value: String = "true", label: String, checked: Bool, id: String = "",
        hint: String? = nil, extra: [Attr] = []
    ) -> Body {
        let elementID = id.isEmpty ? self.id(for: name) : id
        let box: Body = .void(
            "input",
            [
                .attr("type", "checkbox"), .attr("name", name), .attr("value", value), .ident(elementID),
                .flag("checked", checked), .cls("checkbox__input"),
            ] + extra)
        var labelChildren: [Body] = [.span(cls: "checkbox__text", label)]
        if let hint { labelChildren.append(.span(cls: "checkbox__hint", hint)) }
        return .div(
            cls: "checkbox", [box, .el("label", [.attr("for", elementID), .cls("checkbox__label")], labelChildren)])
    }

    /// A submit button.
    static func submit(_ title: String, cls: String = "button button--primary", extra: [Attr] = []) -> Body {
        return .el("button", [.attr("type", "submit"), .cls(cls)] + extra, text: title)
    }

    /// The red box at the top of a form: a general message and a count of field errors.
    static func errorSummary(_ message: String?, errors: FormErrors) -> Body {
        guard message != nil || !errors.isEmpty else { return .empty }
        var children: [Body] = []
        if let message { children.append(.para(message)) }
        if !errors.isEmpty {
            children.append(
                .para(
                    "Проверьте поля, отмеченные ниже: "
                        + RussianFormat.counted(
                            errors.count, "ошибка", "ошибки", "ошибок") + "."))
        }
        return .el(
            "div",
            [
                .cls("form-errors"), .attr("role", "alert"), .attr("tabindex", "-1"),
                .attr("data-error-summary", ""),
            ], children)
    }

    /// A titled group of fields.
    static func section(_ title: String, _ children: [Body], cls: String = "") -> Body {
        let classes = cls.isEmpty ? "form-section" : "form-section " + cls
        return .el("fieldset", [.cls(classes)], [.el("legend", [], text: title)] + children)
    }

    /// Buttons at the bottom of a form.
    static func actions(_ children: [Body]) -> Body {
        return .div(cls: "form-actions", children)
    }

    // MARK: - Private

    private static func optional(_ field: Field) -> [Attr] {
        var attributes: [Attr] = []
        if let mode = field.inputMode { attributes.append(.attr("inputmode", mode)) }
        // Business data: browsers should not suggest earlier entries unless a field says otherwise.
        attributes.append(.attr("autocomplete", field.autocomplete ?? "off"))
        if let placeholder = field.placeholder { attributes.append(.attr("placeholder", placeholder)) }
        if field.isRequired { attributes.append(.flag("required")) }
        if field.isReadOnly { attributes.append(.flag("readonly")) }
        var described: [String] = []
        if field.hint != nil { described.append(field.hintID) }
        if field.error != nil {
            described.append(field.errorID)
            attributes.append(.attr("aria-invalid", "true"))
        }
        if !described.isEmpty { attributes.append(.attr("aria-describedby", described.joined(separator: " "))) }
        return attributes + field.extra
    }

    private static func wrap(_ field: Field, control: Body) -> Body {
        var children: [Body] = [label(field), control]
        if let hint = field.hint {
            children.append(.el("p", [.ident(field.hintID), .cls("field__hint")], text: hint))
        }
        if let error = field.error {
            children.append(.el("p", [.ident(field.errorID), .cls("field__error")], text: error))
        }
        return .div(cls: field.error == nil ? "field" : "field has-error", children)
    }

    private static func label(_ field: Field) -> Body {
        var children: [Body] = [.txt(field.label)]
        if field.isRequired {
            children.append(.el("span", [.cls("required"), .attr("aria-hidden", "true")], text: " *"))
        }
        return .el("label", [.attr("for", field.elementID), .cls("field__label")], children)
    }
}

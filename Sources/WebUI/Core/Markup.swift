import Plot

// A thin layer over Plot with one element context.
//
// Why not Plot's typed elements everywhere: Plot gives every element its own context (`FormContext`, `LabelContext`,
// `SelectContext`, …) and `Node<FormContext>` is not a `Node<BodyContext>`, so small reusable functions returning
// `Node<HTML.BodyContext>` could not be composed into forms and labels. Plot also lacks `optgroup`, `dialog`,
// `template`, `svg` and `<option>` with text content.
//
// Why our own escaping: Plot writes attribute values verbatim (a `"` in data would end the attribute) and its `.text`
// keeps entity-like sequences such as `&amp;` as they are (a textarea would turn `&amp;` into `&` on the next save).
// Everything that comes from data goes through `Escape.html`, via `.txt(...)` and `.attr(...)`.

typealias Body = Node<HTML.BodyContext>
typealias Attr = Attribute<HTML.BodyContext>

/// HTML escaping for text and attribute values.
public enum Escape {
    /// Escapes `&`, `<`, `>`, `"` and `'`.
    public static func html(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}

extension Attribute where Context == HTML.BodyContext {
    /// An attribute with an escaped value. It is rendered even when the value is empty (`value=""` matters).
    static func attr(_ name: String, _ value: String) -> Attr {
        return Attr(name: name, value: Escape.html(value), replaceExisting: true, ignoreIfValueIsEmpty: false)
    }

    /// A boolean attribute (`required`, `checked`, `hidden`…), omitted when `isOn` is false.
    static func flag(_ name: String, _ isOn: Bool = true) -> Attr {
        guard isOn else { return .empty }
        return Attr(name: name, value: nil, replaceExisting: true, ignoreIfValueIsEmpty: false)
    }

    static func cls(_ value: String) -> Attr {
        return .attr("class", value)
    }

    static func ident(_ value: String) -> Attr {
        return .attr("id", value)
    }

    static func link(_ url: String) -> Attr {
        return .attr("href", url)
    }
}

extension Node where Context == HTML.BodyContext {
    /// Any element with attributes and children.
    static func el(_ name: String, _ attributes: [Attr] = [], _ children: [Body] = []) -> Body {
        let attributeNodes: [Body] = attributes.map { Body.attribute($0) }
        return .element(named: name, nodes: attributeNodes + children)
    }

    /// An element whose only child is escaped text.
    static func el(_ name: String, _ attributes: [Attr] = [], text: String) -> Body {
        return .el(name, attributes, [.txt(text)])
    }

    /// A void element (`input`, `img`, `br`…).
    static func void(_ name: String, _ attributes: [Attr]) -> Body {
        return .selfClosedElement(named: name, attributes: attributes)
    }

    /// Escaped text.
    static func txt(_ text: String) -> Body {
        return .raw(Escape.html(text))
    }

    static func div(cls: String, _ children: [Body]) -> Body {
        return .el("div", [.cls(cls)], children)
    }

    static func span(cls: String, _ text: String) -> Body {
        return .el("span", [.cls(cls)], text: text)
    }

    static func para(_ text: String, cls: String = "") -> Body {
        return .el("p", cls.isEmpty ? [] : [.cls(cls)], text: text)
    }

    static func heading(_ level: Int, _ text: String, cls: String = "") -> Body {
        return .el("h\(level)", cls.isEmpty ? [] : [.cls(cls)], text: text)
    }

    /// A link with text.
    static func anchor(_ url: String, _ text: String, cls: String = "") -> Body {
        var attributes: [Attr] = [.link(url)]
        if !cls.isEmpty { attributes.append(.cls(cls)) }
        return .el("a", attributes, text: text)
    }

    /// Children only, no wrapper element.
    static func fragment(_ children: [Body]) -> Body {
        return .group(children)
    }
}

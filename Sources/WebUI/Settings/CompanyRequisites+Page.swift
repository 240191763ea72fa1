import Plot

/// «Реквизиты компании»: the seller, bank and signatures printed on invoices. Read-only unless `canEdit`.
public struct CompanyRequisitesPage: WebPage {
    public let model: CompanyRequisitesModel

    public init(model: CompanyRequisitesModel) {
        self.model = model
    }

    /// «Без НДС», 0 %, 10 %, 20 % — and the stored rate when the API set another one, so it is not lost.
    var vatChoices: [Choice] {
        var choices =
            [Choice(value: "none", label: "Без НДС")] + ["0", "10", "20"].map { Choice(value: $0, label: $0 + " %") }
        let current = model.values.vat
        if !current.isEmpty, !choices.contains(where: { $0.value == current }) {
            choices.append(Choice(value: current, label: current + " %"))
        }
        return choices
    }

    public func html() -> HTML {
        var children: [Body] = [Forms.errorSummary(model.formError, errors: model.errors)]
        if !model.canEdit {
            children.append(.para("Реквизиты меняет администратор.", cls: "muted"))
        }
        children += [
            Forms.section(
                "Организация",
                [
                    input("name", "Название", autocomplete: "organization"),
                    input("inn", "ИНН", inputMode: "numeric", hint: "10 цифр (ИП — 12)"),
                    input("kpp", "КПП", inputMode: "numeric"),
                    input("ogrn", "ОГРН", inputMode: "numeric", hint: "13 цифр (ОГРНИП — 15)"),
                    input("address", "Адрес"),
                    input("phone", "Телефон", type: "tel", autocomplete: "tel"),
                    input("email", "E-mail", type: "email", autocomplete: "email"),
                ]),
            Forms.section(
                "Банк",
                [
                    input("bank_name", "Банк"),
                    input("bik", "БИК", inputMode: "numeric", hint: "9 цифр"),
                    input("account", "Расчётный счёт", inputMode: "numeric", hint: "20 цифр"),
                    input("correspondent_account", "Корр. счёт", inputMode: "numeric", hint: "20 цифр"),
                ]),
            Forms.section(
                "Подписи и налог",
                [
                    input("director", "Руководитель"),
                    input("accountant", "Главный бухгалтер"),
                    Forms.select(field("vat", "НДС", hint: "Ставка, которая уже входит в цены"), options: vatChoices),
                ]),
        ]
        let content: Body
        if model.canEdit {
            content = Forms.post(
                Paths.companyRequisites(), csrf: model.context.csrfToken, attributes: [.cls("stack")],
                children + [Forms.actions([Forms.submit("Сохранить")])])
        } else {
            // Disabled controls: the values are shown, nothing is posted.
            content = .el("fieldset", [.cls("stack read-only"), .flag("disabled")], children)
        }
        return Layout.page(
            title: "Реквизиты компании", section: .profile, context: model.context,
            back: Paths.profile(), content: [Components.card([content], cls: "card--narrow")])
    }

    func field(
        _ name: String, _ label: String, type: String = "text", inputMode: String? = nil,
        autocomplete: String? = nil, hint: String? = nil
    ) -> Field {
        return Field(
            name: name, label: label, value: model.values[field: name], type: type, inputMode: inputMode,
            autocomplete: autocomplete ?? "off", hint: hint, error: model.errors[name],
            isReadOnly: !model.canEdit)
    }

    func input(
        _ name: String, _ label: String, type: String = "text", inputMode: String? = nil,
        autocomplete: String? = nil, hint: String? = nil
    ) -> Body {
        return Forms.input(field(name, label, type: type, inputMode: inputMode, autocomplete: autocomplete, hint: hint))
    }
}

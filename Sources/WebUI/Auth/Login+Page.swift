import Plot

/// «Вход в систему».
public struct LoginPage: WebPage {
    public let model: LoginModel

    public init(model: LoginModel) {
        self.model = model
    }

    public func html() -> HTML {
        return Layout.page(
            title: "Вход в систему", section: .none, context: model.context,
            content: [
                Components.card(
                    [
                        .para("Введите телефон и пароль для входа.", cls: "muted"),
                        form(),
                    ]
                        + (model.canRegister
                            ? [
                                .el(
                                    "p", [.cls("muted")],
                                    [.txt("Нет учётной записи? "), .anchor(Paths.register(), "Зарегистрироваться")])
                            ] : []),
                    cls: "card--narrow")
            ])
    }

    func form() -> Body {
        var children: [Body] = []
        if let error = model.error {
            children.append(.el("div", [.cls("form-errors"), .attr("role", "alert")], [.para(error)]))
        }
        if let next = model.next, !next.isEmpty {
            children.append(Forms.hidden("next", next))
        }
        children += [
            Forms.input(
                Field(
                    name: "phone", label: "Телефон", value: model.phone, type: "tel", inputMode: "tel",
                    autocomplete: "username", placeholder: "+79991234567", isRequired: true)),
            Forms.input(
                Field(
                    name: "password", label: "Пароль", type: "password", autocomplete: "current-password",
                    placeholder: "Введите пароль", isRequired: true)),
            Forms.actions([Forms.submit("Войти", cls: "button button--primary button--wide")]),
        ]
        return Forms.post(Paths.login(), csrf: model.context.csrfToken, attributes: [.cls("stack")], children)
    }
}

import Plot

/// «Регистрация оператора»: the request for an operator account.
public struct RegisterPage: WebPage {
    public let model: RegisterModel

    public init(model: RegisterModel) {
        self.model = model
    }

    public func html() -> HTML {
        let body: [Body] = [
            .para("Укажите свои данные, чтобы получить доступ в систему.", cls: "muted"),
            form(),
            .el("p", [.cls("muted")], [.txt("Уже есть аккаунт? "), .anchor(Paths.login(), "Войти")]),
        ]
        return Layout.page(
            title: "Регистрация оператора", section: .none, context: model.context,
            content: [
                Components.card(body, cls: "card--narrow")
            ])
    }

    func form() -> Body {
        let v = model.values
        let e = model.errors
        let children: [Body] = [
            Forms.errorSummary(model.formError, errors: e),
            Forms.input(
                Field(
                    name: "first_name", label: "Имя", value: v.firstName, autocomplete: "given-name",
                    placeholder: "Иван", error: e["first_name"], isRequired: true)),
            Forms.input(
                Field(
                    name: "last_name", label: "Фамилия", value: v.lastName, autocomplete: "family-name",
                    placeholder: "Петров", error: e["last_name"], isRequired: true)),
            Forms.input(
                Field(
                    name: "phone", label: "Телефон", value: v.phone, type: "tel", inputMode: "tel",
                    autocomplete: "username", placeholder: "+79991234567", error: e["phone"],
                    isRequired: true)),
            Forms.input(
                Field(
                    name: "password", label: "Пароль", type: "password", autocomplete: "new-password",
                    placeholder: "Минимум \(model.minPasswordLength) символов",
                    hint: "Не менее \(model.minPasswordLength) символов, не только цифры",
                    error: e["password"], isRequired: true)),
            Forms.input(
                Field(
                    name: "password_confirm", label: "Подтверждение пароля", type: "password",
                    autocomplete: "new-password", placeholder: "Повторите пароль",
                    error: e["password_confirm"], isRequired: true)),
            Forms.actions([Forms.submit("Зарегистрироваться", cls: "button button--primary button--wide")]),
        ]
        return Forms.post(Paths.register(), csrf: model.context.csrfToken, attributes: [.cls("stack")], children)
    }
}

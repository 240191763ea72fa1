import Domain
import Plot

/// «Пользователи».
public struct UserListPage: WebPage {
    public let model: UserListModel

    public init(model: UserListModel) {
        self.model = model
    }

    public func html() -> HTML {
        let actions = [Components.buttonLink(Paths.newUser(), "+ Добавить пользователя", cls: "button button--primary")]
        return Layout.page(
            title: "Пользователи", section: .users, context: model.context, actions: actions,
            content: [
                Forms.get(
                    Paths.users(), attributes: [.cls("filter-bar"), .attr("role", "search")],
                    [
                        Forms.input(
                            Field(
                                name: "q", label: "Поиск", value: model.q, type: "search", inputMode: "search",
                                autocomplete: "off", placeholder: "Имя или телефон")),
                        .div(cls: "filter-bar__buttons", [Forms.submit("Найти", cls: "button")]),
                    ]),
                results(),
            ])
    }

    func results() -> Body {
        guard !model.rows.isEmpty else { return Components.empty("Пользователи не найдены.") }
        return Components.table(
            headers: ["Имя", "Телефон", "Роль", "Статус", "Действия"], rows: model.rows.map(cells),
            caption: "Пользователи")
    }

    func cells(_ row: UserListModel.Row) -> [Components.Cell] {
        var name: [Body] = [.txt(row.fullName)]
        if !row.email.isEmpty { name.append(.span(cls: "cell-note", row.email)) }
        return [
            Components.Cell("Имя", name, cls: "cell-title"),
            Components.Cell("Телефон", [.anchor("tel:" + row.phone, row.phone)]),
            Components.Cell("Роль", text: row.role.title),
            Components.Cell(
                "Статус",
                [
                    row.isActive
                        ? Components.chip("Активен", tone: "ok")
                        : Components.chip("Заблокирован", tone: "muted")
                ]),
            Components.Cell(
                "Действия",
                [
                    Components.buttonLink(Paths.editUser(row.id), "Изменить", cls: "button button--small button--ghost")
                ], cls: "cell-actions"),
        ]
    }
}

/// «Новый пользователь» / «Редактирование пользователя».
public struct UserFormPage: WebPage {
    public let model: UserFormModel

    public init(model: UserFormModel) {
        self.model = model
    }

    var values: UserFormModel.Values { model.values }
    var isNew: Bool { model.id == nil }

    public func html() -> HTML {
        let title = isNew ? "Новый пользователь" : "Редактирование пользователя"
        let action = model.id.map(Paths.editUser) ?? Paths.newUser()
        let form = Forms.post(
            action, csrf: model.context.csrfToken, attributes: [.cls("stack")],
            [Forms.errorSummary(model.formError, errors: model.errors)] + fields() + [
                Forms.actions([
                    Forms.submit("Сохранить"),
                    Components.buttonLink(Paths.users(), "Отмена", cls: "button button--ghost"),
                ])
            ])
        return Layout.page(
            title: title, section: .users, context: model.context, back: Paths.users(),
            content: [Components.card([form], cls: "card--narrow")])
    }

    func fields() -> [Body] {
        let roles = Role.allCases.map { Choice(value: $0.rawValue, label: $0.title) }
        return [
            .div(
                cls: "grid-2",
                [
                    Forms.input(field("first_name", "Имя", values.firstName, required: true, autocomplete: "off")),
                    Forms.input(field("last_name", "Фамилия", values.lastName, required: true, autocomplete: "off")),
                ]),
            Forms.input(
                field(
                    "phone", "Телефон (логин)", values.phone, type: "tel", inputMode: "tel", required: true,
                    autocomplete: "off", placeholder: "+79991234567")),
            Forms.input(field("email", "Email", values.email, type: "email", inputMode: "email", autocomplete: "off")),
            Forms.select(
                field("role", "Роль", values.role.rawValue, required: true, autocomplete: "off"),
                options: roles),
            Forms.checkbox(
                name: "is_active", label: "Активен", checked: values.isActive,
                hint: "Заблокированный пользователь не может войти"),
            Forms.input(passwordField()),
        ]
    }

    func passwordField() -> Field {
        let minimum = "Минимум " + RussianFormat.counted(model.minPasswordLength, "символ", "символа", "символов")
        var result = field(
            "password", isNew ? "Пароль" : "Новый пароль (сброс)", "", type: "password",
            required: isNew, autocomplete: "new-password")
        result.hint = isNew ? minimum : "Оставьте пустым, чтобы не менять. " + minimum
        return result
    }

    func field(
        _ name: String, _ label: String, _ value: String, type: String = "text", inputMode: String? = nil,
        required: Bool = false, autocomplete: String, placeholder: String? = nil
    ) -> Field {
        return Field(
            name: name, label: label, value: value, type: type, inputMode: inputMode,
            autocomplete: autocomplete, placeholder: placeholder, error: model.errors[name],
            isRequired: required)
    }
}

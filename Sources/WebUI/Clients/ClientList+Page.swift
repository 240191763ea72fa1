import Plot

/// «Клиенты»: search and list.
public struct ClientListPage: WebPage {
    public let model: ClientListModel

    public init(model: ClientListModel) {
        self.model = model
    }

    public func html() -> HTML {
        let actions: [Body] =
            model.canEdit
            ? [
                Components.buttonLink(Paths.newClient(), "+ Добавить клиента", cls: "button button--primary"),
                Components.buttonLink(Paths.importTable(.clients), "Импорт", cls: "button button--ghost"),
            ] : []
        return Layout.page(
            title: "Клиенты", section: .clients, context: model.context, actions: actions,
            content: [
                Forms.get(
                    Paths.clients(), attributes: [.cls("filter-bar"), .attr("role", "search")],
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
        guard !model.rows.isEmpty else { return Components.empty("Клиенты не найдены.") }
        var headers = ["Клиент", "Телефон", "Email", "Адрес"]
        if model.canEdit { headers.append("Действия") }
        return Components.table(headers: headers, rows: model.rows.map(cells), caption: "Клиенты")
    }

    func cells(_ row: ClientListModel.Row) -> [Components.Cell] {
        var name: [Body] = [.anchor(Paths.client(row.id), row.name, cls: "strong-link")]
        if !row.contactPerson.isEmpty { name.append(.span(cls: "cell-note", row.contactPerson)) }
        var cells = [
            Components.Cell("Клиент", name, cls: "cell-title"),
            Components.Cell("Телефон", [.anchor("tel:" + row.phone, row.phone)]),
            Components.Cell("Email", text: row.email.isEmpty ? "—" : row.email),
            Components.Cell("Адрес", text: row.address.isEmpty ? "—" : row.address),
        ]
        if model.canEdit {
            cells.append(
                Components.Cell(
                    "Действия",
                    [
                        Components.buttonLink(
                            Paths.editClient(row.id), "Изменить", cls: "button button--small button--ghost"),
                        Forms.post(
                            Paths.clientActive(row.id), csrf: model.context.csrfToken,
                            attributes: [
                                .cls("inline-form"),
                                .attr(
                                    "data-confirm",
                                    "Деактивировать клиента «" + row.name + "»? Он пропадёт из выбора в заявках."),
                            ],
                            [
                                Forms.hidden("active", "false"),
                                Forms.submit("Деактивировать", cls: "button button--small button--ghost"),
                            ]),
                    ], cls: "cell-actions"))
        }
        return cells
    }
}

/// «Новый клиент» / «Редактирование клиента».
public struct ClientFormPage: WebPage {
    public let model: ClientFormModel

    public init(model: ClientFormModel) {
        self.model = model
    }

    var values: ClientFormModel.Values { model.values }

    public func html() -> HTML {
        let title = model.id == nil ? "Новый клиент" : "Редактирование клиента"
        let action = model.id.map(Paths.editClient) ?? Paths.newClient()
        let form = Forms.post(
            action, csrf: model.context.csrfToken, attributes: [.cls("stack")],
            [Forms.errorSummary(model.formError, errors: model.errors)] + fields() + [
                Forms.actions([
                    Forms.submit("Сохранить"),
                    Components.buttonLink(cancelPath, "Отмена", cls: "button button--ghost"),
                ])
            ])
        return Layout.page(
            title: title, section: .clients, context: model.context, back: cancelPath,
            content: [Components.card([form], cls: "card--narrow")])
    }

    /// Back to the client card («Акт сверки» is there), or to the list for a new client.
    var cancelPath: String { model.id.map { Paths.client($0) } ?? Paths.clients() }

    func fields() -> [Body] {
        return [
            Forms.input(
                field(
                    "name", "Имя или название компании", values.name, required: true,
                    autocomplete: "organization")),
            Forms.input(field("contact_person", "Контактное лицо", values.contactPerson, autocomplete: "name")),
            Forms.input(
                field(
                    "phone", "Телефон", values.phone, type: "tel", inputMode: "tel", required: true,
                    autocomplete: "tel", placeholder: "+79991234567")),
            Forms.input(
                field(
                    "email", "Email", values.email, type: "email", inputMode: "email",
                    autocomplete: "email")),
            Forms.textArea(field("address", "Адрес", values.address, autocomplete: "street-address"), rows: 2),
            Forms.input(field("inn", "ИНН", values.inn, inputMode: "numeric", autocomplete: "off")),
            Forms.textArea(field("notes", "Заметки", values.notes, autocomplete: "off"), rows: 3),
        ]
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

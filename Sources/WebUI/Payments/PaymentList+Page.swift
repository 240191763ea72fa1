import Domain
import Plot

/// «Платежи»: the client, method and period filter, a sortable table (cards on phones), paging, export.
public struct PaymentListPage: WebPage {
    public let model: PaymentListModel

    public init(model: PaymentListModel) {
        self.model = model
    }

    var filter: PaymentListModel.Filter { model.filter }

    public func html() -> HTML {
        let actions =
            [
                Components.buttonLink(
                    Paths.newPayment(client: filter.client), "+ Новый платёж", cls: "button button--primary")
            ]
            + MoneyLists.exportLinks { filter.url(export: $0) }
        return Layout.page(
            title: "Платежи", section: .payments, context: model.context, actions: actions,
            content: [
                filterForm(),
                .para("Найдено: " + RussianFormat.integer(model.totalCount), cls: "muted"),
                results(),
                Components.pager(page: model.page, totalPages: model.totalPages) { filter.url(page: $0) },
            ])
    }

    func filterForm() -> Body {
        var children: [Body] = []
        if !filter.sort.isEmpty { children.append(Forms.hidden("sort", filter.sort)) }
        children += [
            Forms.select(
                Field(name: "client", label: "Клиент", value: filter.client), options: model.clients,
                prompt: "Все клиенты"),
            Forms.select(
                Field(name: "method", label: "Способ", value: filter.method),
                options: MoneyLists.methodChoices(including: filter.method), prompt: "Все способы"),
            .div(
                cls: "filter-bar__dates",
                [
                    Forms.input(
                        Field(name: "from", label: "Оплачен с", value: filter.from, type: "date", autocomplete: "off")),
                    Forms.input(
                        Field(name: "to", label: "Оплачен по", value: filter.to, type: "date", autocomplete: "off")),
                ]),
            .div(
                cls: "filter-bar__buttons",
                [
                    Forms.submit("Показать", cls: "button"),
                    Components.buttonLink(Paths.payments(), "Сбросить", cls: "button button--ghost"),
                ]),
        ]
        return Forms.get(Paths.payments(), attributes: [.cls("filter-bar"), .attr("role", "search")], children)
    }

    func results() -> Body {
        guard !model.rows.isEmpty else { return Components.empty("Платежей не найдено.") }
        let columns: [MoneyLists.Column] = [
            .init(title: "Дата", key: "paid_at"), .init(title: "Клиент", key: "client"),
            .init(title: "Счёт / заявка", key: nil), .init(title: "Сумма", key: "amount"),
            .init(title: "Способ", key: "method"), .init(title: "Комментарий", key: nil),
            .init(title: "Внёс", key: nil), .init(title: "Действия", key: nil),
        ]
        return MoneyLists.table(
            columns: columns, sort: filter.sort, rows: model.rows.map(cells), caption: "Платежи"
        ) { filter.url(sort: $0) }
    }

    func cells(_ row: PaymentListModel.Row) -> [Components.Cell] {
        let timeZone = model.context.timeZone
        let client: Body =
            row.clientID.map { id in .anchor(Paths.client(id), row.clientName ?? "Клиент") }
            ?? .txt("Клиент не указан")
        var document: [Body] = []
        if let id = row.invoiceID, let number = row.invoiceNumber {
            document.append(.anchor(Paths.invoice(id), "Счёт " + number))
            document.append(.txt(" · "))
        }
        document.append(.anchor(Paths.order(row.orderID), "Заявка " + row.orderNumber))
        var amount: [Body] = [.txt(RussianFormat.money(row.amount))]
        if row.status != .success { amount.append(.span(cls: "cell-note", row.status.title)) }
        if row.advance > 0 {
            amount.append(.span(cls: "chip chip--ok", "Аванс"))
            amount.append(.span(cls: "cell-note", "переплата по заявке " + RussianFormat.money(row.advance)))
        }
        return [
            Components.Cell(
                "Дата",
                [
                    .anchor(
                        Paths.editPayment(row.id), row.paidAt.map { RussianFormat.date($0, in: timeZone) } ?? "—",
                        cls: "strong-link")
                ], cls: "cell-title"),
            Components.Cell("Клиент", [client]),
            Components.Cell("Счёт / заявка", document),
            Components.Cell("Сумма", amount, cls: "num"),
            Components.Cell("Способ", text: MoneyLists.methodTitle(row.method)),
            Components.Cell("Комментарий", text: row.comment.isEmpty ? "—" : row.comment),
            Components.Cell("Внёс", text: row.recordedBy.isEmpty ? "—" : row.recordedBy),
            Components.Cell(
                "Действия",
                [
                    Components.buttonLink(
                        Paths.editPayment(row.id), "Изменить", cls: "button button--small button--ghost"),
                    Forms.post(
                        Paths.deletePayment(row.id), csrf: model.context.csrfToken,
                        attributes: [.cls("inline-form"), .attr("data-confirm", "Удалить платёж?")],
                        [Forms.submit("Удалить", cls: "button button--small button--ghost")]),
                ], cls: "cell-actions"),
        ]
    }
}

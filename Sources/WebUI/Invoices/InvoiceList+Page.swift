import Domain
import Plot

/// «Счета»: status chips, the client and period filter, a sortable table (cards on phones), paging, export.
public struct InvoiceListPage: WebPage {
    public let model: InvoiceListModel

    public init(model: InvoiceListModel) {
        self.model = model
    }

    var filter: InvoiceListModel.Filter { model.filter }

    public func html() -> HTML {
        return Layout.page(
            title: "Счета", section: .invoices, context: model.context,
            actions: MoneyLists.exportLinks { filter.url(export: $0) },
            content: [
                stateChips(),
                filterForm(),
                .para("Найдено: " + RussianFormat.integer(model.totalCount), cls: "muted"),
                results(),
                Components.pager(page: model.page, totalPages: model.totalPages) { filter.url(page: $0) },
            ])
    }

    func stateChips() -> Body {
        let states: [InvoiceState?] = [nil] + InvoiceState.allCases.map(Optional.some)
        let chips: [Body] = states.map { state in
            var copy = filter
            copy.state = state
            let isActive = filter.state == state
            var attributes: [Attr] = [
                .link(copy.url()),
                .cls("filter-chip filter-chip--" + InvoiceChips.tone(state) + (isActive ? " is-active" : "")),
            ]
            if isActive { attributes.append(.attr("aria-current", "true")) }
            return .el("a", attributes, [.span(cls: "filter-chip__dot", ""), .txt(state?.title ?? "Все")])
        }
        return .el("nav", [.cls("status-filter"), .attr("aria-label", "Фильтр по статусу")], chips)
    }

    func filterForm() -> Body {
        var children: [Body] = []
        if let state = filter.state { children.append(Forms.hidden("status", state.rawValue)) }
        if !filter.sort.isEmpty { children.append(Forms.hidden("sort", filter.sort)) }
        children += [
            Forms.select(
                Field(name: "client", label: "Клиент", value: filter.client), options: model.clients,
                prompt: "Все клиенты"),
            .div(
                cls: "filter-bar__dates",
                [
                    Forms.input(
                        Field(name: "from", label: "Выставлен с", value: filter.from, type: "date", autocomplete: "off")
                    ),
                    Forms.input(
                        Field(name: "to", label: "Выставлен по", value: filter.to, type: "date", autocomplete: "off")),
                ]),
            .div(
                cls: "filter-bar__buttons",
                [
                    Forms.submit("Показать", cls: "button"),
                    Components.buttonLink(Paths.invoices(), "Сбросить", cls: "button button--ghost"),
                ]),
        ]
        return Forms.get(Paths.invoices(), attributes: [.cls("filter-bar"), .attr("role", "search")], children)
    }

    func results() -> Body {
        guard !model.rows.isEmpty else { return Components.empty("Счетов не найдено.") }
        let columns: [MoneyLists.Column] = [
            .init(title: "Счёт", key: "number"), .init(title: "Статус", key: nil),
            .init(title: "Клиент", key: "client"), .init(title: "Заявка", key: nil),
            .init(title: "Выставлен", key: "issued_at"), .init(title: "Сумма", key: "amount"),
            .init(title: "Оплачено", key: nil), .init(title: "Оплатить до", key: "due_date"),
        ]
        return MoneyLists.table(
            columns: columns, sort: filter.sort, rows: model.rows.map(cells), caption: "Счета"
        ) { filter.url(sort: $0) }
    }

    func cells(_ row: InvoiceListModel.Row) -> [Components.Cell] {
        let timeZone = model.context.timeZone
        let client: Body =
            row.clientID.map { id in .anchor(Paths.client(id), row.clientName ?? "Клиент") }
            ?? .txt("Клиент не указан")
        return [
            Components.Cell(
                "Счёт", [.anchor(Paths.invoice(row.id), "Счёт " + row.number, cls: "strong-link")], cls: "cell-title"),
            Components.Cell("Статус", [InvoiceChips.chip(row.state)]),
            Components.Cell("Клиент", [client]),
            Components.Cell("Заявка", [.anchor(Paths.order(row.orderID), "Заявка " + row.orderNumber)]),
            Components.Cell("Выставлен", text: RussianFormat.date(row.issuedAt, in: timeZone)),
            Components.Cell("Сумма", text: RussianFormat.money(row.amount), cls: "num"),
            Components.Cell("Оплачено", text: RussianFormat.money(row.paid), cls: "num"),
            Components.Cell("Оплатить до", text: InvoiceChips.day(row.dueDate)),
        ]
    }
}

/// The invoice status chip and the due day, shared by the list and the invoice page.
enum InvoiceChips {
    static func tone(_ state: InvoiceState?) -> String {
        switch state {
        case nil: "all"
        case .issued: "created"
        case .partial: "in-progress"
        case .paid: "completed"
        case .overdue: "cancelled"
        }
    }

    static func chip(_ state: InvoiceState) -> Body {
        return .span(cls: "chip chip--" + tone(state), state.title)
    }

    /// `2025-03-31` → «31.03.2025»; «—» without a due day.
    static func day(_ raw: String?) -> String {
        guard let raw, raw.count >= 10 else { return "—" }
        let parts = raw.prefix(10).split(separator: "-")
        guard parts.count == 3 else { return raw }
        return parts[2] + "." + parts[1] + "." + parts[0]
    }
}

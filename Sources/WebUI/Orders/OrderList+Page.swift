import Domain
import Plot

/// «Заявки»: status chips, date range, search, a table on desktop that becomes cards on phones, paging.
public struct OrderListPage: WebPage {
    public let model: OrderListModel

    public init(model: OrderListModel) {
        self.model = model
    }

    var role: Role { model.context.role ?? .operator }
    var canCreate: Bool { role == .admin || role == .manager }
    var showTotals: Bool { role != .operator }
    var filter: OrderListModel.Filter { model.filter }

    public func html() -> HTML {
        let actions: [Body] =
            canCreate
            ? [Components.buttonLink(Paths.newOrder(), "+ Создать заявку", cls: "button button--primary")] : []
        return Layout.page(
            title: "Заявки", section: .orders, context: model.context, actions: actions,
            content: [
                statusChips(),
                searchForm(),
                .para("Найдено: " + RussianFormat.integer(model.totalCount), cls: "muted"),
                results(),
                Components.pager(page: model.page, totalPages: model.totalPages) { page in
                    Paths.orders(status: filter.status, from: filter.from, to: filter.to, q: filter.q, page: page)
                },
                canCreate
                    ? .el(
                        "a", [.cls("fab"), .link(Paths.newOrder()), .attr("aria-label", "Создать заявку")],
                        text: "+") : .empty,
            ])
    }

    static let chipStatuses: [OrderStatus] = OrderStatus.allCases.filter { $0 != .draft }

    func statusChips() -> Body {
        let all = chipLink(title: "Все", status: nil, cls: "all")
        let chips = Self.chipStatuses.map { status in
            chipLink(title: status.title, status: status, cls: Components.statusClass(status))
        }
        return .el("nav", [.cls("status-filter"), .attr("aria-label", "Фильтр по статусу")], [all] + chips)
    }

    func chipLink(title: String, status: OrderStatus?, cls: String) -> Body {
        let isActive = filter.status == status
        var attributes: [Attr] = [
            .link(Paths.orders(status: status, from: filter.from, to: filter.to, q: filter.q)),
            .cls("filter-chip filter-chip--" + cls + (isActive ? " is-active" : "")),
        ]
        if isActive { attributes.append(.attr("aria-current", "true")) }
        return .el("a", attributes, [.span(cls: "filter-chip__dot", ""), .txt(title)])
    }

    func searchForm() -> Body {
        var children: [Body] = []
        if let status = filter.status { children.append(Forms.hidden("status", status.rawValue)) }
        children += [
            Forms.input(
                Field(
                    name: "q", label: "Поиск", value: filter.q, type: "search", inputMode: "search",
                    autocomplete: "off", placeholder: "Номер, клиент, адрес")),
            .div(
                cls: "filter-bar__dates",
                [
                    Forms.input(
                        Field(name: "from", label: "Начало с", value: filter.from, type: "date", autocomplete: "off")),
                    Forms.input(
                        Field(name: "to", label: "Начало по", value: filter.to, type: "date", autocomplete: "off")),
                ]),
            .div(
                cls: "filter-bar__buttons",
                [
                    Forms.submit("Найти", cls: "button"),
                    Components.buttonLink(Paths.orders(), "Сбросить", cls: "button button--ghost"),
                ]),
        ]
        return Forms.get(Paths.orders(), attributes: [.cls("filter-bar"), .attr("role", "search")], children)
    }

    func results() -> Body {
        guard !model.orders.isEmpty else { return Components.empty("Заявки не найдены.") }
        var headers = ["Заявка", "Статус", "Клиент", "Адрес", "Период", "Операторы"]
        if showTotals { headers.append("Сумма") }
        return Components.table(
            headers: headers, rows: model.orders.map(row), caption: "Список заявок",
            cls: "rtable--orders")
    }

    func row(_ order: OrderSummary) -> [Components.Cell] {
        let timeZone = model.context.timeZone
        var cells: [Components.Cell] = [
            Components.Cell(
                "Заявка", [.anchor(Paths.order(order.id), "Заявка " + order.number, cls: "strong-link")],
                cls: "cell-title"),
            Components.Cell("Статус", [Components.statusChip(order.status)]),
            Components.Cell("Клиент", text: order.clientName ?? "Клиент не указан"),
            Components.Cell("Адрес", text: order.address),
            Components.Cell("Период", text: RussianFormat.period(order.start, order.end, in: timeZone)),
            Components.Cell(
                "Операторы",
                text: order.operatorNames.isEmpty
                    ? "Не назначены" : order.operatorNames.joined(separator: ", ")),
        ]
        if showTotals {
            cells.append(Components.Cell("Сумма", text: RussianFormat.money(order.total), cls: "num"))
        }
        return cells
    }
}

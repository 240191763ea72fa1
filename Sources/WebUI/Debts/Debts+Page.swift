import Foundation
import Plot

/// «Должники»: the totals by age, a search, the table sorted by clicking its headers (cards on phones), paging,
/// the CSV/XLSX download.
public struct DebtListPage: WebPage {
    public let model: DebtListModel

    public init(model: DebtListModel) {
        self.model = model
    }

    var timeZone: TimeZone { model.context.timeZone }

    public func html() -> HTML {
        return Layout.page(
            title: "Должники", section: .debts, context: model.context, actions: exportLinks(),
            content: [
                totals(),
                .para(
                    "Просрочено — долг старше 30 дней. Оплаты гасят самые старые документы первыми.",
                    cls: "muted"),
                searchForm(),
                results(),
                Components.pager(page: model.page, totalPages: model.totalPages) { page in
                    Paths.debtList(q: model.q, sort: model.sort, page: page)
                },
            ])
    }

    func exportLinks() -> [Body] {
        return ["csv", "xlsx"].map { format in
            .el(
                "a",
                [
                    .cls("button button--small"), .link(Paths.debtList(q: model.q, sort: model.sort, export: format)),
                    .attr("download", ""),
                ], text: "Скачать " + format.uppercased())
        }
    }

    func totals() -> Body {
        let totals = model.totals
        let clients = RussianFormat.counted(totals.clients, "клиент", "клиента", "клиентов")
        var debtNote = clients
        if totals.overLimit > 0 { debtNote += ", сверх лимита: " + RussianFormat.integer(totals.overLimit) }
        return .div(
            cls: "debts-totals",
            [
                Components.kpiGrid([
                    Components.kpi("Всего долг", RussianFormat.money(totals.debt), note: debtNote),
                    Components.kpi("Просрочено", RussianFormat.money(totals.buckets.overdue), note: "старше 30 дней"),
                    Components.kpi("до 30", RussianFormat.money(totals.buckets.upTo30)),
                    Components.kpi("31–60", RussianFormat.money(totals.buckets.days31To60)),
                    Components.kpi("61–90", RussianFormat.money(totals.buckets.days61To90)),
                    Components.kpi("больше 90 дней", RussianFormat.money(totals.buckets.over90)),
                ])
            ])
    }

    func searchForm() -> Body {
        var children: [Body] = []
        if model.sort != DebtListModel.Sort.default { children.append(Forms.hidden("sort", model.sort)) }
        children += [
            Forms.input(
                Field(
                    name: "q", label: "Поиск", value: model.q, type: "search", inputMode: "search",
                    autocomplete: "off", placeholder: "Клиент или телефон")),
            .div(
                cls: "filter-bar__buttons",
                [
                    Forms.submit("Найти", cls: "button"),
                    Components.buttonLink(Paths.debts(), "Сбросить", cls: "button button--ghost"),
                ]),
        ]
        return Forms.get(Paths.debts(), attributes: [.cls("filter-bar"), .attr("role", "search")], children)
    }

    // MARK: - Table

    struct Column {
        var title: String
        var sort: DebtListModel.Sort?
        var numeric = false
    }

    static let columns: [Column] = [
        Column(title: "Клиент", sort: .name),
        Column(title: "Долг", sort: .debt, numeric: true),
        Column(title: "до 30", numeric: true),
        Column(title: "31–60", numeric: true),
        Column(title: "61–90", numeric: true),
        Column(title: "больше 90 дней", sort: .over90, numeric: true),
        Column(title: "Просрочено", sort: .overdue, numeric: true),
        Column(title: "Старейший неоплаченный документ"),
        Column(title: "Последняя оплата", sort: .lastPayment),
        Column(title: "Кредитный лимит"),
    ]

    func results() -> Body {
        guard !model.rows.isEmpty else {
            return Components.empty(model.q.isEmpty ? "Должников нет." : "Должники не найдены.")
        }
        let head: Body = .el("thead", [], [.el("tr", [], Self.columns.map(header))])
        let body: Body = .el("tbody", [], model.rows.map(row))
        return .div(
            cls: "table-wrap",
            [
                .el(
                    "table", [.cls("rtable debts-table")],
                    [.el("caption", [.cls("visually-hidden")], text: "Должники"), head, body])
            ])
    }

    /// A header that sorts by its column: descending first, a second click ascending.
    func header(_ column: Column) -> Body {
        var attributes: [Attr] = [.attr("scope", "col")]
        if column.numeric { attributes.append(.cls("num")) }
        guard let sort = column.sort else { return .el("th", attributes, text: column.title) }
        let current = model.sort
        let isDescending = current == "-" + sort.rawValue
        let isAscending = current == sort.rawValue
        if isDescending || isAscending {
            attributes.append(.attr("aria-sort", isDescending ? "descending" : "ascending"))
        }
        // Names read best A→Z first; amounts and dates largest or latest first.
        let firstClick = sort == .name ? sort.rawValue : "-" + sort.rawValue
        let next = isDescending ? sort.rawValue : isAscending ? "-" + sort.rawValue : firstClick
        let arrow = isDescending ? " ↓" : isAscending ? " ↑" : ""
        return .el(
            "th", attributes,
            [.el("a", [.link(Paths.debtList(q: model.q, sort: next)), .cls("sort-link")], text: column.title + arrow)])
    }

    func row(_ row: DebtListModel.Row) -> Body {
        var name: [Body] = [.anchor(Paths.client(row.clientID), row.name)]
        if !row.phone.isEmpty { name.append(.span(cls: "cell-note", row.phone)) }
        let cells: [Components.Cell] = [
            Components.Cell("Клиент", name, cls: "cell-title"),
            Components.Cell("Долг", text: RussianFormat.money(row.debt), cls: "num debts-table__debt"),
            money("до 30", row.buckets.upTo30),
            money("31–60", row.buckets.days31To60),
            money("61–90", row.buckets.days61To90),
            money("больше 90 дней", row.buckets.over90),
            money("Просрочено", row.buckets.overdue),
            Components.Cell("Старейший неоплаченный документ", oldest(row)),
            Components.Cell(
                "Последняя оплата", text: row.lastPayment.map { RussianFormat.date($0, in: timeZone) } ?? "нет"),
            Components.Cell("Кредитный лимит", limit(row)),
        ]
        return .el(
            "tr", row.isOverLimit ? [.cls("is-over-limit")] : [],
            cells.map { cell in
                .el(
                    "td",
                    cell.cls.isEmpty
                        ? [.attr("data-label", cell.label)] : [.attr("data-label", cell.label), .cls(cell.cls)],
                    cell.content)
            })
    }

    func money(_ label: String, _ kopecks: Int64) -> Components.Cell {
        Components.Cell(
            label, text: kopecks == 0 ? "—" : RussianFormat.money(kopecks), cls: kopecks == 0 ? "num is-zero" : "num")
    }

    func oldest(_ row: DebtListModel.Row) -> [Body] {
        guard let document = row.oldestDocument else { return [.txt("—")] }
        var parts: [Body] = [row.oldestURL.map { .anchor($0, document) } ?? .txt(document)]
        if let date = row.oldestDate { parts.append(.span(cls: "cell-note", RussianFormat.date(date, in: timeZone))) }
        return [.div(cls: "cell-stack", parts)]
    }

    func limit(_ row: DebtListModel.Row) -> [Body] {
        guard let limit = row.creditLimit else { return [.txt("нет")] }
        var parts: [Body] = [.txt(RussianFormat.money(limit))]
        if row.isOverLimit { parts.append(Components.chip("Лимит превышен", tone: "over-limit")) }
        return [.div(cls: "cell-stack", parts)]
    }
}

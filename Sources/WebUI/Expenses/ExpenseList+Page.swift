import Domain
import Foundation
import Plot

/// «Расходы»: totals by category, filters (period, category, machine), a sortable table that becomes cards on
/// phones, paging, CSV/XLSX.
public struct ExpenseListPage: WebPage {
    public let model: ExpenseListModel

    public init(model: ExpenseListModel) {
        self.model = model
    }

    var filter: ExpenseListModel.Filter { model.filter }

    public func html() -> HTML {
        var actions = OfficeLists.exportLinks { Paths.expenseList(filter, export: $0) }
        if model.canEdit {
            actions.insert(
                Components.buttonLink(Paths.newExpense(), "Добавить расход", cls: "button button--primary"), at: 0)
        }
        return Layout.page(
            title: "Расходы", section: .expenses, context: model.context, actions: actions,
            content: [
                totals(),
                filterForm(),
                .para("Найдено: " + RussianFormat.integer(model.totalCount), cls: "muted"),
                results(),
                Components.pager(page: model.page, totalPages: model.totalPages) { page in
                    Paths.expenseList(filter, page: page)
                },
            ])
    }

    /// Every category's sum for the period and machine, and the whole.
    func totals() -> Body {
        let note = filter.from.isEmpty && filter.to.isEmpty ? "За всё время" : "За выбранный период"
        var tiles = [Components.kpi("Всего расходов", RussianFormat.money(model.total), note: note)]
        tiles += ExpenseCategory.allCases.map { category in
            Components.kpi(category.title, RussianFormat.money(model.totals[category] ?? 0))
        }
        return .el(
            "section", [.cls("expense-totals"), .attr("aria-label", "Итоги по категориям")],
            [
                Components.kpiGrid(tiles)
            ])
    }

    func filterForm() -> Body {
        let categories = ExpenseCategory.allCases.map { Choice(value: $0.rawValue, label: $0.title) }
        let machines = model.machines.map { Choice(value: $0.id, label: $0.name) }
        var children: [Body] = [
            Forms.select(
                Field(name: "category", label: "Категория", value: filter.category?.rawValue ?? ""),
                options: categories, prompt: "Все категории"),
            Forms.select(
                Field(name: "equipment", label: "Техника", value: filter.equipmentID), options: machines,
                prompt: "Вся техника"),
            .div(
                cls: "filter-bar__dates",
                [
                    Forms.input(Field(name: "from", label: "Период с", value: filter.from, type: "date")),
                    Forms.input(Field(name: "to", label: "Период по", value: filter.to, type: "date")),
                ]),
            .div(
                cls: "filter-bar__buttons",
                [
                    Forms.submit("Показать", cls: "button"),
                    Components.buttonLink(Paths.expenses(), "Сбросить", cls: "button button--ghost"),
                ]),
        ]
        if filter.sort != ExpenseListModel.defaultSort { children.insert(Forms.hidden("sort", filter.sort), at: 0) }
        return Forms.get(
            Paths.expenses(), attributes: [.cls("filter-bar"), .attr("role", "search")], children)
    }

    func results() -> Body {
        guard !model.rows.isEmpty else { return Components.empty("Расходы не найдены.") }
        var headers: [OfficeLists.Header] = [
            sortable("Дата", "date"), sortable("Категория", "category"), sortable("Сумма", "amount"),
            OfficeLists.Header("Техника"), OfficeLists.Header("Комментарий"), OfficeLists.Header("Чек"),
        ]
        if model.canEdit { headers.append(OfficeLists.Header("Действия")) }
        return OfficeLists.table(
            headers: headers, rows: model.rows.map(cells), caption: "Расходы", cls: "rtable--expenses")
    }

    func sortable(_ title: String, _ field: String) -> OfficeLists.Header {
        OfficeLists.Header.sortable(title, field: field, current: filter.sort) { sort in
            var next = filter
            next.sort = sort
            return Paths.expenseList(next)
        }
    }

    func cells(_ row: ExpenseListModel.Row) -> [Components.Cell] {
        let timeZone = model.context.timeZone
        let day = RussianFormat.parseDateInput(row.day, in: timeZone).map { RussianFormat.date($0, in: timeZone) }
        var comment: [Body] = [.txt(row.comment.isEmpty ? "—" : row.comment)]
        if let id = row.orderID, let number = row.orderNumber {
            comment.append(.anchor(Paths.order(id), "Заявка " + number, cls: "cell-note"))
        }
        if row.bookedAtCompletion { comment.append(.span(cls: "cell-note", "Начислен при завершении заявки")) }
        let receiptURL = row.hasReceipt ? Paths.expenseReceipt(row.id) : row.attachmentURL
        let receipt: [Body] =
            receiptURL.isEmpty
            ? [.txt("—")]
            : [
                .el(
                    "a",
                    [
                        .link(receiptURL), .attr("target", "_blank"), .attr("rel", "noopener noreferrer"),
                        .cls("expense-receipt"),
                    ], text: "Фото чека")
            ]
        var cells = [
            Components.Cell("Дата", text: day ?? row.day, cls: "cell-title"),
            Components.Cell("Категория", [Components.chip(row.category.title)]),
            Components.Cell("Сумма", text: RussianFormat.money(row.amount), cls: "num"),
            Components.Cell("Техника", text: row.equipmentName ?? "—"),
            Components.Cell("Комментарий", comment),
            Components.Cell("Чек", receipt),
        ]
        if model.canEdit {
            cells.append(
                Components.Cell(
                    "Действия",
                    [
                        Components.buttonLink(
                            Paths.editExpense(row.id), "Изменить", cls: "button button--small button--ghost"),
                        ExpenseDelete.button(row.id, csrf: model.context.csrfToken),
                    ], cls: "cell-actions"))
        }
        return cells
    }
}

/// «Удалить» with the browser's confirmation (app.js reads `data-confirm`).
enum ExpenseDelete {
    static func button(_ id: String, csrf: String) -> Body {
        Forms.post(
            Paths.deleteExpense(id), csrf: csrf,
            attributes: [.cls("inline-form"), .attr("data-confirm", "Удалить расход? Это действие нельзя отменить.")],
            [Forms.submit("Удалить", cls: "button button--small button--danger-ghost")])
    }
}

/// Pieces the office's lists share: download links and a table whose headers may sort.
enum OfficeLists {
    static func exportLinks(_ url: (String) -> String) -> [Body] {
        [("csv", "Скачать CSV"), ("xlsx", "Скачать XLSX")].map { format, title in
            .el("a", [.cls("button button--small"), .link(url(format)), .attr("download", "")], text: title)
        }
    }

    /// A column header: plain text, or a link that sorts by `field` (`aria-sort` on the current column).
    struct Header {
        var title: String
        var link: String?
        var ariaSort: String?

        init(_ title: String, link: String? = nil, ariaSort: String? = nil) {
            self.title = title
            self.link = link
            self.ariaSort = ariaSort
        }

        /// The current column flips its direction; another starts descending (the newest or largest first),
        /// except text columns sorted from A.
        static func sortable(
            _ title: String, field: String, current: String, ascendingFirst: Bool = false, url: (String) -> String
        ) -> Header {
            let isCurrent = current == field || current == "-" + field
            let descending = current.hasPrefix("-")
            let next: String
            if isCurrent {
                next = descending ? field : "-" + field
            } else {
                next = ascendingFirst || field == "category" ? field : "-" + field
            }
            let arrow = isCurrent ? (descending ? " ↓" : " ↑") : ""
            return Header(
                title + arrow, link: url(next),
                ariaSort: isCurrent ? (descending ? "descending" : "ascending") : nil)
        }
    }

    /// `Components.table` with headers that may be links.
    static func table(headers: [Header], rows: [[Components.Cell]], caption: String, cls: String = "") -> Body {
        let headerCells: [Body] = headers.map { header in
            var attributes: [Attr] = [.attr("scope", "col")]
            if let sort = header.ariaSort { attributes.append(.attr("aria-sort", sort)) }
            guard let link = header.link else { return .el("th", attributes, text: header.title) }
            return .el("th", attributes, [.anchor(link, header.title, cls: "sort-link")])
        }
        let body: [Body] = rows.map { cells in
            .el(
                "tr", [],
                cells.map { cell in
                    var attributes: [Attr] = [.attr("data-label", cell.label)]
                    if !cell.cls.isEmpty { attributes.append(.cls(cell.cls)) }
                    return .el("td", attributes, cell.content)
                })
        }
        let table: Body = .el(
            "table", [.cls(cls.isEmpty ? "rtable" : "rtable " + cls)],
            [
                .el("caption", [.cls("visually-hidden")], text: caption),
                .el("thead", [], [.el("tr", [], headerCells)]),
                .el("tbody", [], body),
            ])
        return .div(cls: "table-wrap", [table])
    }
}

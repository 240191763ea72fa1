import Domain
import Foundation
import Plot

/// The office's «Зарплаты»: filters, totals per operator, the records with per-row steps of the payout workflow
/// and bulk steps on ticked rows, paging, CSV/XLSX.
public struct OfficeSalariesPage: WebPage {
    public let model: OfficeSalaryModel

    public init(model: OfficeSalaryModel) {
        self.model = model
    }

    var filter: OfficeSalaryModel.Filter { model.filter }
    /// Where the posts come back to: this very page.
    var back: String { Paths.salaryList(filter, page: model.page) }
    static let bulkFormID = "salary-bulk"

    public func html() -> HTML {
        Layout.page(
            title: "Зарплаты", section: .salaries, context: model.context,
            actions: OfficeLists.exportLinks { Paths.salaryList(filter, export: $0) },
            content: [
                .para("Начисления операторам: утверждение и выплата.", cls: "muted"),
                filterForm(),
                operatorTotals(),
                .para("Найдено записей: " + RussianFormat.integer(model.totalCount), cls: "muted"),
                bulkBar(),
                results(),
                Components.pager(page: model.page, totalPages: model.totalPages) { page in
                    Paths.salaryList(filter, page: page)
                },
            ])
    }

    func filterForm() -> Body {
        let operators = model.operators.map { Choice(value: $0.id, label: $0.name) }
        let statuses = SalaryStatus.allCases.map { Choice(value: $0.rawValue, label: $0.title) }
        return Forms.get(
            Paths.salaries(), attributes: [.cls("filter-bar"), .attr("role", "search")],
            [
                Forms.select(
                    Field(name: "user", label: "Оператор", value: filter.userID), options: operators,
                    prompt: "Все операторы"),
                Forms.select(
                    Field(name: "status", label: "Статус", value: filter.status?.rawValue ?? ""), options: statuses,
                    prompt: "Все статусы"),
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
                        Components.buttonLink(Paths.salaries(), "Сбросить", cls: "button button--ghost"),
                    ]),
            ])
    }

    /// Accrued, approved and paid per operator over the whole filter, with the sum of all.
    func operatorTotals() -> Body {
        guard !model.operatorTotals.isEmpty else { return .empty }
        let headers = ["Оператор"] + SalaryStatus.allCases.map(\.title) + ["Итого"]
        func cells(_ name: String, _ totals: SalaryModel.Totals, cls: String = "cell-title") -> [Components.Cell] {
            [
                Components.Cell("Оператор", text: name, cls: cls),
                Components.Cell(SalaryStatus.pending.title, text: RussianFormat.money(totals.pending), cls: "num"),
                Components.Cell(SalaryStatus.approved.title, text: RussianFormat.money(totals.approved), cls: "num"),
                Components.Cell(SalaryStatus.paid.title, text: RussianFormat.money(totals.paid), cls: "num"),
                Components.Cell("Итого", text: RussianFormat.money(totals.all), cls: "num"),
            ]
        }
        var rows = model.operatorTotals.map { cells($0.name, $0.totals) }
        if model.operatorTotals.count > 1 { rows.append(cells("Все операторы", model.grandTotal)) }
        return .el(
            "section", [.cls("salary-totals"), .attr("aria-labelledby", "salary-totals-title")],
            [
                .el("h2", [.ident("salary-totals-title")], text: "Итоги по операторам"),
                Components.table(headers: headers, rows: rows, caption: "Итоги по операторам"),
            ])
    }

    /// The bulk form; the rows' checkboxes join it through their `form` attribute (rows hold their own forms).
    func bulkBar() -> Body {
        guard model.rows.contains(where: { !$0.status.isFinal }) else { return .empty }
        return Forms.post(
            Paths.salariesBulk(), csrf: model.context.csrfToken,
            attributes: [.ident(Self.bulkFormID), .cls("action-bar salary-bulk")],
            [
                Forms.hidden("back", back),
                .el(
                    "span", [.cls("check-all"), .attr("hidden", "")],
                    [
                        .void(
                            "input",
                            [
                                .attr("type", "checkbox"), .ident("salary-check-all"),
                                .attr("data-check-all", "salary-check"),
                            ]),
                        .el("label", [.attr("for", "salary-check-all")], text: "Выбрать все"),
                    ]),
                Forms.submit(
                    "Утвердить выбранные", cls: "button", extra: [.attr("name", "action"), .attr("value", "approved")]),
                Forms.submit(
                    "Выплатить выбранные", cls: "button button--primary",
                    extra: [.attr("name", "action"), .attr("value", "paid")]),
            ])
    }

    func results() -> Body {
        guard !model.rows.isEmpty else { return Components.empty("Записей зарплаты не найдено.") }
        return Components.table(
            headers: ["Выбор", "Запись", "Оператор", "Заявка", "Дата работ", "Сумма", "Статус", "Действия"],
            rows: model.rows.map(cells), caption: "Записи зарплаты", cls: "rtable--salaries")
    }

    func cells(_ row: OfficeSalaryModel.Row) -> [Components.Cell] {
        let timeZone = model.context.timeZone
        let order: Body =
            if let id = row.orderID, let number = row.orderNumber {
                .anchor(Paths.order(id), "Заявка " + number)
            } else {
                .txt("Без заявки")
            }
        let boxID = "salary-pick-" + row.id
        let box: Body =
            row.status.isFinal
            ? .txt("")
            : .fragment([
                .void(
                    "input",
                    [
                        .attr("type", "checkbox"), .attr("name", "ids"), .attr("value", row.id), .ident(boxID),
                        .attr("form", Self.bulkFormID), .cls("salary-check"),
                    ]),
                .el("label", [.attr("for", boxID), .cls("visually-hidden")], text: "Выбрать запись № " + row.id),
            ])
        var status: [Body] = [Components.chip(row.status.title, tone: Self.tone(row.status))]
        if let paidAt = row.paidAt {
            status.append(.span(cls: "cell-note", RussianFormat.dateTime(paidAt, in: timeZone)))
        }
        return [
            Components.Cell("Выбор", [box], cls: "cell-check"),
            Components.Cell("Запись", text: "№ " + row.id),
            Components.Cell("Оператор", text: row.operatorName, cls: "cell-title"),
            Components.Cell("Заявка", [order]),
            Components.Cell("Дата работ", text: RussianFormat.date(row.workDate, in: timeZone)),
            Components.Cell("Сумма", text: RussianFormat.money(row.amount), cls: "num"),
            Components.Cell("Статус", status),
            Components.Cell("Действия", actions(row), cls: "cell-actions"),
        ]
    }

    static func tone(_ status: SalaryStatus) -> String {
        switch status {
        case .pending: "neutral"
        case .approved: "approved"
        case .paid: "ok"
        }
    }

    /// The steps `SalaryStatus` allows from the row's status.
    func actions(_ row: OfficeSalaryModel.Row) -> [Body] {
        let steps = row.status.allowedNextStatuses
        guard !steps.isEmpty else { return [.txt("—")] }
        return steps.map { target in
            Forms.post(
                Paths.salaryRecordStatus(row.id), csrf: model.context.csrfToken, attributes: [.cls("inline-form")],
                [
                    Forms.hidden("status", target.rawValue),
                    Forms.hidden("back", back),
                    Forms.submit(
                        Self.stepTitle(target),
                        cls: target == .pending
                            ? "button button--small button--ghost"
                            : "button button--small"),
                ])
        }
    }

    static func stepTitle(_ target: SalaryStatus) -> String {
        switch target {
        case .approved: "Утвердить"
        case .paid: "Выплатить"
        case .pending: "Вернуть на утверждение"
        }
    }
}

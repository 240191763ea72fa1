import Domain
import Plot

/// «Мои зарплаты»: period filter, totals by status, records.
public struct SalaryPage: WebPage {
    public let model: SalaryModel

    public init(model: SalaryModel) {
        self.model = model
    }

    public func html() -> HTML {
        let totals = model.totals
        return Layout.page(
            title: "Мои зарплаты", section: .salary, context: model.context,
            content: [
                .para("Начисления за выполненные заявки.", cls: "muted"),
                Components.periodFilter(action: Paths.salary(), from: model.from, to: model.to),
                Components.kpiGrid([
                    Components.kpi(
                        "Итого заработано", RussianFormat.money(totals.all),
                        note: model.from.isEmpty && model.to.isEmpty ? "За всё время" : "За выбранный период"),
                    Components.kpi(SalaryStatus.pending.title, RussianFormat.money(totals.pending)),
                    Components.kpi(SalaryStatus.approved.title, RussianFormat.money(totals.approved)),
                    Components.kpi(SalaryStatus.paid.title, RussianFormat.money(totals.paid)),
                ]),
                records(),
            ])
    }

    func records() -> Body {
        guard !model.records.isEmpty else { return Components.empty("Нет данных за выбранный период.") }
        return Components.table(
            headers: ["Заявка", "Дата", "Клиент", "Адрес", "Статус", "Сумма"],
            rows: model.records.map(cells), caption: "Начисления")
    }

    func cells(_ record: SalaryModel.Record) -> [Components.Cell] {
        let order: [Body]
        if let id = record.orderID, let number = record.orderNumber {
            order = [.anchor(Paths.order(id), "Заявка " + number)]
        } else {
            order = [.txt(record.orderNumber.map { "Заявка " + $0 } ?? "Без заявки")]
        }
        return [
            Components.Cell("Заявка", order, cls: "cell-title"),
            Components.Cell("Дата", text: RussianFormat.date(record.date, in: model.context.timeZone)),
            Components.Cell("Клиент", text: record.clientName ?? "—"),
            Components.Cell("Адрес", text: record.address.isEmpty ? "—" : record.address),
            Components.Cell(
                "Статус",
                [
                    Components.chip(
                        record.status.title,
                        tone: record.status == .paid ? "ok" : "neutral")
                ]),
            Components.Cell("Сумма", text: RussianFormat.money(record.amount), cls: "num"),
        ]
    }
}

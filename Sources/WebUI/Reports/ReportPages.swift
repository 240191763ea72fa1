import Plot

/// «Общий отчёт»: KPIs, revenue structure and a bar chart.
public struct SummaryReportPage: WebPage {
    public let model: SummaryReportModel

    public init(model: SummaryReportModel) {
        self.model = model
    }

    public func html() -> HTML {
        return ReportChrome.page(
            .summary, context: model.context, from: model.from, to: model.to,
            content: [
                kpis(),
                structure(),
                Components.card([BarChart.render(bars(), title: "Выручка, расходы, зарплаты и маржа")]),
            ])
    }

    func kpis() -> Body {
        return Components.kpiGrid([
            Components.kpi("Выручка", RussianFormat.money(model.revenue), note: "Завершённые заявки"),
            Components.kpi(
                "Расходы", RussianFormat.money(model.expenses),
                note: "Включая топливо: " + RussianFormat.money(model.fuel)),
            Components.kpi("Зарплаты", RussianFormat.money(model.salaries), note: "Выплаты операторам"),
            Components.kpi(
                "Маржа", RussianFormat.money(model.margin),
                note: "Заявок: " + RussianFormat.integer(model.ordersCount)),
        ])
    }

    func structure() -> Body {
        return Components.card([
            .heading(2, "Структура выручки"),
            .el(
                "dl", [.cls("facts")],
                [
                    fact("Услуги и материалы", RussianFormat.money(model.servicesRevenue)),
                    fact("Техника", RussianFormat.money(model.equipmentRevenue)),
                    fact("Часы техники", RussianFormat.hours(model.equipmentHours)),
                    fact("Смены", RussianFormat.shifts(model.equipmentShifts)),
                    fact("Ремонт техники", RussianFormat.money(model.repair)),
                ]),
        ])
    }

    func fact(_ term: String, _ value: String) -> Body {
        return .div(cls: "fact", [.el("dt", [], text: term), .el("dd", [], text: value)])
    }

    func bars() -> [ChartBar] {
        let pairs: [(String, Int64)] = [
            ("Выручка", model.revenue), ("Расходы", model.expenses), ("Зарплаты", model.salaries),
            ("Маржа", model.margin),
        ]
        return pairs.map { ChartBar(label: $0.0, value: $0.1, valueText: RussianFormat.money($0.1)) }
    }
}

/// «Отчёт по технике».
public struct EquipmentReportPage: WebPage {
    public let model: EquipmentReportModel

    public init(model: EquipmentReportModel) {
        self.model = model
    }

    public func html() -> HTML {
        return ReportChrome.page(.equipment, context: model.context, from: model.from, to: model.to, content: body())
    }

    func body() -> [Body] {
        guard !model.rows.isEmpty else { return [Components.empty("Нет данных за период.")] }
        let bars = model.rows.prefix(15).map {
            ChartBar(label: $0.name, value: $0.revenue, valueText: RussianFormat.money($0.revenue))
        }
        return [
            Components.card([BarChart.render(Array(bars), title: "Выручка по технике")]),
            Components.table(
                headers: ["Техника", "Часы", "Выручка", "Расходы", "Топливо", "Ремонт"],
                rows: model.rows.map(cells), caption: "Отчёт по технике"),
        ]
    }

    func cells(_ row: EquipmentReportModel.Row) -> [Components.Cell] {
        return [
            Components.Cell(
                "Техника",
                [
                    .txt(row.name.isEmpty ? "Без названия" : row.name),
                    .span(cls: "cell-note", "Код: " + row.code),
                ], cls: "cell-title"),
            Components.Cell("Часы", text: RussianFormat.decimal(row.hours, maxFractionDigits: 1), cls: "num"),
            Components.Cell("Выручка", text: RussianFormat.money(row.revenue), cls: "num"),
            Components.Cell("Расходы", text: RussianFormat.money(row.expenses), cls: "num"),
            Components.Cell("Топливо", text: RussianFormat.money(row.fuel), cls: "num"),
            Components.Cell("Ремонт", text: RussianFormat.money(row.repair), cls: "num"),
        ]
    }
}

/// «Отчёт по сотрудникам».
public struct EmployeesReportPage: WebPage {
    public let model: EmployeesReportModel

    public init(model: EmployeesReportModel) {
        self.model = model
    }

    public func html() -> HTML {
        return ReportChrome.page(.employees, context: model.context, from: model.from, to: model.to, content: body())
    }

    func body() -> [Body] {
        guard !model.rows.isEmpty else { return [Components.empty("Нет данных за период.")] }
        let bars = model.rows.prefix(15).map {
            ChartBar(label: $0.name, value: $0.amount, valueText: RussianFormat.money($0.amount))
        }
        return [
            Components.card([BarChart.render(Array(bars), title: "Начисления по сотрудникам")]),
            Components.table(
                headers: ["Сотрудник", "Назначений", "Часы", "Сумма"], rows: model.rows.map(cells),
                caption: "Отчёт по сотрудникам"),
        ]
    }

    func cells(_ row: EmployeesReportModel.Row) -> [Components.Cell] {
        return [
            Components.Cell("Сотрудник", text: row.name, cls: "cell-title"),
            Components.Cell("Назначений", text: RussianFormat.integer(row.assignments), cls: "num"),
            Components.Cell("Часы", text: RussianFormat.decimal(row.hours, maxFractionDigits: 1), cls: "num"),
            Components.Cell("Сумма", text: RussianFormat.money(row.amount), cls: "num"),
        ]
    }
}

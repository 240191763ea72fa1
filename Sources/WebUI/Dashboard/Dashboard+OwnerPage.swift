import Foundation
import Plot

/// The owner's section of «Главная»: the period chooser, revenue, margin and client debt against the previous
/// period, «Загрузка парка», revenue by week (inline SVG) and the top 5 machines by margin. Every figure links to
/// the report it comes from.
extension DashboardPage {
    func ownerSection(_ owner: DashboardModel.Owner) -> Body {
        let summary = Paths.report(.summary, from: owner.from, to: owner.to)
        let equipment = Paths.report(.equipment, from: owner.from, to: owner.to)
        let tiles: [Body] = [
            figureTile("Выручка", owner.revenue, url: summary, higherIsBetter: true),
            figureTile("Маржа", owner.margin, url: summary, higherIsBetter: true),
            figureTile("Долг клиентов", owner.debt, url: Paths.debts(), higherIsBetter: false),
            utilisationTile(owner, url: equipment),
        ]
        return Components.card(
            [
                .heading(2, "Показатели за период"),
                periodChooser(owner),
                .para(
                    Self.periodText(owner.from, owner.to) + " в сравнении с "
                        + Self.periodText(owner.previousFrom, owner.previousTo),
                    cls: "muted owner-period"),
                Components.kpiGrid(tiles),
                .div(cls: "owner-grid", [weeklyChart(owner, url: summary), topMachines(owner, url: equipment)]),
            ], cls: "owner-dashboard")
    }

    func periodChooser(_ owner: DashboardModel.Owner) -> Body {
        let kinds = DashboardModel.Owner.PeriodKind.allCases.map { Choice(value: $0.rawValue, label: $0.title) }
        let fromField = Field(
            name: "from", label: "С", value: owner.kind == .custom ? owner.from : "", type: "date",
            autocomplete: "off", error: owner.errors["from"])
        let toField = Field(
            name: "to", label: "По", value: owner.kind == .custom ? owner.to : "", type: "date",
            autocomplete: "off", error: owner.errors["to"])
        return Forms.get(
            Paths.home(), attributes: [.cls("filter-bar owner-chooser"), .attr("aria-label", "Период показателей")],
            [
                Forms.select(Field(name: "period", label: "Период", value: owner.kind.rawValue), options: kinds),
                .div(cls: "filter-bar__dates", [Forms.input(fromField), Forms.input(toField)]),
                .div(cls: "filter-bar__buttons", [Forms.submit("Показать", cls: "button")]),
            ])
    }

    /// A KPI tile that is a link to its report: the value, the previous period's and the change.
    func figureTile(
        _ title: String, _ figure: DashboardModel.Owner.Figure, url: String, higherIsBetter: Bool
    ) -> Body {
        let note =
            "Было: " + RussianFormat.money(figure.previous) + " · "
            + Self.change(current: figure.current, previous: figure.previous)
        let tone: String
        if figure.current == figure.previous {
            tone = "flat"
        } else {
            tone = (figure.current > figure.previous) == higherIsBetter ? "good" : "bad"
        }
        return .el(
            "a", [.link(url), .cls("kpi-link kpi-link--" + tone)],
            [Components.kpi(title, RussianFormat.money(figure.current), note: note)])
    }

    func utilisationTile(_ owner: DashboardModel.Owner, url: String) -> Body {
        let value = owner.utilisation.map(Self.percent) ?? "—"
        let note = "Было: " + (owner.previousUtilisation.map(Self.percent) ?? "—") + " · доля машино-дней в работе"
        return .el(
            "a", [.link(url), .cls("kpi-link kpi-link--flat")], [Components.kpi("Загрузка парка", value, note: note)])
    }

    func weeklyChart(_ owner: DashboardModel.Owner, url: String) -> Body {
        let total = owner.weeks.reduce(Int64(0)) { $0 + $1.revenue }
        var children: [Body] = [.heading(3, "Выручка по неделям")]
        if owner.weeks.isEmpty || total == 0 {
            children.append(Components.empty("За период выручки нет."))
        } else {
            let bars = owner.weeks.map { week in
                ChartBar(
                    label: Self.shortDay(week.first) + "–" + Self.shortDay(week.last), value: week.revenue,
                    valueText: RussianFormat.money(week.revenue))
            }
            children.append(BarChart.render(bars, title: "Выручка по неделям за период"))
        }
        children.append(.anchor(url, "Общий отчёт за период →", cls: "owner-link"))
        return .div(cls: "owner-block", children)
    }

    func topMachines(_ owner: DashboardModel.Owner, url: String) -> Body {
        var children: [Body] = [.heading(3, "Топ-5 техники по марже")]
        if owner.topMachines.isEmpty {
            children.append(Components.empty("За период техника не работала."))
        } else {
            let items: [Body] = owner.topMachines.map { machine in
                .el(
                    "li", [],
                    [
                        .anchor(url, machine.name, cls: "owner-top__name"),
                        .span(cls: "owner-top__hours", RussianFormat.hours(machine.hours)),
                        .span(cls: "owner-top__margin num", RussianFormat.money(machine.margin)),
                    ])
            }
            children.append(.el("ol", [.cls("owner-top")], items))
        }
        children.append(.anchor(url, "Отчёт по технике →", cls: "owner-link"))
        return .div(cls: "owner-block", children)
    }

    /// «+12,5 %», «−3 %», «без изменений», «нет данных для сравнения».
    static func change(current: Int64, previous: Int64) -> String {
        if current == previous { return "без изменений" }
        guard previous != 0 else { return "прошлый период без данных" }
        let percent = Double(current - previous) / Double(abs(previous)) * 100
        let text = RussianFormat.decimal(abs(percent), maxFractionDigits: 1) + " %"
        return (percent >= 0 ? "+" : "−") + text
    }

    static func percent(_ value: Double) -> String {
        RussianFormat.decimal(value, maxFractionDigits: 1) + " %"
    }

    /// `yyyy-MM-dd` → «dd.MM».
    static func shortDay(_ day: String) -> String {
        let parts = day.split(separator: "-")
        guard parts.count == 3 else { return day }
        return String(parts[2]) + "." + String(parts[1])
    }

    /// «01.03.2025 – 31.03.2025».
    static func periodText(_ from: String, _ to: String) -> String {
        func long(_ day: String) -> String {
            let parts = day.split(separator: "-")
            guard parts.count == 3 else { return day }
            return String(parts[2]) + "." + String(parts[1]) + "." + String(parts[0])
        }
        return long(from) + " – " + long(to)
    }
}

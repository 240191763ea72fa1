import Domain
import Plot

/// «Главная»: KPIs (not for operators), quick actions, today's and upcoming orders, a 7-day chart.
public struct DashboardPage: WebPage {
    public let model: DashboardModel

    public init(model: DashboardModel) {
        self.model = model
    }

    var role: Role { model.context.role ?? .operator }
    var showTotals: Bool { role != .operator }

    public func html() -> HTML {
        var content: [Body] = []
        if let owner = model.owner { content.append(ownerSection(owner)) }
        if let stats = model.stats { content.append(kpis(stats)) }
        content.append(quickActions())
        content.append(section("Сегодня", model.today, empty: "На сегодня заявок нет."))
        content.append(section("Ближайшие", model.upcoming, empty: "Ближайших заявок нет."))
        content.append(chart())
        return Layout.page(title: "Главная", section: .home, context: model.context, content: content)
    }

    func kpis(_ stats: DashboardModel.Stats) -> Body {
        var tiles: [Body] = [
            Components.kpi("Новые заявки", RussianFormat.integer(stats.newOrders), note: "Созданные и одобренные"),
            Components.kpi("В работе", RussianFormat.integer(stats.inProgress)),
            Components.kpi("Завершённые", RussianFormat.integer(stats.completed)),
        ]
        if let revenue = stats.revenue {
            tiles.append(Components.kpi("Доход", RussianFormat.money(revenue), note: "По завершённым заявкам"))
        }
        return Components.kpiGrid(tiles)
    }

    func quickActions() -> Body {
        var links: [Body] = []
        if role == .admin || role == .manager {
            links.append(Components.buttonLink(Paths.newOrder(), "+ Создать заявку", cls: "button button--primary"))
        }
        if Navigation.isVisible(.reports, for: role) {
            links.append(Components.buttonLink(Paths.reports(), "Отчёты"))
        }
        if role == .operator {
            links.append(Components.buttonLink(Paths.orders(), "Мои заявки", cls: "button button--primary"))
            links.append(Components.buttonLink(Paths.salary(), "Мои зарплаты"))
        }
        return .div(cls: "quick-actions", links)
    }

    func section(_ title: String, _ orders: [OrderSummary], empty: String) -> Body {
        return Components.card([
            .heading(2, title),
            OrderCards.list(orders, showTotals: showTotals, timeZone: model.context.timeZone, empty: empty),
        ])
    }

    func chart() -> Body {
        guard !model.lastWeek.isEmpty else { return .empty }
        let bars = model.lastWeek.map { day in
            ChartBar(
                label: RussianFormat.shortDate(day.day, in: model.context.timeZone), value: Int64(day.count),
                valueText: RussianFormat.integer(day.count))
        }
        return Components.card([
            .heading(2, "Заявки по дням (последние 7 дней)"),
            BarChart.render(bars, title: "Количество новых заявок по дням"),
        ])
    }
}

import Domain
import Foundation
import Plot

/// «Мои смены»: the operator's assignments for the next 14 days, grouped by the day they start, each linking to
/// its order; a link to the calendar feed's settings.
public struct ShiftsPage: WebPage {
    public let model: ShiftsModel

    public init(model: ShiftsModel) {
        self.model = model
    }

    var timeZone: TimeZone { model.context.timeZone }

    public func html() -> HTML {
        let calendar = BusinessTime.calendar(in: timeZone)
        var content: [Body] = [
            .para(
                "С " + RussianFormat.date(model.period.start, in: timeZone) + " по "
                    + RussianFormat.date(model.period.end.addingTimeInterval(-1), in: timeZone) + ".", cls: "muted")
        ]
        if model.orders.isEmpty {
            content.append(Components.empty("На ближайшие 14 дней смен нет."))
        }
        var days: [(Date, [PlanningOrder])] = []
        for order in model.orders {
            let day = max(calendar.startOfDay(for: order.start), model.period.start)
            if let last = days.last, last.0 == day {
                days[days.count - 1].1.append(order)
            } else {
                days.append((day, [order]))
            }
        }
        for (day, orders) in days {
            let weekday = PlanningBoardPage.weekdays[calendar.component(.weekday, from: day) - 1]
            content.append(
                .el(
                    "section", [.cls("shift-day")],
                    [.heading(2, weekday + ", " + RussianFormat.date(day, in: timeZone), cls: "shift-day__title")]
                        + orders.map(card)))
        }
        content.append(
            Components.card(
                [
                    .el(
                        "a", [.cls("row-link"), .link(Paths.calendarSettings())],
                        [
                            .span(cls: "row-link__title", "Календарь телефона"),
                            .span(
                                cls: "row-link__note",
                                model.feedIsOn
                                    ? "Лента смен включена: адрес и отключение."
                                    : "Показывать смены в календаре телефона."),
                        ])
                ]))
        return Layout.page(title: "Мои смены", section: .shifts, context: model.context, content: content)
    }

    func card(_ order: PlanningOrder) -> Body {
        let period = RussianFormat.period(order.start, order.hasOpenEnd ? nil : order.end, in: timeZone)
        var lines: [Body] = [
            .div(
                cls: "shift__head",
                [.el("b", [], text: "Заявка № " + order.number), Components.statusChip(order.status)]),
            .para(order.hasOpenEnd ? period + " (окончание не указано)" : period, cls: "shift__time"),
        ]
        if !order.client.isEmpty { lines.append(.para(order.client, cls: "shift__client")) }
        if !order.address.isEmpty { lines.append(.para(order.address, cls: "muted")) }
        return .el("a", [.cls("card shift"), .link(Paths.order(order.id))], lines)
    }
}

/// «Календарь смен» in «Профиль»: turn the private iCalendar feed on, copy its address, get a new one or turn it
/// off (the old address stops working at once).
public struct CalendarSettingsPage: WebPage {
    public let model: CalendarSettingsModel

    public init(model: CalendarSettingsModel) {
        self.model = model
    }

    public func html() -> HTML {
        let csrf = model.context.csrfToken
        var children: [Body] = [
            .para(
                "Личная лента смен в формате iCalendar: добавьте её адрес в календарь телефона (Google, Apple, "
                    + "Яндекс) как подписку, и ваши заявки будут видны там. Адрес секретный: не пересылайте его.")
        ]
        if let url = model.feedURL {
            children += [
                Forms.input(Field(name: "feed_url", label: "Адрес ленты", value: url, type: "url", isReadOnly: true)),
                Forms.actions([
                    Forms.post(Paths.calendarRenew(), csrf: csrf, [Forms.submit("Новый адрес", cls: "button")]),
                    Forms.post(
                        Paths.calendarRevoke(), csrf: csrf,
                        [Forms.submit("Выключить ленту", cls: "button button--danger")]),
                ]),
            ]
        } else {
            children.append(
                Forms.post(Paths.calendarRenew(), csrf: csrf, [Forms.submit("Включить ленту")]))
        }
        return Layout.page(
            title: "Календарь смен", section: .profile, context: model.context, back: Paths.profile(),
            content: [Components.card(children)])
    }
}

import Domain
import Foundation
import Plot

/// «План»: a row per machine (or operator) grouped by type, a column per day, each order a bar coloured by status
/// that links to its edit form; utilisation at each row's end and of the fleet at the top. `planning.js` adds
/// drag-to-move and select-to-create; on a phone the grid gives way to a day list (docs/ui.md#planning-board).
public struct PlanningBoardPage: WebPage {
    public let model: PlanningBoardModel

    public init(model: PlanningBoardModel) {
        self.model = model
    }

    var filter: PlanningBoardModel.Filter { model.filter }
    var board: PlanningBoard { model.board }
    var timeZone: TimeZone { model.context.timeZone }
    var calendar: Calendar { BusinessTime.calendar(in: timeZone) }

    public func html() -> HTML {
        return Layout.page(
            title: "План", section: .planning, context: model.context,
            content: [
                toolbar(),
                summary(),
                grid(),
                dayList(),
                .div(cls: "plan-toast", [.attribute(.attr("role", "alert")), .attribute(.flag("hidden"))]),
                .el("script", [.attr("src", Paths.planningScript()), .flag("defer")]),
            ])
    }

    // MARK: - Toolbar

    func toolbar() -> Body {
        let first = board.period.start
        var resources: [Body] = []
        for resource in PlanningResource.allCases {
            var copy = filter
            copy.resource = resource
            resources.append(tab(resource.title, Paths.planning(copy), isOn: resource == filter.resource))
        }
        var spans: [Body] = []
        for span in PlanningSpan.allCases {
            var copy = filter
            copy.span = span
            spans.append(tab(span.title, Paths.planning(copy), isOn: span == filter.span))
        }
        func moved(_ steps: Int) -> String {
            var copy = filter
            copy.from = RussianFormat.dateInput(filter.span.shift(first, by: steps, calendar: calendar), in: timeZone)
            return Paths.planning(copy)
        }
        var today = filter
        today.from = ""
        let title =
            RussianFormat.date(first, in: timeZone) + " – "
            + RussianFormat.date(board.period.end.addingTimeInterval(-1), in: timeZone)
        return .div(
            cls: "plan-toolbar",
            [
                .el("nav", [.cls("plan-tabs"), .attr("aria-label", "Строки плана")], resources),
                .el("nav", [.cls("plan-tabs plan-tabs--span"), .attr("aria-label", "Период")], spans),
                .div(
                    cls: "plan-nav",
                    [
                        .el(
                            "a", [.cls("button button--ghost"), .link(moved(-1)), .attr("aria-label", "Назад")],
                            text: "←"),
                        .anchor(Paths.planning(today), "Сегодня", cls: "button"),
                        .el(
                            "a", [.cls("button button--ghost"), .link(moved(1)), .attr("aria-label", "Вперёд")],
                            text: "→"),
                        .span(cls: "plan-nav__title", title),
                    ]),
                availabilityForm(),
            ])
    }

    func tab(_ title: String, _ url: String, isOn: Bool) -> Body {
        var attributes: [Attr] = [.link(url), .cls(isOn ? "plan-tab is-active" : "plan-tab")]
        if isOn { attributes.append(.attr("aria-current", "page")) }
        return .el("a", attributes, text: title)
    }

    func availabilityForm() -> Body {
        let choices = PlanningAvailability.allCases.map { Choice(value: $0.rawValue, label: $0.title) }
        let form = Forms.get(
            "/planning", attributes: [.cls("plan-filter")],
            [
                Forms.hidden("resource", filter.resource.rawValue), Forms.hidden("span", filter.span.rawValue),
                Forms.hidden("from", filter.from),
                Forms.select(
                    Field(name: "show", label: "Показать", value: filter.availability.rawValue), options: choices),
                Forms.input(
                    Field(
                        name: "check_from", label: "Свободны/заняты с", value: filter.checkFrom, type: "datetime-local",
                        autocomplete: "off")),
                Forms.input(
                    Field(
                        name: "check_to", label: "по", value: filter.checkTo, type: "datetime-local",
                        autocomplete: "off")),
                Forms.submit("Показать", cls: "button"),
            ])
        return .el(
            "details", [.cls("plan-filter-box"), .flag("open", filter.availability != .all)],
            [.el("summary", [.cls("plan-filter-box__summary")], text: "Свободные и занятые"), form])
    }

    func summary() -> Body {
        let noun =
            board.resource == .equipment
            ? RussianFormat.counted(board.resourceCount, "машина", "машины", "машин")
            : RussianFormat.counted(board.resourceCount, "оператор", "оператора", "операторов")
        var tiles = [
            Components.kpi(
                board.resource == .equipment ? "Загрузка парка" : "Загрузка операторов",
                Self.percent(board.utilisation), note: "за период, " + noun)
        ]
        if filter.availability != .all {
            tiles.append(
                Components.kpi(
                    filter.availability.title, RussianFormat.integer(board.rows.count),
                    note: "в выбранном интервале"))
        }
        return Components.kpiGrid(tiles)
    }

    static func percent(_ share: Double) -> String {
        String(PlanningBoard.percent(share)) + "\u{00A0}%"
    }

    // MARK: - The grid

    func grid() -> Body {
        let days = board.period.days
        var header: [Body] = [.div(cls: "plan-corner", [.txt(board.resource.title)])]
        var dayCells: [Body] = []
        for day in days {
            let isToday = day == model.today
            let weekday = calendar.component(.weekday, from: day)
            var cls = "plan-day-head"
            if isToday { cls += " is-today" }
            if weekday == 1 || weekday == 7 { cls += " is-weekend" }
            dayCells.append(
                .el(
                    "div", [.cls(cls)],
                    [
                        .span(cls: "plan-day-head__wd", Self.weekdays[weekday - 1]),
                        .txt(RussianFormat.shortDate(day, in: timeZone)),
                    ]))
        }
        header.append(.div(cls: "plan-days", dayCells))
        header.append(.div(cls: "plan-load-head", [.txt("Загрузка")]))
        var children: [Body] = [.div(cls: "plan-head", header)]
        if board.rows.isEmpty {
            children.append(Components.empty(emptyText()))
        }
        for group in board.groups {
            children.append(.el("h2", [.cls("plan-group")], text: group.name))
            for row in group.rows { children.append(self.row(row)) }
        }
        // The page's CSP allows no inline styles: the day count and every bar's place are classes that set
        // custom properties (app.css, «План»).
        var attributes: [Attr] = [
            .cls("plan plan--d\(days.count)"), .attr("data-resource", board.resource.rawValue),
            .attr("data-start", String(Int(board.period.start.timeIntervalSince1970))),
            .attr("data-end", String(Int(board.period.end.timeIntervalSince1970))),
            .attr("data-offset", String(timeZone.secondsFromGMT(for: board.period.start))),
            .attr("data-move", Paths.planningMove()), .attr("data-details", Paths.planningDetails(filter)),
        ]
        if model.canEdit { attributes.append(.attr("data-new", Paths.newOrder())) }
        return .el("div", attributes, children)
    }

    func emptyText() -> String {
        switch filter.availability {
        case .free: "В выбранном интервале свободных нет."
        case .busy: "В выбранном интервале занятых нет."
        case .all: board.resource == .equipment ? "В каталоге нет техники в работе." : "Нет активных операторов."
        }
    }

    static let weekdays = ["вс", "пн", "вт", "ср", "чт", "пт", "сб"]

    func row(_ row: PlanningRow) -> Body {
        let bars = row.bars.map(bar)
        return .el(
            "div", [.cls("plan-row"), .attr("data-id", String(row.resource.id))],
            [
                .div(
                    cls: "plan-name",
                    [
                        .span(cls: "plan-name__title", row.resource.name),
                        .span(cls: "plan-name__detail", row.resource.detail),
                    ]),
                .el("div", [.cls("plan-track"), .attr("data-id", String(row.resource.id))], bars),
                .div(cls: "plan-load", [.txt("загрузка " + Self.percent(row.utilisation))]),
            ])
    }

    /// A bar: `d`/`h` its start (day and hour of the period), `l`/`m` its length (days and hours), for the CSS;
    /// `cs`/`ce` cut at the period's start or end, `oe` an unknown end. Its text is the number (with the client on
    /// a week or two); planning.js sets its tooltip, the client and address, from `Paths.planningDetails`. `data-s`
    /// (its start, Unix seconds) is what planning.js moves.
    func bar(_ bar: PlanningBar) -> Body {
        let order = bar.order
        let movable = model.canEdit && OrderPolicy.isEditable(order.status)
        var cls = "pb " + Self.statusCode(order.status)
        cls += " d\(bar.startHour / 24) h\(bar.startHour % 24) l\(bar.lengthHours / 24) m\(bar.lengthHours % 24)"
        if bar.startsBefore { cls += " cs" }
        if bar.endsAfter { cls += " ce" }
        if order.hasOpenEnd { cls += " oe" }
        var attributes: [Attr] = [.cls(cls), .link(movable ? Paths.editOrder(order.id) : Paths.order(order.id))]
        if movable { attributes.append(.attr("data-s", String(Int(order.start.timeIntervalSince1970)))) }
        let showsClient = board.period.days.count <= 14 && !order.client.isEmpty
        return .el("a", attributes, text: showsClient ? order.number + " " + order.client : order.number)
    }

    /// A bar's tooltip, «ООО Ромашка · ул. Садовая 5» (the number is the bar's text, the status its colour, the
    /// times its place), served apart from the page by `/planning/details`.
    public static func details(of order: PlanningOrder) -> String {
        ([order.client, order.address].filter { !$0.isEmpty }).joined(separator: " · ")
    }

    /// Short status classes: a month has hundreds of bars, and the page's weight counts (docs/planning.md#speed).
    static func statusCode(_ status: OrderStatus) -> String {
        switch status {
        case .draft: "sd"
        case .created: "sc"
        case .approved: "sa"
        case .inProgress: "sp"
        case .completed: "sf"
        case .cancelled: "sx"
        }
    }

    // MARK: - The phone's day list

    func dayList() -> Body {
        let day = model.day
        func link(_ steps: Int) -> String {
            let moved = calendar.date(byAdding: .day, value: steps, to: day) ?? day
            return Paths.planning(filter, day: RussianFormat.dateInput(moved, in: timeZone))
        }
        let weekday = Self.weekdays[calendar.component(.weekday, from: day) - 1]
        var items: [Body] = []
        for (row, bars) in model.dayRows {
            var lines: [Body] = [
                .div(
                    cls: "plan-list__head",
                    [
                        .span(cls: "plan-list__name", row.resource.name),
                        .span(cls: "plan-list__detail", row.resource.detail),
                    ])
            ]
            if bars.isEmpty {
                lines.append(.span(cls: "plan-list__free", board.resource == .equipment ? "Свободна" : "Свободен"))
            }
            for bar in bars {
                let order = bar.order
                let url =
                    model.canEdit && OrderPolicy.isEditable(order.status)
                    ? Paths.editOrder(order.id) : Paths.order(order.id)
                let end = order.hasOpenEnd ? "…" : RussianFormat.time(order.booking.end, in: timeZone)
                lines.append(
                    .el(
                        "a", [.cls("plan-list__order"), .link(url)],
                        [
                            Components.statusChip(order.status),
                            .span(cls: "plan-list__time", RussianFormat.time(order.start, in: timeZone) + "–" + end),
                            .el("b", [], text: "№ " + order.number),
                            .span(
                                cls: "plan-list__where",
                                [order.client, order.address].filter { !$0.isEmpty }.joined(separator: " · ")),
                        ]))
            }
            items.append(.el("li", [.cls("plan-list__item")], lines))
        }
        return .el(
            "section", [.cls("plan-list"), .attr("aria-label", "План на день")],
            [
                .div(
                    cls: "plan-list__nav",
                    [
                        .el(
                            "a",
                            [
                                .cls("button button--ghost"), .link(link(-1)), .attr("data-swipe", "prev"),
                                .attr("aria-label", "Предыдущий день"),
                            ], text: "←"),
                        .el(
                            "h2", [.cls("plan-list__title")],
                            text: weekday + ", " + RussianFormat.date(day, in: timeZone)),
                        .el(
                            "a",
                            [
                                .cls("button button--ghost"), .link(link(1)), .attr("data-swipe", "next"),
                                .attr("aria-label", "Следующий день"),
                            ], text: "→"),
                    ]),
                items.isEmpty ? Components.empty(emptyText()) : .el("ul", [.cls("plan-list__items")], items),
            ])
    }
}

import Domain

/// The URLs of the planning board, «Мои смены» and the calendar feed (docs/planning.md).
extension Paths {
    /// GET the board: `resource` (`equipment`, `operator`), `span` (`week`, `2weeks`, `month`), `from`
    /// (`yyyy-MM-dd`, the first day), `show` (`free`, `busy`) with `check_from`/`check_to` (`datetime-local`, the
    /// interval the filter checks; the shown days when empty), `day` (`yyyy-MM-dd`, the phone's day list).
    public static func planning(_ filter: PlanningBoardModel.Filter = .init(), day: String = "") -> String {
        let pairs: [String: String?] = [
            "resource": filter.resource == .equipment ? nil : filter.resource.rawValue,
            "span": filter.span == .week ? nil : filter.span.rawValue, "from": filter.from,
            "show": filter.availability == .all ? nil : filter.availability.rawValue,
            "check_from": filter.availability == .all ? nil : filter.checkFrom,
            "check_to": filter.availability == .all ? nil : filter.checkTo, "day": day,
        ]
        return "/planning" + query(pairs)
    }

    /// GET the tooltips of the board `filter` shows: `{"<order id>": "client · address"}`.
    public static func planningDetails(_ filter: PlanningBoardModel.Filter) -> String {
        "/planning/details" + planning(filter).dropFirst("/planning".count)
    }

    /// POST JSON `{"order", "resource", "from", "to", "start"}` with the `X-CSRF-Token` header: a dragged bar.
    /// 200 `{"ok": true}`, or 409/400/403 `{"detail", "conflicts": [{"order", "number", "period"}]}`.
    public static func planningMove() -> String { "/planning/move" }

    /// The board's script (loaded only on the board).
    public static func planningScript() -> String { "/static/planning.js" }

    /// GET «Мои смены» (operators).
    public static func shifts() -> String { "/shifts" }

    /// GET the feed settings in «Профиль»; POST `/profile/calendar/renew` turns it on with a new address,
    /// `/profile/calendar/revoke` turns it off.
    public static func calendarSettings() -> String { "/profile/calendar" }
    public static func calendarRenew() -> String { "/profile/calendar/renew" }
    public static func calendarRevoke() -> String { "/profile/calendar/revoke" }

    /// The private feed: `/calendar/<secret>.ics`.
    public static func calendarFeed(secret: String) -> String { "/calendar/" + segment(secret) + ".ics" }

    /// The new-order form with a machine or an operator and an interval filled in (`datetime-local` values).
    public static func newOrder(resource: PlanningResource, id: String, start: String, end: String) -> String {
        let pairs: [String: String?] = [
            resource == .equipment ? "equipment" : "operator": id, "start": start, "end": end,
        ]
        return newOrder() + query(pairs)
    }
}

import Domain
import Foundation

/// «План» (`/planning`): the board of machines or operators over a week, two weeks or a month
/// (docs/planning.md, docs/ui.md#planning-board).
public struct PlanningBoardModel: Sendable {
    public struct Filter: Sendable, Equatable {
        public var resource: PlanningResource
        public var span: PlanningSpan
        /// The first shown day, `yyyy-MM-dd`; "" is today.
        public var from: String
        public var availability: PlanningAvailability
        /// `datetime-local` values of the interval the free/busy filter checks; "" is the shown period's edge.
        public var checkFrom: String
        public var checkTo: String

        public init(
            resource: PlanningResource = .equipment, span: PlanningSpan = .week, from: String = "",
            availability: PlanningAvailability = .all, checkFrom: String = "", checkTo: String = ""
        ) {
            self.resource = resource
            self.span = span
            self.from = from
            self.availability = availability
            self.checkFrom = checkFrom
            self.checkTo = checkTo
        }
    }

    public var context: PageContext
    public var filter: Filter
    /// The rows left after the filter; `board.utilisation` is still the whole fleet's.
    public var board: PlanningBoard
    /// The start of today in company time (marks today's column).
    public var today: Date
    /// The phone's day list: the start of its day.
    public var day: Date
    /// The day list's rows (every resource, with its bars of that day).
    public var dayRows: [(row: PlanningRow, bars: [PlanningBar])]
    /// Drag to move and select to create (admins and managers).
    public var canEdit: Bool

    public init(
        context: PageContext, filter: Filter, board: PlanningBoard, today: Date, day: Date,
        dayRows: [(row: PlanningRow, bars: [PlanningBar])], canEdit: Bool
    ) {
        self.context = context
        self.filter = filter
        self.board = board
        self.today = today
        self.day = day
        self.dayRows = dayRows
        self.canEdit = canEdit
    }
}

/// «Мои смены» (`/shifts`): an operator's assignments for the next 14 days, by day.
public struct ShiftsModel: Sendable {
    public var context: PageContext
    public var period: PlanningPeriod
    public var orders: [PlanningOrder]
    /// The feed is on (a link to its settings either way).
    public var feedIsOn: Bool

    public init(context: PageContext, period: PlanningPeriod, orders: [PlanningOrder], feedIsOn: Bool) {
        self.context = context
        self.period = period
        self.orders = orders
        self.feedIsOn = feedIsOn
    }
}

/// «Календарь смен» in «Профиль» (`/profile/calendar`): the private feed's address, on/off.
public struct CalendarSettingsModel: Sendable {
    public var context: PageContext
    /// The feed's absolute address while it is on.
    public var feedURL: String?

    public init(context: PageContext, feedURL: String?) {
        self.context = context
        self.feedURL = feedURL
    }
}

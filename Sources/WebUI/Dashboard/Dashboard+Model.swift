import Foundation

/// «Главная». Operators get only their own orders and no KPIs; the controller scopes the data.
public struct DashboardModel: Sendable {
    public struct Stats: Sendable {
        /// CREATED + APPROVED.
        public var newOrders: Int
        public var inProgress: Int
        public var completed: Int
        /// Sum of completed orders' totals in kopecks; `nil` hides the tile (show it to admin and accountant).
        public var revenue: Int64?

        public init(newOrders: Int, inProgress: Int, completed: Int, revenue: Int64? = nil) {
            self.newOrders = newOrders
            self.inProgress = inProgress
            self.completed = completed
            self.revenue = revenue
        }
    }

    /// Orders created on one calendar day (company time).
    public struct DayCount: Sendable {
        public var day: Date
        public var count: Int

        public init(day: Date, count: Int) {
            self.day = day
            self.count = count
        }
    }

    public var context: PageContext
    /// `nil` for operators.
    public var stats: Stats?
    /// Orders starting today.
    public var today: [OrderSummary]
    /// Orders starting in the next days.
    public var upcoming: [OrderSummary]
    /// The last 7 calendar days, oldest first; empty hides the chart.
    public var lastWeek: [DayCount]
    /// The owner's figures (admins and accountants, who read the reports); nil for the other roles.
    public var owner: Owner?

    public init(
        context: PageContext, stats: Stats? = nil, today: [OrderSummary] = [], upcoming: [OrderSummary] = [],
        lastWeek: [DayCount] = [], owner: Owner? = nil
    ) {
        self.context = context
        self.stats = stats
        self.today = today
        self.upcoming = upcoming
        self.lastWeek = lastWeek
        self.owner = owner
    }
}

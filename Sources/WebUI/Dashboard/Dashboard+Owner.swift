import Foundation

extension DashboardModel {
    /// The owner's figures of a period against the period before it. GET `/` with `period` (`month`, `quarter`,
    /// `year`, `custom`) and, for `custom`, `from`/`to` (`yyyy-MM-dd`).
    public struct Owner: Sendable {
        public enum PeriodKind: String, Sendable, CaseIterable {
            case month, quarter, year, custom

            public var title: String {
                switch self {
                case .month: "Этот месяц"
                case .quarter: "Этот квартал"
                case .year: "Этот год"
                case .custom: "Свой период"
                }
            }
        }

        /// Kopecks of this period and of the one before.
        public struct Figure: Sendable, Equatable {
            public var current: Int64
            public var previous: Int64

            public init(current: Int64, previous: Int64) {
                self.current = current
                self.previous = previous
            }
        }

        public struct Machine: Sendable, Equatable {
            public var name: String
            public var code: String
            /// Kopecks: the equipment report's margin (gross − fuel − repair − operators' pay).
            public var margin: Int64
            /// Booked hours.
            public var hours: Double

            public init(name: String, code: String = "", margin: Int64, hours: Double = 0) {
                self.name = name
                self.code = code
                self.margin = margin
                self.hours = hours
            }
        }

        public struct Week: Sendable, Equatable {
            /// `yyyy-MM-dd`, inclusive.
            public var first: String
            public var last: String
            public var revenue: Int64

            public init(first: String, last: String, revenue: Int64) {
                self.first = first
                self.last = last
                self.revenue = revenue
            }
        }

        public var kind: PeriodKind
        /// `yyyy-MM-dd`, inclusive.
        public var from: String
        public var to: String
        public var previousFrom: String
        public var previousTo: String
        public var revenue: Figure
        public var margin: Figure
        /// What clients owe at the end of each period (today for the current one).
        public var debt: Figure
        /// «Загрузка парка» in percent: booked machine-days ÷ available machine-days; nil when none are available.
        public var utilisation: Double?
        public var previousUtilisation: Double?
        public var topMachines: [Machine]
        public var weeks: [Week]
        /// The chooser's fields that could not be read (`from`, `to`).
        public var errors: FormErrors

        public init(
            kind: PeriodKind, from: String, to: String, previousFrom: String, previousTo: String, revenue: Figure,
            margin: Figure, debt: Figure, utilisation: Double? = nil, previousUtilisation: Double? = nil,
            topMachines: [Machine] = [], weeks: [Week] = [], errors: FormErrors = [:]
        ) {
            self.kind = kind
            self.from = from
            self.to = to
            self.previousFrom = previousFrom
            self.previousTo = previousTo
            self.revenue = revenue
            self.margin = margin
            self.debt = debt
            self.utilisation = utilisation
            self.previousUtilisation = previousUtilisation
            self.topMachines = topMachines
            self.weeks = weeks
            self.errors = errors
        }
    }
}

extension Paths {
    /// «Главная» with the owner's period: `period` is `month`, `quarter`, `year` or `custom` (with `from`/`to`).
    public static func dashboard(period: String = "", from: String = "", to: String = "") -> String {
        return home() + query(["period": period, "from": from, "to": to])
    }
}

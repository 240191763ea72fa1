/// «Отчёты»: GET `/reports` (links to the three reports).
public struct ReportsIndexModel: Sendable {
    public var context: PageContext

    public init(context: PageContext) {
        self.context = context
    }
}

/// «Общий отчёт»: GET `/reports/summary?from=&to=` (`?export=csv|xlsx` downloads the same data). Money in kopecks.
public struct SummaryReportModel: Sendable {
    public var context: PageContext
    public var from: String
    public var to: String
    public var revenue: Int64
    /// All expenses, fuel and repair included.
    public var expenses: Int64
    public var fuel: Int64
    public var repair: Int64
    public var salaries: Int64
    public var ordersCount: Int
    public var servicesRevenue: Int64
    public var equipmentRevenue: Int64
    public var equipmentHours: Double
    public var equipmentShifts: Int

    public init(
        context: PageContext, from: String = "", to: String = "", revenue: Int64, expenses: Int64,
        fuel: Int64 = 0, repair: Int64 = 0, salaries: Int64, ordersCount: Int, servicesRevenue: Int64 = 0,
        equipmentRevenue: Int64 = 0, equipmentHours: Double = 0, equipmentShifts: Int = 0
    ) {
        self.context = context
        self.from = from
        self.to = to
        self.revenue = revenue
        self.expenses = expenses
        self.fuel = fuel
        self.repair = repair
        self.salaries = salaries
        self.ordersCount = ordersCount
        self.servicesRevenue = servicesRevenue
        self.equipmentRevenue = equipmentRevenue
        self.equipmentHours = equipmentHours
        self.equipmentShifts = equipmentShifts
    }

    /// Revenue − expenses − salaries.
    public var margin: Int64 { revenue - expenses - salaries }
}

/// «Отчёт по технике»: GET `/reports/equipment?from=&to=`.
public struct EquipmentReportModel: Sendable {
    public struct Row: Sendable {
        public var name: String
        public var code: String
        public var hours: Double
        public var revenue: Int64
        public var expenses: Int64
        public var fuel: Int64
        public var repair: Int64

        public init(
            name: String, code: String, hours: Double, revenue: Int64, expenses: Int64, fuel: Int64 = 0,
            repair: Int64 = 0
        ) {
            self.name = name
            self.code = code
            self.hours = hours
            self.revenue = revenue
            self.expenses = expenses
            self.fuel = fuel
            self.repair = repair
        }
    }

    public var context: PageContext
    public var from: String
    public var to: String
    public var rows: [Row]

    public init(context: PageContext, from: String = "", to: String = "", rows: [Row]) {
        self.context = context
        self.from = from
        self.to = to
        self.rows = rows
    }
}

/// «Отчёт по сотрудникам»: GET `/reports/employees?from=&to=`.
public struct EmployeesReportModel: Sendable {
    public struct Row: Sendable {
        public var name: String
        public var assignments: Int
        public var hours: Double
        /// Kopecks of salary.
        public var amount: Int64

        public init(name: String, assignments: Int, hours: Double, amount: Int64) {
            self.name = name
            self.assignments = assignments
            self.hours = hours
            self.amount = amount
        }
    }

    public var context: PageContext
    public var from: String
    public var to: String
    public var rows: [Row]

    public init(context: PageContext, from: String = "", to: String = "", rows: [Row]) {
        self.context = context
        self.from = from
        self.to = to
        self.rows = rows
    }
}

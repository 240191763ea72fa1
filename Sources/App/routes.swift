import Domain
import Vapor

/// Every route of the program, with the auth and role guards it sits behind.
func routes(_ app: Application, metrics: RequestMetrics?) throws {
    try app.register(collection: HealthController())
    if let metrics { try app.register(collection: MetricsController(metrics: metrics)) }

    let api = app.grouped("api", "v1").grouped(BearerTokenAuthenticator())
    try api.register(collection: AuthAPIController())

    let signedIn = api.grouped(RequireUser()).grouped(IdempotencyMiddleware())
    let users = UsersAPIController()
    do {  // own profile
        signedIn.get("users", "me", use: users.me)
        signedIn.patch("users", "me", use: users.updateMe)
        signedIn.put("users", "me", use: users.updateMe)
        signedIn.post("users", "change-password", use: users.changePassword)
        signedIn.grouped(RequireRole(.admin, .manager)).get("users", "operators", use: users.operators)
    }
    do {  // user management
        let admin = signedIn.grouped(RequireRole(.admin))
        admin.get("users", use: users.list)
        admin.post("users", use: users.create)
        admin.get("users", ":id", use: users.show)
        admin.put("users", ":id", use: users.update)
        admin.patch("users", ":id", use: users.update)
        admin.delete("users", ":id", use: users.delete)
    }
    do {  // orders: reading is for every role (operators see their own); writing for staff
        let orders = OrdersAPIController()
        let staff = signedIn.grouped(RequireRole(.admin, .manager))
        signedIn.get("orders", use: orders.list)
        signedIn.get("orders", ":id", use: orders.show)
        staff.post("orders", use: orders.create)
        staff.post("orders", "preview", use: orders.preview)
        staff.put("orders", ":id", use: orders.update)
        staff.patch("orders", ":id", use: orders.update)
        signedIn.grouped(RequireRole(.admin)).delete("orders", ":id", use: orders.destroy)
        staff.post("orders", ":id", "delete", use: orders.deleteAction)
        signedIn.patch("orders", ":id", "status", use: orders.changeStatus)
        signedIn.post("orders", ":id", "complete", use: orders.complete)
        staff.post("orders", ":id", "salaries", use: orders.setPay)
        signedIn.grouped(RequireRole(.admin, .manager, .operator)).post("orders", ":id", "calculate", "preview", use: orders.preview)
        signedIn.get("equipment", ":id", "schedule", use: orders.schedule)
    }
    do {  // finance: reports for admins and accountants; money records also for managers
        let reports = ReportsAPIController()
        let readers = signedIn.grouped(RequireRole(.admin, .accountant, message: ReportsAPIController.forbidden))
        readers.get("reports", "summary", use: reports.summary)
        readers.get("reports", "equipment", use: reports.equipment)
        readers.get("reports", "employees", use: reports.employees)

        let salaries = SalariesAPIController()
        let payroll = signedIn.grouped(RequireRole(.admin, .accountant))
        payroll.get("salaries", use: salaries.list)
        payroll.get("salaries", ":id", use: salaries.show)
        payroll.patch("salaries", ":id", use: salaries.update)
        signedIn.grouped(RequireRole(.operator, message: SalariesAPIController.operatorsOnly))
            .get("users", "operator", "salary", use: salaries.operatorView)

        let money = signedIn.grouped(RequireRole(.admin, .manager, .accountant))
        let expenses = ExpensesAPIController()
        money.get("expenses", use: expenses.list)
        money.post("expenses", use: expenses.create)
        money.get("expenses", ":id", use: expenses.show)
        money.put("expenses", ":id", use: expenses.update)
        money.patch("expenses", ":id", use: expenses.update)
        money.delete("expenses", ":id", use: expenses.delete)
        let payments = PaymentsAPIController()
        money.get("payments", use: payments.list)
        money.post("payments", use: payments.create)
        money.get("payments", ":id", use: payments.show)
        money.put("payments", ":id", use: payments.update)
        money.patch("payments", ":id", use: payments.update)
        money.delete("payments", ":id", use: payments.delete)
        money.get("orders", ":id", "payments", use: payments.ofOrder)
        let invoices = InvoicesAPIController()
        money.post("orders", ":id", "generate_invoice", use: invoices.generate)
        money.get("invoices", use: invoices.list)
        money.get("invoices", ":id", use: invoices.show)
        money.get("clients", ":id", "balance", use: ClientBalanceAPIController().balance)
    }
    do {  // background jobs, for admins
        let jobs = JobsAPIController()
        let admin = signedIn.grouped(RequireRole(.admin))
        admin.get("jobs", use: jobs.list)
        admin.get("jobs", ":id", use: jobs.show)
        admin.post("jobs", ":id", "retry", use: jobs.retry)
    }
}

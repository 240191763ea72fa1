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
        admin.get("audit", use: AuditAPIController().list)
    }
    do {  // orders: reading is for every role (operators see their own); writing for staff
        let orders = OrdersAPIController()
        let staff = signedIn.grouped(RequireRole(.admin, .manager))
        signedIn.get("orders", use: orders.list)
        signedIn.get("orders", ":id", use: orders.show)
        staff.post("orders", use: orders.create)
        staff.put("orders", ":id", use: orders.update)
        staff.patch("orders", ":id", use: orders.update)
        signedIn.grouped(RequireRole(.admin)).delete("orders", ":id", use: orders.destroy)
        staff.post("orders", ":id", "delete", use: orders.deleteAction)
        signedIn.patch("orders", ":id", "status", use: orders.changeStatus)
        signedIn.post("orders", ":id", "complete", use: orders.complete)
        staff.post("orders", ":id", "salaries", use: orders.setPay)
        // The price preview also answers the web order form (session cookie, urlencoded fields).
        let previews = api.grouped(SessionAuthenticator(), CSRFGuard(onlySessions: true), RequireUser())
        previews.grouped(RequireRole(.admin, .manager)).post("orders", "preview", use: orders.preview)
        previews.grouped(RequireRole(.admin, .manager, .operator)).post("orders", ":id", "calculate", "preview", use: orders.preview)
        signedIn.get("equipment", ":id", "schedule", use: orders.schedule)
    }
    registerCatalogAndClientRoutes(signedIn)
    registerWebRoutes(app)
}

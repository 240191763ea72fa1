import Domain
import Vapor

/// Every route of the program, with the auth and role guards it sits behind.
func routes(_ app: Application, metrics: RequestMetrics?) throws {
    try app.register(collection: HealthController())
    if let metrics { try app.register(collection: MetricsController(metrics: metrics)) }

    let api = app.grouped("api", "v1").grouped(BearerTokenAuthenticator())
    try api.register(collection: AuthAPIController())

    let signedIn = api.grouped(RequireUser())
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
    registerCatalogAndClientRoutes(signedIn)
}

import Domain
import Vapor
import WebUI

/// Every page of the web UI, with its guards: the session cookie, sign-in, CSRF on posts, idempotency keys for
/// the offline queue, and the section a role may open (`Navigation.isVisible`, as the menu shows it).
func registerWebRoutes(_ app: Application) {
    WebErrors.install(on: app)
    let web = app.grouped(SessionAuthenticator())

    let auth = AuthWebController()
    web.get("login", use: auth.loginForm)
    web.grouped(CSRFGuard()).post("login", use: auth.login)

    let signedIn = web.grouped(RequireWebUser(), CSRFGuard(), IdempotencyMiddleware())
    signedIn.post("logout", use: auth.logout)
    signedIn.get(use: DashboardWebController().show)

    do {  // orders: every role reads (operators their own); staff create, edit and delete
        let orders = OrdersWebController()
        let completion = OrderCompletionWebController()
        let staff = signedIn.grouped(RequireRole(.admin, .manager))
        signedIn.get("orders", use: orders.list)
        staff.get("orders", "new", use: orders.newForm)
        staff.post("orders", "new", use: orders.create)
        signedIn.get("orders", ":id", use: orders.show)
        staff.get("orders", ":id", "edit", use: orders.editForm)
        staff.post("orders", ":id", "edit", use: orders.update)
        signedIn.post("orders", ":id", "status", use: orders.changeStatus)
        signedIn.get("orders", ":id", "complete", use: completion.form)
        signedIn.post("orders", ":id", "complete", use: completion.complete)
        staff.post("orders", ":id", "delete", use: orders.delete)
    }
    do {  // catalogue and clients (read-only until the catalog API lands)
        let catalog = CatalogWebController()
        let catalogSection = signedIn.grouped(RequireSection(section: .catalog))
        catalogSection.get("catalog", use: catalog.index)
        catalogSection.get("catalog", ":kind", use: catalog.list)
        signedIn.grouped(RequireSection(section: .clients)).get("clients", use: catalog.clients)
    }
    do {  // money pages
        let reports = ReportsWebController()
        let reportSection = signedIn.grouped(RequireSection(section: .reports))
        reportSection.get("reports", use: reports.index)
        reportSection.get("reports", "summary", use: reports.summary)
        reportSection.get("reports", "equipment", use: reports.equipment)
        reportSection.get("reports", "employees", use: reports.employees)
        signedIn.grouped(RequireSection(section: .salary)).get("salary", use: SalaryWebController().show)
    }
    do {  // users (admin) and the own profile
        let users = UsersWebController()
        let admin = signedIn.grouped(RequireSection(section: .users))
        admin.get("users", use: users.list)
        admin.get("users", "new", use: users.newForm)
        admin.post("users", "new", use: users.create)
        admin.get("users", ":id", "edit", use: users.editForm)
        admin.post("users", ":id", "edit", use: users.update)
        let profile = ProfileWebController()
        signedIn.get("profile", use: profile.show)
        signedIn.post("profile", "password", use: profile.changePassword)
    }
}

/// Content types and caching for the static files `FileMiddleware` serves from `Public/`: the web manifest as
/// `application/manifest+json`, and the service worker revalidated on every load so an update reaches phones.
struct StaticFileHeaders: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let response = try await next.respond(to: request)
        guard request.method == .GET || request.method == .HEAD, response.status == .ok else { return response }
        let path = request.url.path
        if path.hasSuffix(".webmanifest") {
            response.headers.replaceOrAdd(name: .contentType, value: "application/manifest+json")
        } else if path == "/sw.js" {
            response.headers.replaceOrAdd(name: .cacheControl, value: "no-cache")
            response.headers.replaceOrAdd(name: "Service-Worker-Allowed", value: "/")
        }
        return response
    }
}

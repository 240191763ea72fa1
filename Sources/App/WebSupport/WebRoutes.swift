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
    web.get("register", use: auth.registerForm)
    web.grouped(CSRFGuard()).post("register", use: auth.register)

    let signedIn = web.grouped(
        RequireWebUser(), CSRFGuard(), IdempotencyMiddleware().onlyWhen(IdempotencyMiddleware.applies))
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
        signedIn.get("orders", ":id", "receipt", use: DocumentsWebController().receipt)
        staff.get("orders", ":id", "edit", use: orders.editForm)
        staff.post("orders", ":id", "edit", use: orders.update)
        signedIn.post("orders", ":id", "status", use: orders.changeStatus)
        signedIn.get("orders", ":id", "complete", use: completion.form)
        signedIn.post("orders", ":id", "complete", use: completion.complete)
        staff.post("orders", ":id", "delete", use: orders.delete)
        // The multipart body is collected up to the upload limit (plus room for the other fields).
        let photoBody = HTTPBodyStreamStrategy.collect(maxSize: app.config.uploadBodyLimit)
        signedIn.grouped(RequireRole(.admin, .manager, .operator))
            .on(.POST, "orders", ":id", "photos", body: photoBody, use: OrderPhotosWebController().upload)
        signedIn.get("orders", ":id", "photos", ":photoID", use: OrderPhotosWebController().download)
    }
    do {  // catalogue and clients: the section's roles read, admins and managers edit (the API's rules)
        let catalog = CatalogWebController()
        let editing = CatalogEditWebController()
        let catalogSection = signedIn.grouped(RequireSection(section: .catalog))
        catalogSection.get("catalog", use: catalog.index)
        catalogSection.get("catalog", ":kind", use: catalog.list)
        let catalogEditors = catalogSection.grouped(RequireRole(.admin, .manager))
        catalogEditors.get("catalog", ":kind", "new", use: editing.newItem)
        catalogEditors.post("catalog", ":kind", "new", use: editing.createItem)
        catalogEditors.get("catalog", ":kind", ":id", "edit", use: editing.editItem)
        catalogEditors.post("catalog", ":kind", ":id", "edit", use: editing.updateItem)
        catalogEditors.post("catalog", ":kind", ":id", "active", use: editing.setItemActive)
        let clientSection = signedIn.grouped(RequireSection(section: .clients))
        let clients = ClientsWebController()
        clientSection.get("clients", use: clients.list)
        let clientEditors = clientSection.grouped(RequireRole(.admin, .manager))
        clientEditors.get("clients", "new", use: clients.newClient)
        clientEditors.post("clients", "new", use: clients.createClient)
        clientEditors.get("clients", ":id", "edit", use: clients.editClient)
        clientEditors.post("clients", ":id", "edit", use: clients.updateClient)
        clientEditors.post("clients", ":id", "active", use: clients.setClientActive)
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
    do {  // documents and the company's requisites (docs/documents.md): the API's roles
        let company = CompanyWebController()
        let companySection = signedIn.grouped(RequireSection(section: .company))
        companySection.get("settings", "company", use: company.show)
        companySection.grouped(RequireRole(.admin)).post("settings", "company", use: company.save)
        let invoices = InvoicesWebController()
        let money = signedIn.grouped(RequireRole(.admin, .manager, .accountant))
        money.post("orders", ":id", "invoice", use: invoices.issue)
        money.get("invoices", ":id", "pdf", use: invoices.pdf)
        let documents = DocumentsWebController()
        money.get("orders", ":id", "act", use: documents.act)
        money.post("orders", ":id", "send", use: documents.send)
        money.get("clients", ":id", "reconciliation", use: documents.reconciliation)
    }
    do {  // the office's money day (docs/ui.md): each feature registers its pages behind its section's guard
        registerInvoiceAndPaymentPages(signedIn)

        registerDebtAndClientCardPages(signedIn)

        registerExpenseAndSalaryPages(signedIn, uploadBodyLimit: app.config.uploadBodyLimit)

        registerAuditPages(signedIn)
    }
    do {  // planning (docs/planning.md) and moving in (docs/import.md)
        registerPlanningPages(web: web, signedIn: signedIn)

        registerImportPages(signedIn)
    }
    do {  // users (admin), the own profile and notifications
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
        let notifications = NotificationsWebController()
        signedIn.get("profile", "notifications", use: notifications.settings)
        signedIn.post("profile", "notifications", use: notifications.save)
        signedIn.post("profile", "notifications", "telegram", "link", use: notifications.linkTelegram)
        signedIn.post("profile", "notifications", "telegram", "unlink", use: notifications.unlinkTelegram)
        // app.js posts the browser's push subscription as JSON (CSRF in `X-CSRF-Token`).
        signedIn.post("profile", "notifications", "push", use: notifications.subscribePush)
        signedIn.post("profile", "notifications", "push", "remove", use: notifications.unsubscribePush)
        signedIn.get("notifications", use: notifications.inbox)
        signedIn.post("notifications", "read-all", use: notifications.readAll)
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

import Domain
import Vapor

/// Every route of the program, with the auth and role guards it sits behind.
func routes(_ app: Application, metrics: RequestMetrics?) throws {
    try app.register(collection: HealthController())
    if let metrics { try app.register(collection: MetricsController(metrics: metrics)) }
    app.get("api", "schema", use: OpenAPIDocument.serve)

    let api = app.grouped("api", "v1").grouped(BearerTokenAuthenticator())
    try api.register(collection: AuthAPIController())

    let signedIn = api.grouped(RequireUser()).grouped(IdempotencyMiddleware().onlyWhen(IdempotencyMiddleware.applies))
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
        staff.post("orders", use: orders.create).serialisingItsWrites()
        staff.put("orders", ":id", use: orders.update).serialisingItsWrites()
        staff.patch("orders", ":id", use: orders.update).serialisingItsWrites()
        signedIn.grouped(RequireRole(.admin)).delete("orders", ":id", use: orders.destroy)
        staff.post("orders", ":id", "delete", use: orders.deleteAction)
        signedIn.patch("orders", ":id", "status", use: orders.changeStatus).serialisingItsWrites()
        signedIn.post("orders", ":id", "complete", use: orders.complete).serialisingItsWrites()
        staff.post("orders", ":id", "salaries", use: orders.setPay)
        // The price preview also answers the web order form (session cookie, urlencoded fields).
        let previews = api.grouped(SessionAuthenticator(), CSRFGuard(onlySessions: true), RequireUser())
        previews.grouped(RequireRole(.admin, .manager)).post("orders", "preview", use: orders.preview)
        previews.grouped(RequireRole(.admin, .manager, .operator)).post(
            "orders", ":id", "calculate", "preview", use: orders.preview)
        signedIn.get("equipment", ":id", "schedule", use: orders.schedule)
        signedIn.get("orders", ":id", "receipt", use: DocumentsAPIController().receipt)
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
        money.on(
            .POST, "expenses", ":id", "receipt", body: .collect(maxSize: app.config.uploadBodyLimit),
            use: expenses.uploadReceipt)
        money.get("expenses", ":id", "receipt", use: expenses.receipt)
        money.delete("expenses", ":id", "receipt", use: expenses.deleteReceipt)
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
        money.get("invoices", ":id", "pdf", use: DocumentsAPIController().invoice)
        let company = CompanyAPIController()
        money.get("company", use: company.show)
        signedIn.grouped(RequireRole(.admin)).put("company", use: company.update)
        signedIn.grouped(RequireRole(.admin)).patch("company", use: company.update)
        money.get("clients", ":id", "balance", use: ClientBalanceAPIController().balance)
        // Documents of completed work and of the client's account (docs/documents.md).
        let documents = DocumentsAPIController()
        money.get("orders", ":id", "act", use: documents.act)
        money.get("clients", ":id", "reconciliation", use: documents.reconciliation)
    }
    do {  // documents by e-mail (docs/documents.md), queued as jobs
        let mail = DocumentMailAPIController()
        let senders = signedIn.grouped(RequireRole(.admin, .manager, .accountant))
        senders.post("orders", ":id", "receipt", "send", use: mail.sendReceipt)
        senders.post("orders", ":id", "act", "send", use: mail.sendAct)
        senders.post("invoices", ":id", "send", use: mail.sendInvoice)
    }
    do {  // background jobs, for admins
        let jobs = JobsAPIController()
        let admin = signedIn.grouped(RequireRole(.admin))
        admin.get("jobs", use: jobs.list)
        admin.get("jobs", ":id", use: jobs.show)
        admin.post("jobs", ":id", "retry", use: jobs.retry)
    }
    registerCatalogAndClientRoutes(signedIn)
    registerPhotoRoutes(signedIn, uploadMaxBytes: app.config.uploadMaxBytes)
    registerNotificationRoutes(api: api, signedIn: signedIn)
    registerPlanningAPI(signedIn)
    registerWebRoutes(app)
}

/// Photo evidence: upload for the assigned operator, managers and admins; reading for whoever may see the order.
func registerPhotoRoutes(_ signedIn: any RoutesBuilder, uploadMaxBytes: Int) {
    let photos = PhotosAPIController()
    // Room for the multipart framing and the other fields; the file itself is checked against the limit.
    let uploadBody = HTTPBodyStreamStrategy.collect(maxSize: AppConfig.uploadBodyLimit(uploadMaxBytes))
    signedIn.grouped(RequireRole(.admin, .manager, .operator))
        .on(.POST, "orders", ":id", "photos", body: uploadBody, use: photos.upload)
    signedIn.get("orders", ":id", "photos", use: photos.list)
    signedIn.get("orders", ":id", "photos", ":photoID", use: photos.show)
    signedIn.get("orders", ":id", "photos", ":photoID", "file", use: photos.download)
    signedIn.delete("orders", ":id", "photos", ":photoID", use: photos.delete)
}

/// The caller's notifications, devices, subscriptions and preferences; the Telegram webhook (no user).
func registerNotificationRoutes(api: any RoutesBuilder, signedIn: any RoutesBuilder) {
    let telegram = TelegramAPIController()
    api.post("notifications", "telegram", "webhook", use: telegram.webhook)
    let inbox = signedIn.grouped("notifications")
    do {  // the inbox
        let messages = NotificationInboxAPIController()
        inbox.get(use: messages.list)
        inbox.get("unread-count", use: messages.unreadCount)
        inbox.post("read-all", use: messages.markAllRead)
        inbox.post("mark-all-read", use: messages.markAllRead)
        inbox.post(":id", "read", use: messages.markRead)
    }
    do {  // devices (and Web Push subscriptions as `web` devices)
        let devices = NotificationDevicesAPIController()
        inbox.get("device-tokens", use: devices.list)
        inbox.post("device-tokens", use: devices.register)
        inbox.get("device-tokens", ":id", use: devices.show)
        inbox.put("device-tokens", ":id", use: devices.update)
        inbox.patch("device-tokens", ":id", use: devices.update)
        inbox.delete("device-tokens", ":id", use: devices.delete)
        inbox.get("webpush", "public-key", use: devices.vapidPublicKey)
        inbox.post("webpush", "subscriptions", use: devices.subscribeWebPush)
        inbox.delete("webpush", "subscriptions", use: devices.unsubscribeWebPush)
    }
    do {  // channel subscriptions of the original API
        let subscriptions = NotificationSubscriptionsAPIController()
        inbox.get("subscriptions", use: subscriptions.list)
        inbox.post("subscriptions", use: subscriptions.create)
        inbox.get("subscriptions", ":id", use: subscriptions.show)
        inbox.put("subscriptions", ":id", use: subscriptions.update)
        inbox.patch("subscriptions", ":id", use: subscriptions.update)
        inbox.delete("subscriptions", ":id", use: subscriptions.delete)
    }
    do {  // preferences, the original's alias, and the delivery log
        let preferences = NotificationPreferencesAPIController()
        inbox.get("preferences", use: preferences.show)
        inbox.put("preferences", use: preferences.update)
        inbox.patch("preferences", use: preferences.update)
        inbox.get("preferences", "preferences", use: preferences.legacy)
        inbox.post("preferences", "preferences", use: preferences.saveLegacy)
        inbox.get("preferences", "logs", use: preferences.logs)
    }
    do {  // Telegram
        inbox.get("telegram", use: telegram.status)
        inbox.post("telegram", "link", use: telegram.createLink)
        inbox.delete("telegram", "link", use: telegram.unlink)
    }
}

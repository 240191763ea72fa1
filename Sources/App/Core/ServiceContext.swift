import Domain
import Fluent
import Foundation
import Vapor

/// Where a request came from, for the audit trail.
struct RequestOrigin: Sendable {
    var ip: String
    var requestID: String
    var userAgent: String

    /// Work the program does on its own (jobs, commands, tests).
    static let system = RequestOrigin(ip: "", requestID: "", userAgent: "")

    init(ip: String, requestID: String, userAgent: String) {
        self.ip = ip
        self.requestID = requestID
        self.userAgent = userAgent
    }

    init(_ request: Request) {
        ip = request.clientIP
        requestID = request.headers.first(name: "X-Request-ID") ?? ""
        userAgent = String((request.headers.first(name: .userAgent) ?? "").prefix(255))
    }
}

/// What every service is built from: a database, who asks, and the parts of the program it may use.
/// Route handlers get one from `req.services`; tests build one with `ServiceContext(app:caller:)` and
/// call the services without HTTP.
struct ServiceContext: Sendable {
    let db: any Database
    let caller: Caller
    let origin: RequestOrigin
    let app: Application
    let logger: Logger
    /// The time services stamp on what they write; tests may fix it.
    var now: @Sendable () -> Date = { Date() }

    var config: AppConfig { app.config }
    var timeZone: TimeZone { app.config.timeZone }
    var writes: WriteSerializer { app.writeSerializer }
    var files: any FileStorage { app.fileStorage }
    var notifier: Notifier { Notifier(app: app, logger: logger) }
    /// The audit trail written as this caller, on `db` (pass a transaction's database inside one).
    func audit(on db: (any Database)? = nil) -> AuditRecorder {
        AuditRecorder(db: db ?? self.db, caller: caller, origin: origin)
    }

    init(db: any Database, caller: Caller, origin: RequestOrigin, app: Application, logger: Logger) {
        self.db = db
        self.caller = caller
        self.origin = origin
        self.app = app
        self.logger = logger
    }

    /// For tests and commands: `caller` acting on the application's database, from the system origin.
    init(app: Application, caller: Caller) {
        self.init(db: app.db, caller: caller, origin: .system, app: app, logger: app.logger)
    }

    /// The same caller on another database (a transaction).
    func on(_ db: any Database) -> ServiceContext {
        var context = ServiceContext(db: db, caller: caller, origin: origin, app: app, logger: logger)
        context.now = now
        return context
    }
}

extension Request {
    /// The signed-in caller's service context; 401 when nobody is signed in.
    var services: ServiceContext {
        get throws {
            ServiceContext(db: db, caller: try caller, origin: RequestOrigin(self), app: application, logger: logger)
        }
    }
}

import Domain
import Fluent
import Foundation
import SQLKit
import Vapor

/// Housekeeping: drops expired refresh tokens, login attempts and idle throttle counters older than a day,
/// idempotency keys older than 48 hours, finished jobs older than 30 days and dead ones older than 90 days. Hourly.
struct MaintenanceCleanupJob: Job {
    static let name = "maintenance.cleanup"
    static let maxAttempts = 3

    static let loginAttemptsKept: TimeInterval = 86_400
    static let idempotencyKeysKept: TimeInterval = IdempotencyMiddleware.lifetime
    static let succeededJobsKept: TimeInterval = 30 * 86_400
    static let deadJobsKept: TimeInterval = 90 * 86_400

    static func run(_ context: JobContext) async throws -> JSONValue? {
        let now = context.now
        let targets: [(key: String, table: String, condition: SQLQueryString)] = [
            ("refresh_tokens", "refresh_tokens", "expires_at < \(bind: now)"),
            ("login_attempts", "login_attempts", "created_at < \(bind: now.addingTimeInterval(-loginAttemptsKept))"),
            (
                "attempt_throttles", "attempt_throttles",
                """
                last_attempt_at < \(bind: now.addingTimeInterval(-loginAttemptsKept))
                AND (blocked_until IS NULL OR blocked_until < \(bind: now))
                """
            ),
            (
                "idempotency_keys", "idempotency_keys",
                "created_at < \(bind: now.addingTimeInterval(-idempotencyKeysKept))"
            ),
            (
                "jobs", "jobs",
                """
                (status = \(bind: JobStatus.succeeded.rawValue)
                 AND finished_at < \(bind: now.addingTimeInterval(-succeededJobsKept)))
                OR (status = \(bind: JobStatus.dead.rawValue)
                    AND finished_at < \(bind: now.addingTimeInterval(-deadJobsKept)))
                """
            ),
        ]
        var removed: [String: JSONValue] = [:]
        for target in targets {
            let count = try await context.application.writeSerializer.run {
                let sql = try context.db.sql()
                var query: SQLQueryString = "DELETE FROM \(ident: target.table) WHERE "
                query += target.condition
                query += " RETURNING 1 AS removed"
                return try await sql.raw(query).all().count
            }
            removed[target.key] = .number(Decimal(count))
        }
        context.logger.info("cleanup done", metadata: ["removed": "\(JSONValue.object(removed).jsonText)"])
        return .object(["removed": .object(removed)])
    }
}

/// The daily list of clients who owe money, with the debt by age, for the admins (docs/original-bugs.md, F10: no
/// overdue reminders existed). Kept as the job's `result`; the notifications feature delivers it.
struct DebtDigestJob: Job {
    static let name = "finance.debt_digest"
    static let maxAttempts = 3

    static func run(_ context: JobContext) async throws -> JSONValue? {
        let sql = try context.db.sql()
        let timeZone = context.application.config.timeZone
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        // Who owes anything at all, decided in SQL: billed (completed orders) above paid (successful payments).
        let debtors = try await sql.raw(
            """
            SELECT c.id AS client_id FROM clients c
            WHERE CAST(COALESCE((SELECT SUM(o.total_amount) FROM orders o
                                 WHERE o.client_id = c.id AND o.status = \(bind: OrderStatus.completed.rawValue)), 0)
                        AS BIGINT)
                > CAST(COALESCE((SELECT SUM(p.amount) FROM payments p JOIN orders o ON o.id = p.order_id
                                 WHERE o.client_id = c.id AND p.status = \(bind: PaymentStatus.success.rawValue)), 0)
                        AS BIGINT)
            ORDER BY c.id
            """
        ).all().map { try $0.decode(column: "client_id", as: Int.self) }
        let account = ClientAccount(sql: sql)
        var clients: [JSONValue] = []
        var digest: [Notifier.DebtLine] = []
        var total = Money.zero
        for id in debtors {
            guard let client = try await account.client(id) else { continue }
            let statement = try await account.statement(of: client, asOf: context.now, calendar: calendar)
            let balance = statement.balance
            guard balance.debt.isPositive else { continue }
            total += balance.debt
            digest.append(
                Notifier.DebtLine(
                    clientName: client.name, outstandingKopecks: balance.debt.kopecks,
                    oldestDays: balance.openOrders.map(\.ageInDays).max() ?? 0))
            clients.append(
                .object([
                    "client_id": .number(Decimal(client.id)), "name": .string(client.name),
                    "debt": .string(balance.debt.plainString),
                    "credit_limit": client.creditLimit.map { .string(FinanceJSON.money($0)) } ?? .null,
                    "over_limit": .bool(statement.isOverLimit),
                    "ageing": .object([
                        "0_30": .string(balance.ageing.upTo30Days.plainString),
                        "31_60": .string(balance.ageing.days31To60.plainString),
                        "61_90": .string(balance.ageing.days61To90.plainString),
                        "90_plus": .string(balance.ageing.over90Days.plainString),
                    ]),
                ]))
        }
        if !digest.isEmpty { await Notifier(app: context.application).debtDigest(digest, asOf: context.now) }
        let admins = try await sql.select().column("id").from("users")
            .where("role", .equal, Role.admin.rawValue).where("is_active", .equal, true).orderBy("id").all()
            .map { JSONValue.number(Decimal(try $0.decode(column: "id", as: Int.self))) }
        return .object([
            "kind": .string("debt_digest"),
            "as_of": .string(ISOTime.format(context.now, in: timeZone)),
            "recipients": .array(admins),
            "title": .string("Дебиторская задолженность на \(ISOTime.day(of: context.now, in: timeZone))"),
            "total_debt": .string(total.plainString),
            "clients": .array(clients),
        ])
    }
}

/// The nightly backup on the embedded default: `Backup.run` (SQLite `VACUUM INTO` or pg_dump, with retention).
struct NightlyBackupJob: Job {
    static let name = "backup.nightly"
    static let maxAttempts = 3
}

extension Application {
    /// Registers the handlers and the schedule every process shares.
    func configureJobs() {
        jobs = JobRegistry()
        jobSchedule = .standard(usesPostgres: config.usesPostgres)
        jobs.register(MaintenanceCleanupJob.self) { _, context in try await MaintenanceCleanupJob.run(context) }
        jobs.register(DebtDigestJob.self) { _, context in try await DebtDigestJob.run(context) }
        jobs.register(StoredOrderJSONRefreshJob.self) { _, context in try await StoredOrderJSONRefreshJob.run(context) }
        let deliveryAttempts = config.notificationRetry.maxAttempts
        jobs.register(NotificationDeliveryJob.self) { job, context in
            try await NotificationDeliveryJob.run(job, context: context, maxAttempts: deliveryAttempts)
        }
        jobs.register(SendDocumentEmailJob.self) { job, context in
            try await SendDocumentEmailJob.run(job, context: context)
        }
        jobs.register(NightlyBackupJob.self) { _, context in
            // In production the compose backup service (or the systemd timer) takes the nightly backup.
            if context.application.config.isProduction {
                return .object(["status": .string("skipped"), "reason": .string("production: scheduled outside")])
            }
            let file = try await Backup.run(app: context.application)
            return .object(["status": .string("ok"), "file": .string(file.path)])
        }
    }
}

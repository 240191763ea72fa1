import Domain
import Fluent
import Foundation
import SQLKit
import Vapor

/// Issuing an order's invoice, for `POST /api/v1/orders/{id}/generate_invoice/` and the web's «Выставить счёт».
/// One invoice per order, numbered `INV-YYYYMM-NNNN` from a gap-free per-year sequence, without duplicates under
/// concurrency (docs/domain-rules.md#invoice-numbering).
struct InvoiceService {
    let db: any Database
    let caller: Caller
    let timeZone: TimeZone
    let writes: WriteSerializer
    /// Who and where from, for the audit entry of a new invoice.
    let audit: AuditRecorder

    /// Numbering takes this PostgreSQL advisory lock for the rest of its transaction; on SQLite the
    /// application's write serializer already runs one writer at a time.
    static let numberingLockKey: Int64 = 727_274_003

    /// The API's money roles (`/api/v1/invoices/`); operators never see invoices.
    static func mayIssue(_ role: Role) -> Bool { AccessPolicy.mayIssueClientDocuments(role) }

    struct Issued: Sendable {
        var id: Int
        var number: String
        /// False when the order already had an invoice and only its amount was refreshed.
        var created: Bool
    }

    /// Creates the order's invoice, or refreshes the amount of the existing one from the order's total.
    func issue(orderID raw: String) async throws -> Issued {
        guard let uuid = UUID(uuidString: raw) else { throw APIError.notFound() }
        let orderID = uuid.uuidString.lowercased()
        let (caller, timeZone, audit) = (self.caller, self.timeZone, self.audit)
        return try await writes.transaction(on: db) { db -> Issued in
            let sql = try db.sql()
            guard
                let order = try await sql.select().columns("status", "total_amount").from("orders")
                    .where("id", .equal, orderID).first()
            else { throw APIError.notFound() }
            let status = try order.decode(column: "status", as: String.self)
            if status == OrderStatus.cancelled.rawValue {
                throw APIError.badRequest("Нельзя выставить счёт по отменённой заявке.")
            }
            let total = try order.decode(column: "total_amount", as: Int64.self)
            if sql.dialect.name == "postgresql" {
                _ = try await sql.raw("SELECT pg_advisory_xact_lock(\(bind: Self.numberingLockKey))").all()
            }
            let store = InvoiceStore(sql: sql)
            let now = Date()
            if let existing = try await sql.select().columns("id", "number").from("invoices")
                .where("order_id", .equal, orderID).first()
            {
                let id = try existing.decode(column: "id", as: Int.self)
                try await sql.update("invoices").set("amount", to: SQLBind(total)).set("updated_at", to: SQLBind(now))
                    .where("id", .equal, id).run()
                try await store.syncStatus(orderID: orderID)
                return Issued(id: id, number: try existing.decode(column: "number", as: String.self), created: false)
            }
            let number = try await store.nextNumber(now: now, timeZone: timeZone)
            let dueDate = ISOTime.day(
                of: now.addingTimeInterval(TimeInterval(InvoiceState.paymentDays * 86_400)), in: timeZone)
            let row = try await sql.insert(into: "invoices")
                .columns(
                    "order_id", "number", "payment_status", "amount", "currency", "issued_at", "due_date", "pdf_url",
                    "metadata", "created_by_id", "created_at", "updated_at"
                )
                .values(
                    SQLBind(orderID), SQLBind(number), SQLBind(PaymentStatus.pending.rawValue), SQLBind(total),
                    SQLBind("RUB"), SQLBind(now), SQLBind(dueDate), SQLBind(""), SQLBind("{}"), SQLBind(caller.id),
                    SQLBind(now), SQLBind(now)
                )
                .returning("id").first()
            let id = try row?.decode(column: "id", as: Int.self) ?? 0
            try await store.syncStatus(orderID: orderID)
            try await audit.on(db).record(
                .create, entity: "invoice", id: String(id),
                changes: AuditRecorder.created([
                    "order_id": .string(orderID), "number": .string(number),
                    "amount": .string(FinanceJSON.money(total)), "due_date": .string(dueDate),
                ]))
            return Issued(id: id, number: number, created: true)
        }
    }

    /// The id of the order's invoice, if it has one.
    static func invoiceID(ofOrder orderID: String, on sql: any SQLDatabase) async throws -> Int? {
        try await sql.select().column("id").from("invoices").where("order_id", .equal, orderID).first()?
            .decode(column: "id", as: Int.self)
    }
}

extension Request {
    var invoices: InvoiceService {
        get throws {
            let context = try services
            return InvoiceService(
                db: context.db, caller: context.caller, timeZone: context.timeZone, writes: context.writes,
                audit: context.audit())
        }
    }
}

import Domain
import Foundation
import SQLKit

/// «Должники»: the ledger of every client at once (docs/domain-rules.md#client-ledger).
///
/// The same figures as `ClientAccount.statement` per client: billed = Σ totals of completed orders (billed at
/// `end_at`, else `completed_at`, else `start_at`), paid = Σ successful payments on any of the client's orders,
/// debt = billed − paid when positive. The totals are kept per client in `client_balances` by triggers
/// (docs/domain-rules.md#client-balances); the ageing needs only the positive totals billed since each cutoff
/// (`DebtAgeing.buckets`), which come from the completed orders of the last 90 days.
enum DebtQueries {
    struct Row {
        var client_id: Int
        var name: String
        var phone: String
        var credit_limit: Int64?
        var billed: Int64
        var paid: Int64
        var last_paid_at: Date?
        var since30: Int64
        var since60: Int64
        var since90: Int64
        var positive: Int64
        var open_total: Int64

        /// Read by column name from `FastRows` (thousands of rows: SQLKit's generic decoding showed in the time).
        init(_ row: FastRow) throws {
            client_id = try row.decode(column: "client_id")
            name = try row.decode(column: "name")
            phone = try row.decode(column: "phone")
            credit_limit = try row.decode(column: "credit_limit")
            billed = try row.decode(column: "billed")
            paid = try row.decode(column: "paid")
            last_paid_at = try row.decode(column: "last_paid_at")
            since30 = try row.decode(column: "since30")
            since60 = try row.decode(column: "since60")
            since90 = try row.decode(column: "since90")
            positive = try row.decode(column: "positive")
            open_total = try row.decode(column: "open_total")
        }

        var billedSince: DebtAgeing.BilledSince {
            DebtAgeing.BilledSince(
                days30: Money(kopecks: since30), days60: Money(kopecks: since60), days90: Money(kopecks: since90),
                all: Money(kopecks: positive))
        }
    }

    /// Every client whose balance is above zero.
    static func debtors(cutoffs: DebtAgeing.Cutoffs, on rows: FastRows) async throws -> [Row] {
        // The literal status and expression match the partial index `ix_orders_completed_billed_at`.
        let billedAt: SQLQueryString = "COALESCE(o.end_at, o.completed_at, o.start_at)"
        return try await rows.all(
            """
            WITH recent AS (
              SELECT o.client_id,
                     SUM(CASE WHEN \(billedAt) >= \(bind: cutoffs.days30) THEN o.total_amount ELSE 0 END) AS since30,
                     SUM(CASE WHEN \(billedAt) >= \(bind: cutoffs.days60) THEN o.total_amount ELSE 0 END) AS since60,
                     SUM(o.total_amount) AS since90
              FROM orders o
              WHERE o.status = \(unsafeRaw: ClientBalanceSQL.completed) AND o.total_amount > 0
                AND \(billedAt) >= \(bind: cutoffs.days90) AND o.client_id IS NOT NULL
              GROUP BY o.client_id
            )
            SELECT c.id AS client_id, c.name, c.phone, c.credit_limit, b.billed, b.paid, b.last_paid_at,
                   CAST(COALESCE(r.since30, 0) AS BIGINT) AS since30, CAST(COALESCE(r.since60, 0) AS BIGINT) AS since60,
                   CAST(COALESCE(r.since90, 0) AS BIGINT) AS since90, b.positive, b.open_total
            FROM client_balances b
            JOIN clients c ON c.id = b.client_id
            LEFT JOIN recent r ON r.client_id = b.client_id
            WHERE b.billed - b.paid > 0
            """
        ).map(Row.init)
    }

    struct DocumentRow: Decodable {
        var client_id: Int
        var id: String
        var number: String
        var billed_at: Date
        var total: Int64
        var billed_before: Int64
        var paid: Int64
        var act_number: Int?
        var act_issued_at: Date?
    }

    /// Each client's oldest order that the payments do not cover (the first whose running total passes what was
    /// paid), for the given clients (all when nil), with its act when one was issued.
    static func oldestUnpaid(clientIDs: [Int]?, on sql: any SQLDatabase) async throws -> [DocumentRow] {
        if let clientIDs, clientIDs.isEmpty { return [] }
        var orders: SQLQueryString = ""
        if let clientIDs { orders = " AND o.client_id IN (\(binds: clientIDs))" }
        return try await sql.raw(
            """
            WITH running AS (
              SELECT o.client_id, o.id, o.number, COALESCE(o.end_at, o.completed_at, o.start_at) AS billed_at,
                     o.total_amount AS total,
                     SUM(o.total_amount) OVER (
                       PARTITION BY o.client_id ORDER BY COALESCE(o.end_at, o.completed_at, o.start_at), o.id
                       ROWS UNBOUNDED PRECEDING) - o.total_amount AS billed_before
              FROM orders o
              WHERE o.status = \(bind: OrderStatus.completed.rawValue) AND o.total_amount > 0
                AND o.client_id IS NOT NULL\(orders)
            ),
            crossing AS (
              SELECT r.client_id, r.id, r.number, r.billed_at, r.total, r.billed_before,
                     CASE WHEN COALESCE(b.paid, 0) > 0 THEN b.paid ELSE 0 END AS paid
              FROM running r LEFT JOIN client_balances b ON b.client_id = r.client_id
            )
            SELECT x.client_id, x.id, x.number, x.billed_at, CAST(x.total AS BIGINT) AS total,
                   CAST(x.billed_before AS BIGINT) AS billed_before, CAST(x.paid AS BIGINT) AS paid,
                   a.number AS act_number, a.issued_at AS act_issued_at
            FROM crossing x LEFT JOIN acts a ON a.order_id = x.id
            WHERE x.billed_before <= x.paid AND x.billed_before + x.total > x.paid
            """
        ).all(decoding: DocumentRow.self)
    }
}

import Domain
import Foundation
import SQLKit

/// «Должники»: the ledger of every client at once (docs/domain-rules.md#client-ledger).
///
/// The same figures as `ClientAccount.statement` per client: billed = Σ totals of completed orders (billed at
/// `end_at`, else `completed_at`, else `start_at`), paid = Σ successful payments on any of the client's orders,
/// debt = billed − paid when positive. `debtors` sums per client in one pass, without a running allocation: the
/// buckets follow from Σ of the positive totals billed since each cutoff (`DebtAgeing.buckets`).
enum DebtQueries {
    struct Row: Decodable {
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

        var billedSince: DebtAgeing.BilledSince {
            DebtAgeing.BilledSince(
                days30: Money(kopecks: since30), days60: Money(kopecks: since60), days90: Money(kopecks: since90),
                all: Money(kopecks: positive))
        }
    }

    /// Every client whose balance is above zero.
    static func debtors(cutoffs: DebtAgeing.Cutoffs, on sql: any SQLDatabase) async throws -> [Row] {
        let billed: SQLQueryString =
            "o.status = \(bind: OrderStatus.completed.rawValue) AND o.total_amount > 0 AND "
            + "COALESCE(o.end_at, o.completed_at, o.start_at)"
        return try await sql.raw(
            """
            WITH billed AS (
              SELECT o.client_id,
                     SUM(CASE WHEN o.status = \(bind: OrderStatus.completed.rawValue) THEN o.total_amount ELSE 0 END)
                       AS billed,
                     SUM(CASE WHEN \(billed) >= \(bind: cutoffs.days30) THEN o.total_amount ELSE 0 END) AS since30,
                     SUM(CASE WHEN \(billed) >= \(bind: cutoffs.days60) THEN o.total_amount ELSE 0 END) AS since60,
                     SUM(CASE WHEN \(billed) >= \(bind: cutoffs.days90) THEN o.total_amount ELSE 0 END) AS since90,
                     SUM(CASE WHEN o.status = \(bind: OrderStatus.completed.rawValue) AND o.total_amount > 0
                              THEN o.total_amount ELSE 0 END) AS positive,
                     SUM(CASE WHEN o.status IN (\(binds: ClientAccount.openStatuses)) THEN o.total_amount ELSE 0 END)
                       AS open_total
              FROM orders o
              WHERE o.client_id IS NOT NULL
              GROUP BY o.client_id
            ),
            paid AS (
              SELECT o.client_id, SUM(p.amount) AS paid, MAX(COALESCE(p.paid_at, p.created_at)) AS last_paid_at
              FROM payments p JOIN orders o ON o.id = p.order_id
              WHERE p.status = \(bind: PaymentStatus.success.rawValue) AND o.client_id IS NOT NULL
              GROUP BY o.client_id
            )
            SELECT c.id AS client_id, c.name, c.phone, c.credit_limit,
                   CAST(b.billed AS BIGINT) AS billed, CAST(COALESCE(pd.paid, 0) AS BIGINT) AS paid, pd.last_paid_at,
                   CAST(b.since30 AS BIGINT) AS since30, CAST(b.since60 AS BIGINT) AS since60,
                   CAST(b.since90 AS BIGINT) AS since90, CAST(b.positive AS BIGINT) AS positive,
                   CAST(b.open_total AS BIGINT) AS open_total
            FROM billed b
            JOIN clients c ON c.id = b.client_id
            LEFT JOIN paid pd ON pd.client_id = b.client_id
            WHERE b.billed - COALESCE(pd.paid, 0) > 0
            """
        ).all(decoding: Row.self)
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
            WITH paid AS (
              SELECT o.client_id, SUM(p.amount) AS paid
              FROM payments p JOIN orders o ON o.id = p.order_id
              WHERE p.status = \(bind: PaymentStatus.success.rawValue) AND o.client_id IS NOT NULL\(orders)
              GROUP BY o.client_id
            ),
            running AS (
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
                     CASE WHEN COALESCE(pd.paid, 0) > 0 THEN pd.paid ELSE 0 END AS paid
              FROM running r LEFT JOIN paid pd ON pd.client_id = r.client_id
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

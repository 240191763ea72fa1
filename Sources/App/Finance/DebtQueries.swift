import Domain
import Foundation
import SQLKit

/// «Должники»: the ledger of every client at once (docs/domain-rules.md#client-ledger), in one query.
///
/// The same figures as `ClientAccount.statement` per client: billed = Σ totals of completed orders (billed at
/// `end_at`, else `completed_at`, else `start_at`), paid = Σ successful payments on any of the client's orders,
/// debt = billed − paid when positive. The unpaid part of each order is `DebtAgeing.unpaidPart` (payments settle
/// the oldest orders first), computed from a running sum; the buckets are `DebtAgeing.Cutoffs`.
enum DebtQueries {
    struct Row: Decodable {
        var client_id: Int
        var name: String
        var phone: String
        var credit_limit: Int64?
        var billed: Int64
        var paid: Int64
        var last_paid_at: Date?
        var upto30: Int64
        var days31_60: Int64
        var days61_90: Int64
        var over90: Int64
        var open_total: Int64
        var oldest_order_id: String?
        var oldest_number: String?
        var oldest_billed_at: Date?
        var oldest_unpaid: Int64?
        var act_number: Int?
        var act_issued_at: Date?
    }

    /// Every client whose balance is above zero at `asOf`.
    static func debtors(cutoffs: DebtAgeing.Cutoffs, on sql: any SQLDatabase) async throws -> [Row] {
        let completed = OrderStatus.completed.rawValue
        let success = PaymentStatus.success.rawValue
        return try await sql.raw(
            """
            WITH billed AS (
              SELECT o.client_id, o.id, o.number, o.total_amount AS total,
                     COALESCE(o.end_at, o.completed_at, o.start_at) AS billed_at
              FROM orders o
              WHERE o.status = \(bind: completed) AND o.client_id IS NOT NULL
            ),
            paid AS (
              SELECT o.client_id, SUM(p.amount) AS paid, MAX(COALESCE(p.paid_at, p.created_at)) AS last_paid_at
              FROM payments p JOIN orders o ON o.id = p.order_id
              WHERE p.status = \(bind: success) AND o.client_id IS NOT NULL
              GROUP BY o.client_id
            ),
            debtors AS (
              SELECT t.client_id, t.billed, COALESCE(pd.paid, 0) AS paid, pd.last_paid_at
              FROM (SELECT client_id, SUM(total) AS billed FROM billed GROUP BY client_id) t
              LEFT JOIN paid pd ON pd.client_id = t.client_id
              WHERE t.billed - COALESCE(pd.paid, 0) > 0
            ),
            running AS (
              SELECT b.client_id, b.id, b.number, b.total, b.billed_at,
                     CASE WHEN d.paid > 0 THEN d.paid ELSE 0 END AS paid,
                     SUM(b.total) OVER (PARTITION BY b.client_id ORDER BY b.billed_at, b.id ROWS UNBOUNDED PRECEDING)
                       - b.total AS billed_before
              FROM billed b JOIN debtors d ON d.client_id = b.client_id
              WHERE b.total > 0
            ),
            unpaid AS (
              SELECT client_id, id, number, billed_at, paid, billed_before, total,
                     CASE WHEN paid - billed_before <= 0 THEN total
                          WHEN paid - billed_before >= total THEN 0
                          ELSE total - (paid - billed_before) END AS unpaid
              FROM running
            ),
            buckets AS (
              SELECT client_id,
                     SUM(CASE WHEN billed_at >= \(bind: cutoffs.days30) THEN unpaid ELSE 0 END) AS upto30,
                     SUM(CASE WHEN billed_at < \(bind: cutoffs.days30) AND billed_at >= \(bind: cutoffs.days60)
                              THEN unpaid ELSE 0 END) AS days31_60,
                     SUM(CASE WHEN billed_at < \(bind: cutoffs.days60) AND billed_at >= \(bind: cutoffs.days90)
                              THEN unpaid ELSE 0 END) AS days61_90,
                     SUM(CASE WHEN billed_at < \(bind: cutoffs.days90) THEN unpaid ELSE 0 END) AS over90
              FROM unpaid GROUP BY client_id
            ),
            oldest AS (
              SELECT client_id, id, number, billed_at, unpaid FROM unpaid
              WHERE billed_before <= paid AND billed_before + total > paid
            ),
            open_orders AS (
              SELECT o.client_id, SUM(o.total_amount) AS open_total FROM orders o
              WHERE o.status IN (\(binds: ClientAccount.openStatuses))
                AND o.client_id IN (SELECT client_id FROM debtors)
              GROUP BY o.client_id
            )
            SELECT c.id AS client_id, c.name, c.phone, c.credit_limit,
                   CAST(d.billed AS BIGINT) AS billed, CAST(d.paid AS BIGINT) AS paid, d.last_paid_at,
                   CAST(COALESCE(k.upto30, 0) AS BIGINT) AS upto30,
                   CAST(COALESCE(k.days31_60, 0) AS BIGINT) AS days31_60,
                   CAST(COALESCE(k.days61_90, 0) AS BIGINT) AS days61_90,
                   CAST(COALESCE(k.over90, 0) AS BIGINT) AS over90,
                   CAST(COALESCE(op.open_total, 0) AS BIGINT) AS open_total,
                   od.id AS oldest_order_id, od.number AS oldest_number, od.billed_at AS oldest_billed_at,
                   CAST(od.unpaid AS BIGINT) AS oldest_unpaid, a.number AS act_number, a.issued_at AS act_issued_at
            FROM debtors d
            JOIN clients c ON c.id = d.client_id
            LEFT JOIN buckets k ON k.client_id = d.client_id
            LEFT JOIN oldest od ON od.client_id = d.client_id
            LEFT JOIN acts a ON a.order_id = od.id
            LEFT JOIN open_orders op ON op.client_id = d.client_id
            """
        ).all(decoding: Row.self)
    }
}

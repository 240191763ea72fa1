import Domain
import Foundation
import SQLKit

/// The owner's dashboard figures that no report gives as such, aggregated in SQL that runs unchanged on SQLite and
/// PostgreSQL: revenue by week (the summary report's revenue, split by the work's start) and the clients' debt as
/// of a moment (the client ledger's rule, summed over clients).
struct DashboardQueries {
    let sql: any SQLDatabase

    private struct WeekRow: Decodable {
        var week: Int
        var amount: Int64
    }

    /// Σ `total_amount` of the period's completed orders (`ReportPeriod.completedOrder`, the summary report's
    /// revenue) in each week `[bounds[i], bounds[i + 1])`; one figure per week, so they add up to the revenue.
    func weeklyRevenue(_ period: ReportPeriod, bounds: [Date]) async throws -> [Int64] {
        guard bounds.count > 1 else { return [] }
        var bucket: SQLQueryString = "CASE"
        for index in 1..<bounds.count {
            bucket += " WHEN o.start_at < \(bind: bounds[index]) THEN \(unsafeRaw: String(index - 1))"
        }
        bucket += " ELSE \(unsafeRaw: String(bounds.count - 2)) END"
        var query: SQLQueryString = "SELECT w.week AS week, CAST(COALESCE(SUM(w.amount), 0) AS BIGINT) AS amount FROM ("
        query += "SELECT "
        query += bucket
        query += " AS week, o.total_amount AS amount FROM orders o WHERE "
        query += period.completedOrder("o")
        query += ") w GROUP BY w.week"
        var amounts = [Int64](repeating: 0, count: bounds.count - 1)
        for row in try await sql.raw(query).all(decoding: WeekRow.self) where amounts.indices.contains(row.week) {
            amounts[row.week] += row.amount
        }
        return amounts
    }

    private struct DebtRow: Decodable {
        var debt: Int64
    }

    /// What clients owe: Σ over clients of max(billed − paid, 0) (`ClientLedger`: billed = totals of completed
    /// orders, paid = successful payments on their orders). With `asOf`, only orders completed (their end, else
    /// completion, else start) and payments made (paid, else recorded) before that moment count; without it,
    /// everything, as the client's statement today. Each client's balance today is kept in `client_balances`
    /// (docs/domain-rules.md#client-balances); the balance at `asOf` is today's less what was billed and plus what
    /// was paid since, so only the rows after `asOf` are read.
    func totalDebt(asOf: Date?) async throws -> Int64 {
        var query: SQLQueryString = """
            SELECT CAST(COALESCE(SUM(CASE WHEN b.balance > 0 THEN b.balance ELSE 0 END), 0) AS BIGINT) AS debt
            FROM (SELECT m.client_id AS client_id, SUM(m.amount) AS balance FROM (
            SELECT cb.client_id AS client_id, cb.billed - cb.paid AS amount FROM client_balances cb
            """
        if let asOf {
            // The literal status and expression match the partial index `ix_orders_completed_billed_at`.
            query += """
                 UNION ALL
                SELECT o.client_id AS client_id, -o.total_amount AS amount FROM orders o
                WHERE o.client_id IS NOT NULL AND o.status = \(unsafeRaw: ClientBalanceSQL.completed)
                  AND COALESCE(o.end_at, o.completed_at, o.start_at) >= \(bind: asOf)
                 UNION ALL
                SELECT o.client_id AS client_id, p.amount AS amount FROM payments p JOIN orders o ON o.id = p.order_id
                WHERE o.client_id IS NOT NULL AND p.status = \(bind: PaymentStatus.success.rawValue)
                  AND COALESCE(p.paid_at, p.created_at) >= \(bind: asOf)
                """
        }
        query += ") m GROUP BY m.client_id) b"
        return try await sql.raw(query).first(decoding: DebtRow.self)?.debt ?? 0
    }
}

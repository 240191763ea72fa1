import Domain
import Foundation
import SQLKit

extension ClientBalanceService {
    /// A client who owes money, with the figures of their statement (`statement(of:asOf:)`).
    struct Debtor: Sendable {
        /// The oldest order not fully paid (the first the payments do not cover), with its act when one was issued.
        struct Document: Sendable {
            var orderID: String
            var orderNumber: String
            var billedAt: Date
            var unpaid: Money
            var actNumber: Int?
            var actIssuedAt: Date?
        }

        var clientID: Int
        var name: String
        var phone: String
        /// Kopecks; nil means no limit.
        var creditLimit: Int64?
        var billed: Money
        var paid: Money
        var ageing: AgeingBuckets
        var lastPaymentAt: Date?
        var oldest: Document?
        /// Σ totals of orders not finished yet (created, approved, in progress).
        var openOrdersTotal: Int64

        /// `billed − paid`, above zero for every debtor.
        var debt: Money { billed - paid }
        /// Older than 30 days (docs/domain-rules.md#client-ledger).
        var overdue: Money { DebtAgeing.overdue(ageing) }
        /// As `ClientAccount.Statement.exposure`: the debt plus the open orders.
        var exposure: Int64 { debt.kopecks + openOrdersTotal }
        var isOverLimit: Bool { creditLimit.map { exposure > $0 } ?? false }
    }

    /// Every client with a debt at `asOf` (now when nil), the largest overdue debt first (then the largest debt,
    /// then by name). One query for all clients (`DebtQueries.debtors`); `oldest` is left for `oldestUnpaid`.
    func debtors(asOf: Date? = nil) async throws -> [Debtor] {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = context.timeZone
        let cutoffs = DebtAgeing.cutoffs(asOf: asOf ?? context.now(), calendar: calendar)
        let rows = try await DebtQueries.debtors(cutoffs: cutoffs, on: try FastRows(db: context.db))
        let debtors = rows.map { row in
            let paid = Money(kopecks: row.paid)
            return Debtor(
                clientID: row.client_id, name: row.name, phone: row.phone, creditLimit: row.credit_limit,
                billed: Money(kopecks: row.billed), paid: paid, ageing: DebtAgeing.buckets(row.billedSince, paid: paid),
                lastPaymentAt: row.last_paid_at, oldest: nil, openOrdersTotal: row.open_total)
        }
        return debtors.sorted {
            ($1.overdue, $1.debt, $0.name, $0.clientID) < ($0.overdue, $0.debt, $1.name, $1.clientID)
        }
    }

    /// The oldest order each client has not fully paid (payments settle the oldest first), by client id; for the
    /// given clients, or every client when nil. Clients who owe nothing have none.
    func oldestUnpaid(of clientIDs: [Int]?) async throws -> [Int: Debtor.Document] {
        let rows = try await DebtQueries.oldestUnpaid(clientIDs: clientIDs, on: try context.db.sql())
        var documents: [Int: Debtor.Document] = [:]
        for row in rows {
            let unpaid = DebtAgeing.unpaidPart(
                total: Money(kopecks: row.total), billedBefore: Money(kopecks: row.billed_before),
                paid: Money(kopecks: row.paid))
            documents[row.client_id] = Debtor.Document(
                orderID: row.id, orderNumber: row.number, billedAt: row.billed_at, unpaid: unpaid,
                actNumber: row.act_number, actIssuedAt: row.act_issued_at)
        }
        return documents
    }
}

import Domain
import Foundation
import SQLKit
import Vapor

/// A client's account: what they were billed (completed orders), what they paid (successful payments on any
/// of their orders, prepayments included), the debt by age, and the credit limit check on new orders.
struct ClientAccount {
    let sql: any SQLDatabase

    struct Client {
        var id: Int
        var name: String
        /// Kopecks; `nil` means no limit.
        var creditLimit: Int64?
    }

    struct Statement {
        var client: Client
        var balance: ClientBalance
        var numbers: [UUID: String]
        /// Σ totals of orders not finished yet (created, approved, in progress).
        var openOrdersTotal: Int64

        /// What the client would owe once their open orders are done: debt − credit + open orders.
        var exposure: Int64 { balance.balance.kopecks + openOrdersTotal }
        var isOverLimit: Bool { creditLimit.map { exposure > $0 } ?? false }
        var creditLimit: Int64? { client.creditLimit }
    }

    static let openStatuses = [OrderStatus.created, .approved, .inProgress].map(\.rawValue)

    func client(_ id: Int) async throws -> Client? {
        guard
            let row = try await sql.select().columns("id", "name", "credit_limit").from("clients")
                .where("id", .equal, id).first(decoding: ClientRow.self)
        else { return nil }
        return Client(id: row.id, name: row.name, creditLimit: row.credit_limit)
    }

    private struct ClientRow: Decodable {
        var id: Int
        var name: String
        var credit_limit: Int64?
    }

    private struct BilledRow: Decodable {
        var id: String
        var number: String
        var total_amount: Int64
        var end_at: Date?
        var completed_at: Date?
        var start_at: Date
    }

    private struct SumsRow: Decodable {
        var paid: Int64
        var open_total: Int64
    }

    /// The client's statement as of a moment (ageing by whole days in the company zone).
    func statement(of client: Client, asOf: Date, calendar: Calendar) async throws -> Statement {
        let orders = try await sql.raw(
            """
            SELECT id, number, total_amount, end_at, completed_at, start_at FROM orders
            WHERE client_id = \(bind: client.id) AND status = \(bind: OrderStatus.completed.rawValue)
            """
        ).all(decoding: BilledRow.self)
        var billed: [BilledOrder] = []
        var numbers: [UUID: String] = [:]
        for row in orders {
            guard let id = UUID(uuidString: row.id) else { continue }
            let completedAt = row.end_at ?? row.completed_at ?? row.start_at
            billed.append(BilledOrder(orderID: id, completedAt: completedAt, total: Money(kopecks: row.total_amount)))
            numbers[id] = row.number
        }
        let sums = try await sql.raw(
            """
            SELECT
              CAST(COALESCE((SELECT SUM(p.amount) FROM payments p JOIN orders o ON o.id = p.order_id
                             WHERE o.client_id = \(bind: client.id)
                               AND p.status = \(bind: PaymentStatus.success.rawValue)), 0)
                   AS BIGINT) AS paid,
              CAST(COALESCE((SELECT SUM(o.total_amount) FROM orders o
                             WHERE o.client_id = \(bind: client.id) AND o.status IN (\(binds: Self.openStatuses))), 0)
                   AS BIGINT) AS open_total
            """
        ).first(decoding: SumsRow.self)
        let paid = sums?.paid ?? 0
        let openTotal = sums?.open_total ?? 0
        let balance = ClientLedger.balance(of: billed, totalPaid: Money(kopecks: paid), asOf: asOf, calendar: calendar)
        return Statement(client: client, balance: balance, numbers: numbers, openOrdersTotal: openTotal)
    }

    /// The warning shown when a new order takes the client over their credit limit; `nil` when within it.
    func creditWarning(forOrder orderID: String, timeZone: TimeZone) async throws -> String? {
        guard let row = try await sql.select().column("client_id").from("orders").where("id", .equal, orderID).first(),
            let clientID = try row.decode(column: "client_id", as: Int?.self),
            let client = try await client(clientID), let limit = client.creditLimit
        else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let statement = try await statement(of: client, asOf: Date(), calendar: calendar)
        guard statement.isOverLimit else { return nil }
        return "Клиент «\(client.name)» превышает кредитный лимит \(FinanceJSON.money(limit)) ₽: "
            + "задолженность с учётом открытых заявок составит \(FinanceJSON.money(statement.exposure)) ₽."
    }
}

import Domain
import Foundation
import SQLKit
import Vapor
import WebUI

/// «Мои зарплаты» (`/salary?from=&to=`, operators): the caller's `salary_records`, newest first, filtered by the
/// order's start (or the record's date when it has no order), with totals by status.
struct SalaryWebController {
    @Sendable func show(req: Request) async throws -> Response {
        let caller = try req.caller
        let timeZone = req.application.config.timeZone
        let from = OrdersWebController.day(req.queryValues["from"])
        let to = OrdersWebController.day(req.queryValues["to"])
        let sql = try req.db.sql()
        let rows = try await sql.raw(
            """
            SELECT s.order_id, s.amount, s.status, s.created_at, o.number, o.start_at, o.address, c.name AS client_name
            FROM salary_records s
            LEFT JOIN orders o ON o.id = s.order_id
            LEFT JOIN clients c ON c.id = o.client_id
            WHERE s.user_id = \(bind: caller.id)
            """
        ).all()
        let lower = from.isEmpty ? nil : ISOTime.startOfDay(from, in: timeZone)
        let upper = to.isEmpty ? nil : ISOTime.startOfDay(to, in: timeZone).map { DashboardWebController.startOfDay($0.addingTimeInterval(30 * 3600), timeZone: timeZone) }
        var records: [SalaryModel.Record] = []
        for row in rows {
            let date = try row.decode(column: "start_at", as: Date?.self) ?? row.decode(column: "created_at", as: Date.self)
            if let lower, date < lower { continue }
            if let upper, date >= upper { continue }
            records.append(
                SalaryModel.Record(
                    orderID: try row.decode(column: "order_id", as: String?.self),
                    orderNumber: try row.decode(column: "number", as: String?.self), date: date,
                    clientName: try row.decode(column: "client_name", as: String?.self),
                    address: try row.decode(column: "address", as: String?.self) ?? "",
                    amount: try row.decode(column: "amount", as: Int64.self),
                    status: SalaryStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .pending))
        }
        records.sort { $0.date > $1.date }
        let model = SalaryModel(context: req.pageContext(), from: from, to: to, records: records)
        return WebReply.page(SalaryPage(model: model), on: req)
    }
}

import Domain
import Foundation
import Vapor
import WebUI

/// «Мои зарплаты» (`/salary?from=&to=`, operators): the caller's `salary_records`, newest first, filtered by the
/// order's start (or the record's date when it has no order), with totals by status.
struct SalaryWebController {
    @Sendable func show(req: Request) async throws -> Response {
        let from = OrdersWebController.day(req.queryValues["from"])
        let to = OrdersWebController.day(req.queryValues["to"])
        let records = try await req.salaries.ownRecords(firstDay: from, lastDay: to).map { row in
            SalaryModel.Record(
                orderID: row.order_id, orderNumber: row.number, date: row.date, clientName: row.client_name,
                address: row.address ?? "", amount: row.amount,
                status: SalaryStatus(rawValue: row.status) ?? .pending)
        }
        let model = SalaryModel(context: req.pageContext(), from: from, to: to, records: records)
        return WebReply.page(SalaryPage(model: model), on: req)
    }
}

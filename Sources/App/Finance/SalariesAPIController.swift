import Domain
import Foundation
import SQLKit
import Vapor

/// Operator pay records: the payout workflow `pending → approved → paid` for admins and accountants
/// (`/api/v1/salaries/`), and the operator's own view (`/api/v1/users/operator/salary/`).
struct SalariesAPIController {
    static let operatorsOnly = "Доступно только для операторов"

    /// `GET /salaries/?user=&order=&status=&from=&to=&page=`: newest first, paginated.
    @Sendable func list(req: Request) async throws -> Response {
        let service = try req.salaries
        let page = try PageRequest(request: req)
        let filter = try Self.filter(req)
        let count = try await service.count(filter)
        try PageLinks.checkInRange(page, count: count)
        let links = PageLinks.links(for: req, page: page, count: count)
        let json = SalaryJSON(timeZone: req.application.config.timeZone)
        var writer = JSONWriter(capacity: 32 * 1024)
        writer.beginPage(count: count, links: links)
        for record in try await service.records(filter, limit: page.size, offset: page.offset) {
            json.write(record, into: &writer)
        }
        writer.endPage()
        return FinanceJSON.response(writer)
    }

    private static func filter(_ req: Request) throws -> SalaryService.Filter {
        var filter = SalaryService.Filter(period: try ReportPeriod(request: req))
        var errors: [String: [String]] = [:]
        if let raw: String = req.queryValues["user"] ?? req.queryValues["user_id"], !raw.isEmpty {
            if let id = Int(raw) {
                filter.userID = id
            } else {
                errors["user", default: []].append(FieldMessage.integer)
            }
        }
        if let raw: String = req.queryValues["order"] ?? req.queryValues["order_id"], !raw.isEmpty {
            if let id = UUID(uuidString: raw) {
                filter.orderID = id.uuidString.lowercased()
            } else {
                errors["order", default: []].append(FieldMessage.missingObject(raw))
            }
        }
        if let raw: String = req.queryValues["status"], !raw.isEmpty {
            if let status = SalaryStatus(rawValue: raw.lowercased()) {
                filter.status = status
            } else {
                errors["status", default: []].append(FieldMessage.choice(raw))
            }
        }
        if !errors.isEmpty { throw FieldErrors(errors) }
        return filter
    }

    @Sendable func show(req: Request) async throws -> Response {
        let service = try req.salaries
        let id = try req.intParameter()
        let record = try await service.record(id)
        return Self.response(record, req: req)
    }

    private static func response(_ record: SalaryStore.Record, req: Request) -> Response {
        var writer = JSONWriter()
        SalaryJSON(timeZone: req.application.config.timeZone).write(record, into: &writer)
        return FinanceJSON.response(writer)
    }

    /// `PATCH /salaries/{id}/ {"status": "approved" | "paid" | "pending"}`: one step of the payout workflow.
    @Sendable func update(req: Request) async throws -> Response {
        let service = try req.salaries
        let id = try req.intParameter()
        var input = try JSONInput(request: req)
        let target = input.choice("status", as: SalaryStatus.self, required: true)
        try input.validate()
        guard let target else { throw FieldErrors("status", FieldMessage.required) }
        let record = try await service.changeStatus(id, to: target)
        return Self.response(record, req: req)
    }

    // MARK: - Operator's own view

    /// `GET /users/operator/salary/?from=&to=`: the caller's pay records and every order they are assigned to
    /// (through `order_operators`), with totals per status.
    @Sendable func operatorView(req: Request) async throws -> Response {
        let service = try req.salaries
        let period = try ReportPeriod(request: req)
        let overview = try await service.overview(of: period)
        let json = SalaryJSON(timeZone: req.application.config.timeZone)
        let all = overview.total

        var writer = JSONWriter(capacity: 32 * 1024)
        writer.beginObject()
        writer.field("total_salary", FinanceJSON.money(all))
        writer.key("totals")
        writer.beginObject()
        for status in SalaryStatus.allCases {
            writer.field(status.rawValue, FinanceJSON.money(overview.totals[status] ?? 0))
        }
        writer.field("all", FinanceJSON.money(all))
        writer.endObject()
        writer.key("period")
        period.write(into: &writer)
        writer.key("salary_records")
        writer.beginArray()
        for record in overview.records { json.write(record, into: &writer, brief: true) }
        writer.endArray()
        writer.key("orders")
        writer.beginArray()
        for order in overview.orders { json.write(order, into: &writer) }
        writer.endArray()
        writer.endObject()
        return FinanceJSON.response(writer)
    }
}

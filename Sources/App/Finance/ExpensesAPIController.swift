import Domain
import Foundation
import SQLKit
import Vapor

/// `/api/v1/expenses/` for admins, managers and accountants: the JSON edge of `ExpenseService`.
struct ExpensesAPIController {
    /// `GET /expenses/?category=&order=&equipment=&reported_by=&date_from=&date_to=&search=&ordering=&page=`.
    @Sendable func list(req: Request) async throws -> Response {
        let service = try req.expenses
        let page = try PageRequest(request: req)
        let filter = try Self.filter(req)
        let count = try await service.count(filter)
        try PageLinks.checkInRange(page, count: count)
        let expenses = try await service.expenses(
            filter, ordering: req.queryValues["ordering"], limit: page.size, offset: page.offset)
        let links = PageLinks.links(for: req, page: page, count: count)
        let timeZone = req.application.config.timeZone
        var writer = JSONWriter(capacity: 32 * 1024)
        writer.beginPage(count: count, links: links)
        for expense in expenses { ExpenseStore.write(expense, timeZone: timeZone, into: &writer) }
        writer.endPage()
        return FinanceJSON.response(writer)
    }

    @Sendable func show(req: Request) async throws -> Response {
        let service = try req.expenses
        let id = try req.intParameter()
        return Self.response(try await service.expense(id), req: req)
    }

    @Sendable func create(req: Request) async throws -> Response {
        let service = try req.expenses
        var json = JSONInput(try req.jsonObject(), timeZone: req.application.config.timeZone)
        let input = ExpenseInput(&json, amountRequired: true, dateRequired: false)
        let expense = try await service.create(input, problems: json.errors)
        return Self.response(expense, req: req, status: .created)
    }

    /// `PUT` needs the amount and the day, `PATCH` only the changed fields.
    @Sendable func update(req: Request) async throws -> Response {
        let service = try req.expenses
        let id = try req.intParameter()
        let full = req.method == .PUT
        var json = JSONInput(try req.jsonObject(), timeZone: req.application.config.timeZone)
        let input = ExpenseInput(&json, amountRequired: full, dateRequired: full)
        let expense = try await service.update(id, with: input, problems: json.errors)
        return Self.response(expense, req: req)
    }

    @Sendable func delete(req: Request) async throws -> Response {
        let service = try req.expenses
        let id = try req.intParameter()
        try await service.delete(id)
        return Response(status: .noContent)
    }

    /// `POST /api/v1/expenses/{id}/receipt/` (multipart, the photo under `file`): the receipt's photo.
    @Sendable func uploadReceipt(req: Request) async throws -> Response {
        let service = try req.expenses
        let id = try req.intParameter()
        let file = try PhotoUploadForm.read(req).file
        return Self.response(try await service.attachReceipt(file, to: id), req: req)
    }

    @Sendable func receipt(req: Request) async throws -> Response {
        let id = try req.intParameter()
        return ReceiptResponse.make(try await req.expenses.receipt(of: id), expenseID: id)
    }

    @Sendable func deleteReceipt(req: Request) async throws -> Response {
        try await req.expenses.removeReceipt(of: try req.intParameter())
        return Response(status: .noContent)
    }

    private static func response(
        _ expense: ExpenseStore.Expense, req: Request, status: HTTPResponseStatus = .ok
    ) -> Response {
        var writer = JSONWriter()
        ExpenseStore.write(expense, timeZone: req.application.config.timeZone, into: &writer)
        return FinanceJSON.response(writer, status: status)
    }

    private static func filter(_ req: Request) throws -> ExpenseService.Filter {
        var errors: [String: [String]] = [:]
        var filter = ExpenseService.Filter()
        if let raw: String = req.queryValues["category"], !raw.isEmpty {
            let values = raw.split(separator: ",").map { $0.lowercased() }
            for value in values where ExpenseCategory(rawValue: value) == nil {
                errors["category", default: []].append(FieldMessage.choice(value))
            }
            filter.categories = values
        }
        if let raw: String = req.queryValues["order"] ?? req.queryValues["order_id"], !raw.isEmpty {
            if let uuid = UUID(uuidString: raw) {
                filter.orderID = uuid.uuidString.lowercased()
            } else {
                errors["order", default: []].append(FieldMessage.missingObject(raw))
            }
        }
        for key in ["equipment", "reported_by"] {
            guard let raw: String = req.queryValues[key] ?? req.queryValues[key + "_id"], !raw.isEmpty else { continue }
            if let id = Int(raw) {
                if key == "equipment" { filter.equipmentID = id } else { filter.reportedByID = id }
            } else {
                errors[key, default: []].append(FieldMessage.integer)
            }
        }
        for (key, isEnd) in [("date_from", false), ("date_to", true), ("from", false), ("to", true)] {
            guard let raw: String = req.queryValues[key], !raw.isEmpty else { continue }
            guard ISOTime.parseDay(raw) != nil else {
                errors[key, default: []].append(FieldMessage.date)
                continue
            }
            if isEnd { filter.lastDays.append(raw) } else { filter.firstDays.append(raw) }
        }
        if let search: String = req.queryValues["search"], !search.isEmpty {
            filter.searchTerms = search.split(whereSeparator: \.isWhitespace).prefix(8).map(String.init)
        }
        if !errors.isEmpty { throw FieldErrors(errors) }
        return filter
    }
}

extension ExpenseInput {
    /// Reads the API's expense fields. Field errors stay in `json`, to be reported with the rules' ones.
    init(_ json: inout JSONInput, amountRequired: Bool, dateRequired: Bool) {
        self.init()
        orderField = json.has("order") ? "order" : "order_id"
        if json.has(orderField) {
            if json.isNull(orderField) {
                order = .set(nil)
            } else if let raw = json.string(orderField, maxLength: 64) {
                order = .set(raw)
            }
        }
        equipmentField = json.has("equipment") ? "equipment" : "equipment_id"
        if json.has(equipmentField) {
            if json.isNull(equipmentField) {
                equipmentID = .set(nil)
            } else if let id = json.int(equipmentField, minimum: 1) {
                equipmentID = .set(id)
            }
        }
        category = Patch(json.choice("category", as: ExpenseCategory.self))
        amount = Patch(json.kopecks("amount", required: amountRequired, nullable: false))
        date = Patch(json.day("date", required: dateRequired))
        comment = Patch(json.string("comment", maxLength: 10_000, nullable: true))
        attachmentURL = Patch(json.url("attachment_url"))
    }
}

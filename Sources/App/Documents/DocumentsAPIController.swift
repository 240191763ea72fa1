import Vapor

/// `GET /api/v1/orders/{id}/receipt/`.
struct DocumentsAPIController {
    @Sendable func receipt(req: Request) async throws -> Response {
        try await req.documents.receipt(orderID: req.parameters.get("id") ?? "").response()
    }
}

extension DocumentsAPIController {
    /// `GET /api/v1/invoices/{id}/pdf/`.
    @Sendable func invoice(req: Request) async throws -> Response {
        try await req.documents.invoice(id: try req.intParameter()).response()
    }
}

extension DocumentsAPIController {
    /// `GET /api/v1/orders/{id}/act/`.
    @Sendable func act(req: Request) async throws -> Response {
        try await req.documents.act(orderID: req.parameters.get("id") ?? "").response()
    }
}

extension DocumentsAPIController {
    /// `GET /api/v1/clients/{id}/reconciliation/?from=YYYY-MM-DD&to=YYYY-MM-DD[&format=pdf]`: by default from the
    /// first of January of `to`'s year to today (docs/documents.md).
    @Sendable func reconciliation(req: Request) async throws -> Response {
        let clientID = try req.intParameter()
        let period = try ReconciliationPeriod(query: req)
        let statement = try await req.documents.reconciliation(clientID: clientID, from: period.from, to: period.to)
        if (req.queryValues["format"] as String?) == "pdf" {
            return try await req.documents.reconciliationPDF(statement).response()
        }
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("client")
        writer.beginObject()
        writer.field("id", statement.clientID)
        writer.field("name", statement.clientName)
        writer.endObject()
        writer.field("from", statement.from)
        writer.field("to", statement.to)
        writer.field("opening_balance", FinanceJSON.money(statement.openingBalance))
        writer.key("entries")
        writer.beginArray()
        for entry in statement.entries {
            writer.beginObject()
            writer.field("date", entry.day)
            writer.field("document", entry.document)
            writer.field("debit", FinanceJSON.money(entry.debit))
            writer.field("credit", FinanceJSON.money(entry.credit))
            writer.endObject()
        }
        writer.endArray()
        writer.key("turnover")
        writer.beginObject()
        writer.field("debit", FinanceJSON.money(statement.debitTurnover))
        writer.field("credit", FinanceJSON.money(statement.creditTurnover))
        writer.endObject()
        writer.field("closing_balance", FinanceJSON.money(statement.closingBalance))
        writer.field("owes", statement.owes.rawValue)
        writer.endObject()
        return FinanceJSON.response(writer)
    }
}

/// The period of a reconciliation statement, read from `?from=YYYY-MM-DD&to=YYYY-MM-DD` the same way for the API
/// and the pages: by default from the first of January of `to`'s year to today, in the company's zone.
struct ReconciliationPeriod {
    var from: String
    var to: String

    init(query req: Request) throws {
        let timeZone = req.application.config.timeZone
        var errors: [String: [String]] = [:]
        func day(_ name: String) -> String? {
            guard let raw: String = req.queryValues[name], !raw.isEmpty else { return nil }
            guard ISOTime.startOfDay(raw, in: timeZone) != nil else {
                errors[name] = [FieldMessage.date]
                return nil
            }
            return raw
        }
        let to = day("to") ?? ISOTime.day(of: Date(), in: timeZone)
        let from = day("from") ?? String(to.prefix(4)) + "-01-01"
        if !errors.isEmpty { throw FieldErrors(errors) }
        if from > to { throw FieldErrors("from", "Начало периода позже его конца.") }
        self.from = from
        self.to = to
    }
}

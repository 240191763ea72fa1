import Domain
import Foundation
import SQLKit
import Vapor

/// `GET /api/v1/clients/{id}/balance/?as_of=YYYY-MM-DD`: billed − paid, the debt by age (0–30, 31–60, 61–90,
/// over 90 days since completion) and the credit limit.
struct ClientBalanceAPIController {
    @Sendable func balance(req: Request) async throws -> Response {
        let service = try req.clientBalances
        let id = try req.intParameter()
        let timeZone = req.application.config.timeZone
        var asOf = Date()
        if let raw: String = req.queryValues["as_of"], !raw.isEmpty {
            guard let day = ISOTime.startOfDay(raw, in: timeZone) else { throw FieldErrors("as_of", FieldMessage.date) }
            asOf = day.addingTimeInterval(86_399)
        }
        let statement = try await service.statement(of: id, asOf: asOf)
        let client = statement.client
        let balance = statement.balance
        var writer = JSONWriter()
        writer.beginObject()
        writer.field("client_id", client.id)
        writer.field("client_name", client.name)
        writer.field("as_of", ISOTime.day(of: asOf, in: timeZone))
        writer.field("billed", balance.billed.plainString)
        writer.field("paid", balance.paid.plainString)
        writer.field("balance", balance.balance.plainString)
        writer.field("debt", balance.debt.plainString)
        writer.field("credit", balance.credit.plainString)
        writer.field("credit_limit", client.creditLimit.map(FinanceJSON.money))
        writer.field("open_orders_total", FinanceJSON.money(statement.openOrdersTotal))
        writer.field("exposure", FinanceJSON.money(statement.exposure))
        writer.field("over_limit", statement.isOverLimit)
        writer.key("ageing")
        writer.beginObject()
        writer.field("0_30", balance.ageing.upTo30Days.plainString)
        writer.field("31_60", balance.ageing.days31To60.plainString)
        writer.field("61_90", balance.ageing.days61To90.plainString)
        writer.field("90_plus", balance.ageing.over90Days.plainString)
        writer.endObject()
        writer.key("open_orders")
        writer.beginArray()
        for open in balance.openOrders {
            writer.beginObject()
            writer.field("order_id", open.orderID.uuidString.lowercased())
            writer.field("number", statement.numbers[open.orderID])
            writer.field("completed_at", ISOTime.format(open.completedAt, in: timeZone))
            writer.field("age_days", open.ageInDays)
            writer.field("outstanding", open.outstanding.plainString)
            writer.endObject()
        }
        writer.endArray()
        writer.endObject()
        return FinanceJSON.response(writer)
    }
}

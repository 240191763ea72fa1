import Domain
import Fluent
import Foundation
import SQLKit
import Vapor

extension DocumentService {
    static let actOnlyWhenCompleted = "Акт можно получить только для завершенных заявок"

    /// The act («Акт оказанных услуг») of a completed order: issued on the first request, with the next number of
    /// the year's gap-free sequence, and rendered from the figures kept with it from then on.
    func act(orderID: String) async throws -> RenderedDocument {
        guard UUID(uuidString: orderID) != nil else { throw APIError.notFound() }
        let sql = try db.sql()
        guard let order = try await OrderStore(sql: sql).load(orderID.lowercased()) else { throw APIError.notFound() }
        guard order.status == .completed else { throw APIError.badRequest(Self.actOnlyWhenCompleted) }
        let content: ActContent
        if let kept = try await Self.keptAct(of: order.id, sql: sql) {
            content = kept
        } else {
            content = try await issueAct(of: order, sql: sql)
        }
        let bytes = ActLayout.pdf(content, timeZone: timeZone, fonts: try Self.fonts())
        let name = "\(content.year)-\(content.number)"
        return RenderedDocument(bytes: bytes, fileName: "act_\(name).pdf", russianFileName: "Акт_\(name).pdf")
    }

    static func keptAct(of orderID: String, sql: any SQLDatabase) async throws -> ActContent? {
        guard let row = try await sql.select().column("content").from("acts").where("order_id", .equal, orderID).first()
        else { return nil }
        return try JSONDecoder().decode(
            ActContent.self, from: Data(try row.decode(column: "content", as: String.self).utf8))
    }

    /// Takes the figures from the order now and the next number, both in one transaction, so that a number is
    /// only used by an act that was stored (docs/documents.md, «Numbering»).
    private func issueAct(of order: OrderRecord, sql: any SQLDatabase) async throws -> ActContent {
        let company = try await Self.companyForDocuments(sql: sql)
        let buyer = try await Self.buyer(clientID: order.clientID, sql: sql)
        let positions = try await Self.workPositions(of: order, billing: order.totalAmount, sql: sql)
        let issuedAt = now()
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let year = calendar.component(.year, from: issuedAt)
        let draft = ActContent(
            number: 0, year: year, issuedAt: issuedAt, orderNumber: order.number, company: company, buyer: buyer,
            positions: positions, total: order.totalAmount)
        return try await writes.transaction(on: db) { db in
            let sql = try db.sql()
            // A second request for the same order waits here (PostgreSQL) and then finds the act the first stored.
            _ = try await sql.select().column("id").from("orders").where("id", .equal, order.id).for(.update).first()
            if let kept = try await Self.keptAct(of: order.id, sql: sql) { return kept }
            var act = draft
            act.number = try await Self.nextNumber(of: "act", year: year, sql: sql)
            try await sql.insert(into: "acts")
                .columns("order_id", "number", "year", "issued_at", "content")
                .values(
                    SQLBind(order.id), SQLBind(act.number), SQLBind(year), SQLBind(issuedAt),
                    SQLBind(String(decoding: try JSONEncoder().encode(act), as: UTF8.self))
                )
                .run()
            return act
        }
    }

    /// The next number of a gap-free sequence per document kind and year. The upsert takes the row's lock until the
    /// transaction ends, so concurrent issuers queue on it and a rolled-back number is reused (PostgreSQL, and
    /// SQLite ≥ 3.35 for `RETURNING`).
    static func nextNumber(of kind: String, year: Int, sql: any SQLDatabase) async throws -> Int {
        let row = try await sql.raw(
            """
            INSERT INTO document_numbers (kind, year, last) VALUES (\(bind: kind), \(bind: year), 1)
            ON CONFLICT (kind, year) DO UPDATE SET last = document_numbers.last + 1
            RETURNING last
            """
        ).first()
        return try row?.decode(column: "last", as: Int.self) ?? 1
    }
}

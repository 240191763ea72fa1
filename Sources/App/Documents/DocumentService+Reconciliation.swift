import Domain
import Fluent
import Foundation
import SQLKit
import Vapor

extension DocumentService {
    /// The client's account between two days (both included, in the company's time zone): completed orders are
    /// billed on the day the ledger bills them (`end_dt`, else completion, else start), successful payments are
    /// credited on the day they were paid (else recorded), so the closing balance is the ledger's balance.
    func reconciliation(clientID: Int, from: String, to: String) async throws -> ReconciliationStatement {
        let sql = try db.sql()
        guard let client = try await ClientAccount(sql: sql).client(clientID) else { throw APIError.notFound() }
        var dated: [(day: String, at: Date, entry: ReconciliationStatement.Entry)] = []
        let orders = try await sql.raw(
            """
            SELECT o.number, o.total_amount, o.end_at, o.completed_at, o.start_at, a.number AS act_number,
                   a.issued_at AS act_issued_at
            FROM orders o LEFT JOIN acts a ON a.order_id = o.id
            WHERE o.client_id = \(bind: clientID) AND o.status = \(bind: OrderStatus.completed.rawValue)
            """
        ).all()
        for row in orders {
            let billedAt =
                try row.decode(column: "end_at", as: Date?.self)
                ?? row.decode(column: "completed_at", as: Date?.self) ?? row.decode(column: "start_at", as: Date.self)
            var document = "Заявка № " + (try row.decode(column: "number", as: String.self))
            if let act = try row.decode(column: "act_number", as: Int?.self),
                let issued = try row.decode(column: "act_issued_at", as: Date?.self)
            {
                document =
                    "Акт № \(act) от \(ISOTime.day(of: issued, in: timeZone).reversedDay) (\(document.lowercased()))"
            }
            let day = ISOTime.day(of: billedAt, in: timeZone)
            dated.append(
                (
                    day, billedAt,
                    .init(
                        day: day, document: document,
                        debit: try row.decode(column: "total_amount", as: Int64.self), credit: 0)
                ))
        }
        let payments = try await sql.raw(
            """
            SELECT p.id, p.amount, p.paid_at, p.created_at, o.number FROM payments p JOIN orders o ON o.id = p.order_id
            WHERE o.client_id = \(bind: clientID) AND p.status = \(bind: PaymentStatus.success.rawValue)
            """
        ).all()
        for row in payments {
            let paidAt =
                try row.decode(column: "paid_at", as: Date?.self) ?? row.decode(column: "created_at", as: Date.self)
            let day = ISOTime.day(of: paidAt, in: timeZone)
            let document =
                "Оплата № \(try row.decode(column: "id", as: Int.self)) по заявке № "
                + (try row.decode(column: "number", as: String.self))
            dated.append(
                (
                    day, paidAt,
                    .init(
                        day: day, document: document, debit: 0,
                        credit: try row.decode(column: "amount", as: Int64.self))
                ))
        }
        dated.sort { ($0.at, $0.entry.document) < ($1.at, $1.entry.document) }
        // `YYYY-MM-DD` strings compare as the days they name.
        let before = dated.filter { $0.day < from }.map(\.entry)
        return ReconciliationStatement(
            clientID: client.id, clientName: client.name, from: from, to: to,
            openingBalance: before.reduce(0) { $0 + $1.debit - $1.credit },
            entries: dated.filter { $0.day >= from && $0.day <= to }.map(\.entry))
    }

    /// The statement as the PDF both sides sign.
    func reconciliationPDF(_ statement: ReconciliationStatement) async throws -> RenderedDocument {
        let company = try await Self.companyForDocuments(sql: try db.sql())
        let bytes = ReconciliationLayout.pdf(statement, company: company, fonts: try Self.fonts(), createdAt: now())
        let name = "\(statement.clientID)_\(statement.from)_\(statement.to)"
        return RenderedDocument(
            bytes: bytes, fileName: "reconciliation_\(name).pdf", russianFileName: "Акт_сверки_\(name).pdf")
    }
}

private extension String {
    /// `2026-12-04` → `04.12.2026`.
    var reversedDay: String { ReconciliationLayout.russianDay(self) }
}

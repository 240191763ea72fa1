import Foundation
import SQLKit
import Testing
import Vapor

@testable import App

@Suite("Documents: the reconciliation statement («Акт сверки взаимных расчётов»)")
struct ReconciliationTests {
    /// Two completed orders of 36 900 ₽ (10 November and 1 December 2025) and payments of 10 000 ₽ on
    /// 20 November (successful) and 5 000 ₽ (pending, not counted); returns the client and a manager's token.
    private func account(_ t: TestApp) async throws -> (client: Int, manager: String, decemberOrder: String) {
        let (_, manager) = try await t.user(.manager)
        let client = try await t.client()
        let first = try await t.completedOrder(
            client: client, manager: manager, start: "2025-11-10T09:00:00+03:00", end: "2025-11-10T18:00:00+03:00")
        let december = try await t.completedOrder(client: client, manager: manager, end: "2025-12-01T23:30:00+03:00")
        for (amount, status) in [("10000", "success"), ("5000", "pending")] {
            let payment = try await t.send(
                .POST, "/api/v1/payments/", token: manager,
                json: [
                    "order": first.id, "amount": amount, "method": "cash", "status": status,
                    "paid_at": "2025-11-20T12:00:00+03:00",
                ])
            #expect(payment.status == .created, "\(payment.body)")
        }
        return (client, manager, december.id)
    }

    @Test func theFiguresAreTheLedgers() async throws {
        try await TestApp.run { t in
            let (client, manager, decemberOrder) = try await account(t)
            let (_, accountant) = try await t.user(.accountant)
            let december = try await t.send(
                .GET, "/api/v1/clients/\(client)/reconciliation/?from=2025-12-01&to=2025-12-31", token: accountant)
            #expect(december.status == .ok, "\(december.body)")
            #expect(december["client"]?.objectValue?["id"]?.intValue == client)
            #expect(december.string("from") == "2025-12-01")
            #expect(december.string("opening_balance") == "26900.00")
            let entries = december["entries"]?.arrayValue ?? []
            #expect(entries.count == 1)
            #expect(entries.first?.objectValue?["date"]?.stringValue == "2025-12-01")
            #expect(entries.first?.objectValue?["debit"]?.stringValue == "36900.00")
            #expect(entries.first?.objectValue?["credit"]?.stringValue == "0.00")
            #expect(december["turnover"]?.objectValue?["debit"]?.stringValue == "36900.00")
            #expect(december.string("closing_balance") == "63800.00")
            #expect(december.string("owes") == "client")

            let balance = try await t.send(.GET, "/api/v1/clients/\(client)/balance/", token: manager)
            let all = try await t.send(
                .GET, "/api/v1/clients/\(client)/reconciliation/?from=2025-01-01", token: manager)
            #expect(all.string("opening_balance") == "0.00")
            #expect(all["entries"]?.arrayValue.count == 3)
            #expect(all["turnover"]?.objectValue?["credit"]?.stringValue == balance.string("paid"))
            #expect(all["turnover"]?.objectValue?["debit"]?.stringValue == balance.string("billed"))
            #expect(all.string("closing_balance") == balance.string("balance"))

            // The acts issued for the orders name them.
            let (_, admin) = try await t.user(.admin)
            _ = try await t.send(.PUT, "/api/v1/company/", token: admin, json: InvoiceTests.requisites)
            #expect(try await t.send(.GET, "/api/v1/orders/\(decemberOrder)/act/", token: manager).status == .ok)
            let named = try await t.send(
                .GET, "/api/v1/clients/\(client)/reconciliation/?from=2025-12-01&to=2025-12-31", token: manager)
            #expect(
                named["entries"]?.arrayValue.first?.objectValue?["document"]?.stringValue?.hasPrefix("Акт № 1 от")
                    == true)
        }
    }

    @Test func periodsAreCheckedAndOperatorsRefused() async throws {
        try await TestApp.run { t in
            let (_, manager) = try await t.user(.manager)
            let (_, driver) = try await t.user(.operator)
            let client = try await t.client()
            let path = "/api/v1/clients/\(client)/reconciliation/"
            #expect(try await t.send(.GET, path, token: driver).status == .forbidden)
            let bad = try await t.send(.GET, path + "?from=2025-13-01&to=вчера", token: manager)
            #expect(bad.status == .badRequest)
            #expect(bad["from"] != nil && bad["to"] != nil, "\(bad.body)")
            let reversed = try await t.send(.GET, path + "?from=2025-12-31&to=2025-12-01", token: manager)
            #expect(reversed.status == .badRequest)
            #expect(
                try await t.send(.GET, "/api/v1/clients/999999/reconciliation/", token: manager).status == .notFound)
            let empty = try await t.send(.GET, path, token: manager)
            #expect(empty.status == .ok)
            #expect(empty.string("owes") == "nobody")
        }
    }

    @Test(.enabled(if: PDFText.enabled, "pdftotext (poppler-utils) is not installed"))
    func thePDFIsTheCompanysHalfOfTheStatement() async throws {
        try await TestApp.run { t in
            let (client, manager, _) = try await account(t)
            let (_, admin) = try await t.user(.admin)
            let path = "/api/v1/clients/\(client)/reconciliation/?from=2025-12-01&to=2025-12-31&format=pdf"
            #expect(try await t.send(.GET, path, token: manager).status == .badRequest)
            #expect(
                try await t.send(.PUT, "/api/v1/company/", token: admin, json: InvoiceTests.requisites).status == .ok)
            let reply = try await t.send(.GET, path, token: manager)
            #expect(reply.status == .ok, "\(reply.body.prefix(300))")
            #expect(reply.headers.contentType?.subType == "pdf")
            let text = try PDFText.extract(reply.data)
            let flat = text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
            for expected in [
                "Акт сверки взаимных расчётов", "за период с 01.12.2025 по 31.12.2025",
                "между ООО «Ринго Спецтехника» и ООО Ромашка", "По данным ООО «Ринго Спецтехника»",
                "По данным ООО Ромашка",
                "Сальдо начальное", "26 900,00", "01.12.2025", "36 900,00", "Обороты за период", "Сальдо конечное",
                "63 800,00",
                "По данным ООО «Ринго Спецтехника» на 31.12.2025 задолженность в пользу "
                    + "ООО «Ринго Спецтехника» составляет 63 800,00 руб.",
                "Иванов И. И.",
            ] {
                #expect(flat.contains(expected), "«\(expected)» is missing from:\n\(text)")
            }
        }
    }
}

import Foundation
import SQLKit
import Testing
import Vapor

@testable import App

extension TestApp {
    /// A completed order of 36 900 ₽ (a machine for 1 shift and 2 hours, 2.5 m³ of sand) for `client`, finished at
    /// `end`; returns its id and number.
    func completedOrder(
        client: Int, manager: String, start: String = "2025-12-01T09:00:00+03:00",
        end: String = "2025-12-01T18:00:00+03:00"
    ) async throws -> (id: String, number: String) {
        let (driver, driverToken) = try await user(.operator)
        let machine = try await equipment()
        let sand = try await material(price: 80_000)
        let created = try await createOrder(
            token: manager,
            [
                "client_id": client, "operator_ids": [try #require(driver.id)], "start_dt": start,
                "items": [["item_type": "equipment", "ref_id": machine, "metadata": ["shifts": 1]]],
            ])
        let orderID = try #require(created.string("id"))
        for status in ["APPROVED", "IN_PROGRESS"] {
            _ = try await send(
                .PATCH, "/api/v1/orders/\(orderID)/status/", token: driverToken, json: ["status": status])
        }
        let completed = try await send(
            .POST, "/api/v1/orders/\(orderID)/complete/", token: driverToken,
            json: [
                "end_dt": end,
                "items": [
                    ["item_type": "equipment", "ref_id": machine, "metadata": ["shifts": 1, "hours": 2]],
                    ["item_type": "material", "ref_id": sand, "quantity": "2.5"],
                ],
            ])
        #expect(completed.status == .ok, "\(completed.body)")
        return (orderID, try #require(created.string("number")))
    }

    /// A bare order marked completed in the database, for tests that only count acts.
    func quickCompletedOrder(manager: String) async throws -> String {
        let created = try await createOrder(token: manager, ["client_id": try await client()])
        let id = try #require(created.string("id"))
        try await db.sql().update("orders").set("status", to: "COMPLETED").where("id", .equal, id).run()
        return id
    }

    /// GETs the paths at the same time from one running server (as `postConcurrently` does).
    func getConcurrently(_ paths: [String], token: String) async throws -> [HTTPResponseStatus] {
        try await app.asyncBoot()
        try await app.server.start(address: .hostname("127.0.0.1", port: 0))
        do {
            guard let port = app.http.server.shared.localAddress?.port else { throw TestFailure("no port") }
            app.http.client.configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = paths.count
            app.http.client.configuration.timeout.connect = .seconds(120)
            let client = app.client
            let statuses = try await withThrowingTaskGroup(of: HTTPResponseStatus.self) { group in
                for path in paths {
                    group.addTask {
                        try await client.get(
                            URI(string: "http://127.0.0.1:\(port)\(path)"),
                            headers: ["Authorization": "Bearer \(token)"]
                        ).status
                    }
                }
                return try await group.reduce(into: [HTTPResponseStatus]()) { $0.append($1) }
            }
            await app.server.shutdown()
            return statuses
        } catch {
            await app.server.shutdown()
            throw error
        }
    }

    func actNumbers() async throws -> [String: Int] {
        let rows = try await db.sql().select().columns("order_id", "number").from("acts").all()
        return Dictionary(
            uniqueKeysWithValues: try rows.map {
                (try $0.decode(column: "order_id", as: String.self), try $0.decode(column: "number", as: Int.self))
            })
    }
}

@Suite("Documents: the act («Акт оказанных услуг») and its gap-free numbers")
struct ActTests {
    private func withRequisites(_ t: TestApp) async throws {
        let (_, admin) = try await t.user(.admin)
        #expect(try await t.send(.PUT, "/api/v1/company/", token: admin, json: InvoiceTests.requisites).status == .ok)
    }

    @Test func anActIsForCompletedOrdersStaffAndFilledRequisites() async throws {
        try await TestApp.run { t in
            let (_, manager) = try await t.user(.manager)
            let (_, driver) = try await t.user(.operator)
            let open = try await t.createOrder(token: manager, ["client_id": try await t.client()])
            let openID = try #require(open.string("id"))
            let early = try await t.send(.GET, "/api/v1/orders/\(openID)/act/", token: manager)
            #expect(early.status == .badRequest)
            #expect(early.body.contains("Акт можно получить только для завершенных заявок"))
            let done = try await t.quickCompletedOrder(manager: manager)
            #expect(try await t.send(.GET, "/api/v1/orders/\(done)/act/", token: driver).status == .forbidden)
            let unfilled = try await t.send(.GET, "/api/v1/orders/\(done)/act/", token: manager)
            #expect(unfilled.status == .badRequest)
            #expect(unfilled["missing_fields"]?.arrayValue.contains(.string("inn")) == true)
            #expect(try await t.send(.GET, "/api/v1/orders/\(UUID())/act/", token: manager).status == .notFound)
            #expect(try await t.actNumbers().isEmpty)
        }
    }

    @Test(.enabled(if: PDFText.enabled, "pdftotext (poppler-utils) is not installed"))
    func theActReadsAsTheRussianFormAndIsKeptAsIssued() async throws {
        try await TestApp.run { t in
            try await withRequisites(t)
            let (_, accountant) = try await t.user(.accountant)
            let (_, manager) = try await t.user(.manager)
            let client = try await t.client()
            try await t.db.sql().update("clients").set("inn", to: "500100732259").where("id", .equal, client).run()
            let order = try await t.completedOrder(client: client, manager: manager)
            let reply = try await t.send(.GET, "/api/v1/orders/\(order.id)/act/", token: accountant)
            #expect(reply.status == .ok, "\(reply.body.prefix(300))")
            #expect(reply.headers.first(name: .contentDisposition)?.contains("act_") == true)
            let text = try PDFText.extract(reply.data)
            let flat = text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
            let issued = InvoiceLayout.longDate(Date(), in: t.app.config.timeZone)
            for expected in [
                "Акт № 1 от \(issued)", "Исполнитель:", "ООО «Ринго Спецтехника», ИНН 7707083893, КПП 773601001",
                "Заказчик:", "ООО Ромашка, ИНН 500100732259", "Заявка № \(order.number)", "Наименование работ, услуг",
                "Кол-во", "Песок", "2,5", "Итого:", "36 900,00", "В том числе НДС (20%):", "6 150,00",
                "Всего оказано услуг 2, на сумму 36 900,00 руб.", "Тридцать шесть тысяч девятьсот рублей 00 копеек",
                ActLayout.fulfilled, "ИСПОЛНИТЕЛЬ", "ЗАКАЗЧИК", "Иванов И. И.",
            ] {
                #expect(flat.contains(expected), "«\(expected)» is missing from:\n\(text)")
            }

            // Kept as issued: new prices and a new total do not alter it, and it keeps its number.
            try await t.db.sql().update("materials").set("price", to: 1).run()
            try await t.db.sql().update("orders").set("total_amount", to: 100).where("id", .equal, order.id).run()
            let again = try await t.send(.GET, "/api/v1/orders/\(order.id)/act/", token: manager)
            #expect(again.data == reply.data)
            #expect(try await t.actNumbers() == [order.id: 1])
        }
    }

    @Test func actsAreNumberedOnceInTurn() async throws {
        try await TestApp.run { t in
            try await withRequisites(t)
            let (_, manager) = try await t.user(.manager)
            var orders: [String] = []
            for _ in 0..<3 { orders.append(try await t.quickCompletedOrder(manager: manager)) }
            for id in orders + orders.reversed() {
                #expect(try await t.send(.GET, "/api/v1/orders/\(id)/act/", token: manager).status == .ok)
            }
            #expect(try await t.actNumbers() == [orders[0]: 1, orders[1]: 2, orders[2]: 3])
            let year = Calendar.current.component(.year, from: Date())
            let last = try await t.db.sql().select().column("last").from("document_numbers")
                .where("kind", .equal, "act").where("year", .equal, year).first()
            #expect(try last?.decode(column: "last", as: Int.self) == 3)
        }
    }

    @Test(.enabled(if: TestApp.usesPostgres, "PostgreSQL only: SQLite runs writes one at a time"))
    func concurrentFirstRequestsGetDistinctNumbersWithoutGaps() async throws {
        try await TestApp.run { t in
            try await withRequisites(t)
            let (_, manager) = try await t.user(.manager)
            var orders: [String] = []
            for _ in 0..<16 { orders.append(try await t.quickCompletedOrder(manager: manager)) }
            // Two of the requests ask for the same order's act: it is issued once.
            let paths = (orders + [orders[0]]).map { "/api/v1/orders/\($0)/act/" }
            let statuses = try await t.getConcurrently(paths, token: manager)
            #expect(statuses.count == 17)
            #expect(statuses.allSatisfy { $0 == .ok }, "\(statuses)")
            let numbers = try await t.actNumbers()
            #expect(Set(numbers.keys) == Set(orders))
            #expect(numbers.values.sorted() == Array(1...16))
        }
    }
}

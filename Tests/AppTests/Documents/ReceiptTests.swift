import Domain
import Foundation
import Testing
import Vapor

@testable import App

/// A PDF's text as a reader gets it: `pdftotext` from poppler-utils.
enum PDFText {
    static let required = ProcessInfo.processInfo.environment["RINGO_REQUIRE_TOOLS"] == "1"
    static let tool = ["/usr/bin/pdftotext", "/usr/local/bin/pdftotext"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }
    static let enabled = required || tool != nil

    static func extract(_ data: Data) throws -> String {
        let tool = try #require(tool, "pdftotext is not installed (apt-get install poppler-utils)")
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("ringo-\(UUID().uuidString).pdf")
        try data.write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = ["-layout", file.path, "-"]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: output, as: UTF8.self)
    }
}

@Suite("Documents: the order receipt («Чек»)")
struct ReceiptTests {
    /// A completed order for «ООО Ромашка»: one machine for 1 shift and 2 hours, 2.5 m³ of sand.
    private func completedOrder(
        _ t: TestApp
    ) async throws -> (id: String, number: String, manager: String, driver: String) {
        let (_, manager) = try await t.user(.manager)
        let (driver, driverToken) = try await t.user(.operator)
        let machine = try await t.equipment()
        let sand = try await t.material(price: 80_000)
        let client = try await t.client()
        let created = try await t.createOrder(
            token: manager,
            [
                "client_id": client, "operator_ids": [try #require(driver.id)],
                "items": [["item_type": "equipment", "ref_id": machine, "metadata": ["shifts": 1]]],
            ])
        let id = try #require(created.string("id"))
        for status in ["APPROVED", "IN_PROGRESS"] {
            _ = try await t.send(.PATCH, "/api/v1/orders/\(id)/status/", token: driverToken, json: ["status": status])
        }
        let done = try await t.send(
            .POST, "/api/v1/orders/\(id)/complete/", token: driverToken,
            json: [
                "end_dt": "2025-12-01T18:00:00+03:00", "comment": "Котлован выкопан",
                "items": [
                    ["item_type": "equipment", "ref_id": machine, "metadata": ["shifts": 1, "hours": 2]],
                    ["item_type": "material", "ref_id": sand, "quantity": "2.5"],
                ],
            ])
        #expect(done.string("total_amount") == "36900.00")
        return (id, try #require(created.string("number")), manager, driverToken)
    }

    @Test func onlyACompletedOrderHasAReceipt() async throws {
        try await TestApp.run { t in
            let (_, manager) = try await t.user(.manager)
            let open = try #require(try await t.createOrder(token: manager, [:]).string("id"))
            let refused = try await t.send(.GET, "/api/v1/orders/\(open)/receipt/", token: manager)
            #expect(refused.status == .badRequest)
            #expect(refused.string("detail") == "Чек можно получить только для завершенных заявок")
            let unknown = try await t.send(.GET, "/api/v1/orders/\(UUID().uuidString)/receipt/", token: manager)
            #expect(unknown.status == .notFound)
        }
    }

    @Test(.enabled(if: PDFText.enabled, "pdftotext (poppler-utils) is not installed"))
    func theReceiptReadsInRussianWithTotalsAsPriced() async throws {
        try await TestApp.run { t in
            let (id, number, manager, driver) = try await completedOrder(t)
            let reply = try await t.send(.GET, "/api/v1/orders/\(id)/receipt/", token: manager)
            #expect(reply.status == .ok)
            #expect(reply.headers.contentType == HTTPMediaType(type: "application", subType: "pdf"))
            let disposition = reply.headers.first(name: .contentDisposition) ?? ""
            #expect(disposition.contains("filename=\"receipt_\(number).pdf\""))
            #expect(disposition.contains("filename*=UTF-8''%D0%A7%D0%B5%D0%BA_\(number).pdf"))
            #expect(reply.data.starts(with: Data("%PDF-".utf8)))
            #expect(reply.data.count < 60_000)
            let text = try PDFText.extract(reply.data)
            for expected in [
                "ЧЕК", number, "ООО Ромашка", "+79001234567", "01.12.2025 09:00", "01.12.2025 18:00",
                "Котлован выкопан",
                "Техника: Экскаватор-погрузчик", "Материал: Песок", "1 смена, 2 ч", "2 000,00 ₽",
                "ИТОГО: 36 900,00 ₽", "Дата формирования чека",
            ] {
                #expect(text.contains(expected), "«\(expected)» is missing from:\n\(text)")
            }
            // The assigned operator may read it too; another operator may not know it exists.
            #expect(try await t.send(.GET, "/api/v1/orders/\(id)/receipt/", token: driver).status == .ok)
            let (_, stranger) = try await t.user(.operator)
            #expect(try await t.send(.GET, "/api/v1/orders/\(id)/receipt/", token: stranger).status == .notFound)
        }
    }

    @Test func theWebOrderPageLinksTheReceiptOfACompletedOrder() async throws {
        try await TestApp.run { t in
            let (id, _, _, _) = try await completedOrder(t)
            let (web, _, _) = try await WebClient.signedIn(t, .manager)
            let page = try await web.get("/orders/\(id)")
            #expect(page.contains("href=\"/orders/\(id)/receipt\""))
            let pdf = try await web.get("/orders/\(id)/receipt")
            #expect(pdf.status == .ok)
            #expect(pdf.body.hasPrefix("%PDF-"))
        }
    }
}

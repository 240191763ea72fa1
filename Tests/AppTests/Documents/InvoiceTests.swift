import Domain
import Foundation
import SQLKit
import Testing
import Vapor
import WebUI

@testable import App

/// Runs a reader tool from poppler-utils or zbar-tools on a file; nil when it is not installed.
enum ReaderTool {
    static func path(_ name: String) -> String? {
        ["/usr/bin/\(name)", "/usr/local/bin/\(name)"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    static func enabled(_ names: String...) -> Bool { PDFText.required || names.allSatisfy { path($0) != nil } }

    @discardableResult
    static func run(_ name: String, _ arguments: [String]) throws -> String {
        let tool = try #require(path(name), "\(name) is not installed")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: output, as: UTF8.self)
    }
}

@Suite("Documents: company requisites and the invoice («Счёт на оплату») with a payment QR code")
struct InvoiceTests {
    static let requisites: [String: String] = [
        "name": "ООО «Ринго Спецтехника»", "inn": "7707083893", "kpp": "773601001", "ogrn": "1027700132195",
        "address": "г. Москва, ул. Строителей, д. 15", "phone": "+7 495 123-45-67", "email": "office@ringo.example",
        "bank_name": "ПАО Сбербанк", "bik": "044525225", "account": "40702810938000012345",
        "correspondent_account": "30101810400000000225", "director": "Иванов И. И.", "accountant": "Петрова А. С.",
        "vat": "20",
    ]

    @Test func requisitesAreCheckedAndOnlyAdminsChangeThem() async throws {
        try await TestApp.run { t in
            let (_, admin) = try await t.user(.admin)
            let (_, manager) = try await t.user(.manager)
            let (_, driver) = try await t.user(.operator)
            #expect(try await t.send(.GET, "/api/v1/company/", token: driver).status == .forbidden)
            #expect(
                try await t.send(.PATCH, "/api/v1/company/", token: manager, json: ["name": "X"]).status == .forbidden)
            let bad = try await t.send(
                .PUT, "/api/v1/company/", token: admin,
                json: [
                    "name": "ООО Ромашка", "inn": "7707083894", "bik": "04452522", "account": "40702810938000012346",
                    "vat": "двадцать",
                ])
            #expect(bad.status == .badRequest)
            #expect(bad["vat"] != nil)
            let shapes = try await t.send(
                .PUT, "/api/v1/company/", token: admin,
                json: [
                    "name": "ООО Ромашка", "inn": "7707083894", "bik": "044525225", "account": "40702810938000012346",
                ])
            #expect(shapes.status == .badRequest)
            #expect(shapes["inn"]?.arrayValue.first?.stringValue?.contains("ИНН") == true)
            #expect(shapes["account"]?.arrayValue.first?.stringValue?.contains("БИК") == true)
            let saved = try await t.send(.PUT, "/api/v1/company/", token: admin, json: Self.requisites)
            #expect(saved.status == .ok, "\(saved.body)")
            let read = try await t.send(.GET, "/api/v1/company/", token: manager)
            #expect(read.string("inn") == "7707083893")
            #expect(read.string("vat") == "20")
        }
    }

    /// A completed order of 36 900 ₽ for «ООО Ромашка» and its invoice; returns (invoice id, number, token).
    private func issuedInvoice(_ t: TestApp) async throws -> (id: Int, number: String, token: String) {
        let (_, manager) = try await t.user(.manager)
        let (driver, driverToken) = try await t.user(.operator)
        let machine = try await t.equipment()
        let sand = try await t.material(price: 80_000)
        let client = try await t.client()
        try await t.db.sql().update("clients").set("inn", to: "500100732259").where("id", .equal, client).run()
        let created = try await t.createOrder(
            token: manager,
            [
                "client_id": client, "operator_ids": [try #require(driver.id)],
                "items": [["item_type": "equipment", "ref_id": machine, "metadata": ["shifts": 1]]],
            ])
        let orderID = try #require(created.string("id"))
        for status in ["APPROVED", "IN_PROGRESS"] {
            _ = try await t.send(
                .PATCH, "/api/v1/orders/\(orderID)/status/", token: driverToken, json: ["status": status])
        }
        _ = try await t.send(
            .POST, "/api/v1/orders/\(orderID)/complete/", token: driverToken,
            json: [
                "end_dt": "2025-12-01T18:00:00+03:00",
                "items": [
                    ["item_type": "equipment", "ref_id": machine, "metadata": ["shifts": 1, "hours": 2]],
                    ["item_type": "material", "ref_id": sand, "quantity": "2.5"],
                ],
            ])
        let invoice = try await t.send(.POST, "/api/v1/orders/\(orderID)/generate_invoice/", token: manager)
        #expect(invoice.status == .created)
        return (try #require(invoice["invoice_id"]?.intValue), try #require(invoice.string("number")), manager)
    }

    @Test func anInvoiceNeedsTheCompanyRequisites() async throws {
        try await TestApp.run { t in
            let (id, _, manager) = try await issuedInvoice(t)
            let refused = try await t.send(.GET, "/api/v1/invoices/\(id)/pdf/", token: manager)
            #expect(refused.status == .badRequest)
            #expect(refused.string("detail")?.contains("ИНН") == true)
            #expect(refused["missing_fields"]?.arrayValue.contains(.string("bik")) == true)
        }
    }

    @Test(
        .enabled(
            if: ReaderTool.enabled("pdftotext", "pdftoppm", "zbarimg", "qpdf"),
            "poppler-utils, qpdf or zbar-tools missing"))
    func theInvoiceReadsAsTheRussianFormAndItsQRCodePays() async throws {
        try await TestApp.run { t in
            let (_, admin) = try await t.user(.admin)
            #expect(try await t.send(.PUT, "/api/v1/company/", token: admin, json: Self.requisites).status == .ok)
            let (id, number, manager) = try await issuedInvoice(t)
            let reply = try await t.send(.GET, "/api/v1/invoices/\(id)/pdf/", token: manager)
            #expect(reply.status == .ok, "\(reply.body.prefix(300))")
            #expect(reply.data.count < 60_000, "\(reply.data.count) bytes")
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("invoice-\(UUID().uuidString)")
            defer {
                if ProcessInfo.processInfo.environment["RINGO_KEEP_DOCUMENTS"] == nil {
                    for suffix in [".pdf", ".png"] { try? FileManager.default.removeItem(atPath: file.path + suffix) }
                }
            }
            try reply.data.write(to: URL(fileURLWithPath: file.path + ".pdf"))
            let check = try ReaderTool.run("qpdf", ["--check", file.path + ".pdf"])
            #expect(check.contains("No syntax or stream encoding errors"), "\(check)")
            let text = try ReaderTool.run("pdftotext", ["-layout", file.path + ".pdf", "-"])
            let issued = InvoiceLayout.longDate(Date(), in: t.app.config.timeZone)
            for expected in [
                "Счёт на оплату № \(number) от \(issued)", "ПАО Сбербанк", "044525225", "30101810400000000225",
                "40702810938000012345", "ИНН 7707083893", "КПП 773601001", "ООО «Ринго Спецтехника»",
                "ООО Ромашка, ИНН 500100732259", "Товары (работы, услуги)", "Песок", "2,5", "36 900,00",
                "В том числе НДС (20%):", "6 150,00", "Всего к оплате:",
                "Всего наименований 2, на сумму 36 900,00 руб.",
                "Тридцать шесть тысяч девятьсот рублей 00 копеек", "Руководитель", "Иванов И. И.", "Бухгалтер",
            ] {
                #expect(text.contains(expected), "«\(expected)» is missing from:\n\(text)")
            }
            try ReaderTool.run("pdftoppm", ["-png", "-r", "200", "-singlefile", file.path + ".pdf", file.path])
            let scanned = try ReaderTool.run("zbarimg", ["--raw", "-q", file.path + ".png"])
                .trimmingCharacters(in: .newlines)
            let purpose =
                "Оплата по счёту № \(number) от \(RussianFormat.date(Date(), in: t.app.config.timeZone)), "
                + "в т.ч. НДС 20% 6 150,00"
            #expect(
                scanned
                    == "ST00012|Name=ООО «Ринго Спецтехника»|PersonalAcc=40702810938000012345|BankName=ПАО Сбербанк|"
                    + "BIC=044525225|CorrespAcc=30101810400000000225|PayeeINN=7707083893|KPP=773601001|Sum=3690000|"
                    + "Purpose=\(purpose)")

            // The issued figures are kept: a later price change does not alter the document.
            try await t.db.sql().update("materials").set("price", to: 1).run()
            let again = try await t.send(.GET, "/api/v1/invoices/\(id)/pdf/", token: manager)
            #expect(again.data == reply.data)
        }
    }
}

import Domain
import Foundation
import SQLKit
import Testing
import Vapor

@testable import App

@Suite("Web: «Реквизиты компании» and the order's invoice")
struct WebDocumentsTests {
    /// The requisites form as a browser posts it: every field, `vat` from the select.
    static func requisitesForm(inn: String = "7707083893") -> [(String, String)] {
        var fields = InvoiceTests.requisites
        fields["inn"] = inn
        return CompanyRequisites.fieldNames.map { ($0, fields[$0] ?? "") }
    }

    /// A completed order of «ООО Ромашка» with its assigned operator's web client.
    private func completedOrder(_ t: TestApp) async throws -> (id: String, driver: User) {
        let (_, manager) = try await t.user(.manager)
        let (driver, driverToken) = try await t.user(.operator)
        let machine = try await t.equipment()
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
                "end_dt": "2025-12-01T18:00:00+03:00",
                "items": [["item_type": "equipment", "ref_id": machine, "metadata": ["shifts": 1]]],
            ])
        #expect(done.status == .ok, "\(done.body.prefix(300))")
        return (id, driver)
    }

    @Test func anAdminSavesTheRequisitesWithTheAPIsChecks() async throws {
        try await TestApp.run { t in
            let (web, _, _) = try await WebClient.signedIn(t, .admin)
            let profile = try await web.get("/profile")
            #expect(profile.contains("href=\"/settings/company\""))
            let form = try await web.get("/settings/company")
            #expect(form.status == .ok)
            #expect(form.contains("action=\"/settings/company\""))

            let bad = try await web.post("/settings/company", Self.requisitesForm(inn: "7707083894"))
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.contains("ИНН — 10 или 12 цифр с верными контрольными цифрами."))
            #expect(bad.contains("value=\"7707083894\""), "the form keeps what was typed")
            #expect(bad.contains("value=\"ПАО Сбербанк\""))
            #expect(try await CompanyService.load(from: t.db.sql()).inn == "")

            let saved = try await web.post("/settings/company", Self.requisitesForm())
            #expect(saved.status == .seeOther)
            #expect(saved.location == "/settings/company")
            let shown = try await web.get("/settings/company")
            #expect(shown.contains("Реквизиты сохранены"))
            #expect(shown.contains("value=\"7707083893\""))
            #expect(shown.contains("<option value=\"20\" selected>20 %</option>"))
            let stored = try await CompanyService.load(from: t.db.sql())
            #expect(stored.inn == "7707083893")
            #expect(stored.vat == .rate(20))
            #expect(stored.correspondentAccount == "30101810400000000225")
        }
    }

    @Test func managersReadTheRequisitesAndCannotSaveThem() async throws {
        try await TestApp.run { t in
            let (web, _, _) = try await WebClient.signedIn(t, .manager)
            let page = try await web.get("/settings/company")
            #expect(page.status == .ok)
            #expect(page.contains("Реквизиты меняет администратор."))
            #expect(!page.contains("action=\"/settings/company\""))
            let refused = try await web.post("/settings/company", Self.requisitesForm())
            #expect(refused.status == .forbidden)
            #expect(try await CompanyService.load(from: t.db.sql()).inn == "")

            let (driver, _, _) = try await WebClient.signedIn(t, .operator)
            #expect(try await driver.get("/settings/company").status == .forbidden)
            #expect(!(try await driver.get("/profile")).contains("/settings/company"))
        }
    }

    @Test func aCompletedOrderIssuesItsInvoiceAndOpensThePDF() async throws {
        try await TestApp.run { t in
            let (orderID, _) = try await completedOrder(t)
            let (web, _, _) = try await WebClient.signedIn(t, .manager)
            let before = try await web.get("/orders/\(orderID)")
            #expect(before.contains("action=\"/orders/\(orderID)/invoice\""))
            #expect(before.contains(">Выставить счёт</button>"))
            #expect(before.contains("href=\"/orders/\(orderID)/receipt\""))

            let issued = try await web.post("/orders/\(orderID)/invoice", [])
            #expect(issued.status == .seeOther)
            let invoiceID = try #require(try await InvoiceService.invoiceID(ofOrder: orderID, on: t.db.sql()))
            #expect(issued.location == "/invoices/\(invoiceID)", "«Выставить счёт» opens the new invoice")
            let after = try await web.get("/orders/\(orderID)")
            #expect(after.contains("выставлен"))
            #expect(after.contains("href=\"/invoices/\(invoiceID)/pdf\""))
            #expect(!after.contains("Выставить счёт"))

            // The API issues through the same service: the order keeps its one invoice.
            let (_, managerToken) = try await t.user(.manager)
            let again = try await t.send(.POST, "/api/v1/orders/\(orderID)/generate_invoice/", token: managerToken)
            #expect(again.status == .ok)
            #expect(again["invoice_id"]?.intValue == invoiceID)

            let missing = try await web.get("/invoices/\(invoiceID)/pdf")
            #expect(missing.status == .badRequest)
            #expect(missing.contains("Заполните реквизиты компании: название, ИНН"))
            #expect(missing.contains("Их заполняет администратор."))
            #expect(!missing.contains("href=\"/settings/company\""))
            let (admin, _, adminToken) = try await WebClient.signedIn(t, .admin)
            let toFill = try await admin.get("/invoices/\(invoiceID)/pdf")
            #expect(toFill.contains("href=\"/settings/company\""))

            #expect(
                try await t.send(.PUT, "/api/v1/company/", token: adminToken, json: InvoiceTests.requisites).status
                    == .ok)
            let pdf = try await web.get("/invoices/\(invoiceID)/pdf")
            #expect(pdf.status == .ok)
            #expect(pdf.headers.contentType == HTTPMediaType(type: "application", subType: "pdf"))
            #expect(pdf.headers.first(name: .contentDisposition)?.hasPrefix("inline;") == true)
            #expect(pdf.body.hasPrefix("%PDF-"))
            if PDFText.enabled {
                let reply = try await t.send(.GET, "/api/v1/invoices/\(invoiceID)/pdf/", token: adminToken)
                let text = try PDFText.extract(reply.data)
                for expected in ["ООО «Ринго Спецтехника»", "ИНН 7707083893", "044525225", "ООО Ромашка"] {
                    #expect(text.contains(expected), "«\(expected)» is missing from:\n\(text)")
                }
            }
        }
    }

    @Test func operatorsSeeNoInvoice() async throws {
        try await TestApp.run { t in
            let (orderID, driver) = try await completedOrder(t)
            let web = WebClient(t)
            try await web.login(driver.phone)
            let page = try await web.get("/orders/\(orderID)")
            #expect(page.status == .ok)
            #expect(page.contains("href=\"/orders/\(orderID)/receipt\""))
            #expect(!page.contains("Выставить счёт"))
            #expect(!page.contains(">Счёт<"))
            #expect(try await web.post("/orders/\(orderID)/invoice", []).status == .forbidden)
            #expect(try await InvoiceService.invoiceID(ofOrder: orderID, on: t.db.sql()) == nil)
        }
    }

    @Test func theMoneyRolesOpenTheActAndOperatorsDoNot() async throws {
        try await TestApp.run { t in
            let (orderID, driver) = try await completedOrder(t)
            let (admin, _, adminToken) = try await WebClient.signedIn(t, .admin)
            #expect(
                try await t.send(.PUT, "/api/v1/company/", token: adminToken, json: InvoiceTests.requisites).status
                    == .ok)
            let (accountant, _, _) = try await WebClient.signedIn(t, .accountant)
            let page = try await accountant.get("/orders/\(orderID)")
            #expect(page.contains("href=\"/orders/\(orderID)/act\""))
            #expect(!page.contains("Отправить клиенту"), "no SMTP configured: nothing to send with")
            let act = try await accountant.get("/orders/\(orderID)/act")
            #expect(act.status == .ok)
            #expect(act.headers.contentType == HTTPMediaType(type: "application", subType: "pdf"))
            #expect(act.body.hasPrefix("%PDF-"))
            #expect(try await admin.get("/orders/\(orderID)/act").status == .ok)

            let web = WebClient(t)
            try await web.login(driver.phone)
            #expect(!(try await web.get("/orders/\(orderID)")).contains("/act\""))
            #expect(try await web.get("/orders/\(orderID)/act").status == .forbidden)
        }
    }

    @Test func theClientPageOpensTheReconciliationStatement() async throws {
        try await TestApp.run { t in
            let (orderID, _) = try await completedOrder(t)
            let clientID = try #require(try await OrderStore(sql: t.db.sql()).load(orderID)?.clientID)
            let (admin, _, adminToken) = try await WebClient.signedIn(t, .admin)
            #expect(
                try await t.send(.PUT, "/api/v1/company/", token: adminToken, json: InvoiceTests.requisites).status
                    == .ok)
            let (manager, _, _) = try await WebClient.signedIn(t, .manager)
            let card = try await manager.get("/clients/\(clientID)")
            #expect(card.contains("action=\"/clients/\(clientID)/reconciliation\""))
            #expect(card.contains("Акт сверки"))
            let pdf = try await manager.get("/clients/\(clientID)/reconciliation?from=2025-01-01&to=2025-12-31")
            #expect(pdf.status == .ok)
            #expect(pdf.headers.contentType == HTTPMediaType(type: "application", subType: "pdf"))
            #expect(pdf.body.hasPrefix("%PDF-"))
            let backwards = try await manager.get("/clients/\(clientID)/reconciliation?from=2025-12-31&to=2025-01-01")
            #expect(backwards.status == .badRequest)
            #expect(try await admin.get("/clients/\(clientID)/reconciliation").status == .ok)

            let (driver, _, _) = try await WebClient.signedIn(t, .operator)
            #expect(try await driver.get("/clients/\(clientID)/reconciliation").status == .forbidden)
        }
    }

    @Test(.enabled(if: SMTPSink.enabled, SMTPSink.skipReason))
    func sendToClientQueuesTheLetterTheAPIWouldQueue() async throws {
        let sink = try SMTPSink()
        defer { sink.stop() }
        try await TestApp.run(adjust: {
            $0.mail = MailSettings(
                host: "127.0.0.1", port: sink.port, from: "robot@ringo.example.ru", security: .none, timeout: 10)
        }) { t in
            let (orderID, _) = try await completedOrder(t)
            let (manager, _, _) = try await WebClient.signedIn(t, .manager)
            let page = try await manager.get("/orders/\(orderID)")
            #expect(page.contains("action=\"/orders/\(orderID)/send\""))
            #expect(page.contains(">Отправить клиенту</button>"))

            // Refusals come back to the order page with the reason, as the other order actions do.
            let noAddress = try await manager.post("/orders/\(orderID)/send", [("document", "receipt")])
            #expect(noAddress.location == "/orders/\(orderID)")
            #expect((try await manager.get("/orders/\(orderID)")).contains("У клиента не указан e-mail"))
            let noInvoice = try await manager.post("/orders/\(orderID)/send", [("document", "invoice")])
            #expect(noInvoice.location == "/orders/\(orderID)")
            #expect((try await manager.get("/orders/\(orderID)")).contains("Счёт по заявке ещё не выставлен."))
            #expect(try await t.db.sql().select().column("id").from("jobs").all().isEmpty)

            let clientID = try #require(try await OrderStore(sql: t.db.sql()).load(orderID)?.clientID)
            try await t.db.sql().update("clients").set("email", to: "buh@romashka.example.ru")
                .where("id", .equal, clientID).run()
            let sent = try await manager.post("/orders/\(orderID)/send", [("document", "receipt")])
            #expect(sent.status == .seeOther)
            #expect(sent.location == "/orders/\(orderID)")
            let jobs = try await t.db.sql().select().column("payload").from("jobs")
                .where("name", .equal, SendDocumentEmailJob.name).all()
            #expect(jobs.count == 1)
            let payload = try jobs.first?.decode(column: "payload", as: String.self) ?? ""
            #expect(payload.contains("buh@romashka.example.ru"))
            #expect(payload.contains(orderID))
            #expect((try await manager.get("/orders/\(orderID)")).contains("Письмо поставлено в очередь"))
        }
    }
}

import Domain
import Foundation
import SQLKit
import Testing
import Vapor
import WebUI

@testable import App

/// «Счета» and «Платежи» over HTTP: roles, the status labels, the filters, recording / editing / deleting payments
/// through `PaymentService`, the overpayment kept as an advance, the exports.
@Suite("Web: «Счета» and «Платежи»")
struct InvoicePaymentWebTests {
    struct Setup {
        var managerToken: String
        var clientID: Int
        var otherClientID: Int
        var orderID: String
        var invoiceID: Int
        var amount: Int64
    }

    /// A completed order of «ООО Ромашка» with its invoice issued, and a second client.
    static func setup(_ t: TestApp) async throws -> Setup {
        let (_, manager) = try await t.user(.manager)
        let machine = try await t.equipment()
        let clientID = try await t.client()
        let otherClientID = try await t.client(name: "ИП Васильков", phone: "+79007654321")
        let orderID = try await t.completedOrder(
            manager: manager, clientID: clientID, start: "2025-03-10T09:00:00+03:00",
            end: "2025-03-10T18:00:00+03:00",
            items: [["item_type": "equipment", "ref_id": machine, "metadata": ["shifts": 1]]])
        let issued = try await t.send(.POST, "/api/v1/orders/\(orderID)/generate_invoice/", token: manager)
        try #require(issued.status == .created, "\(issued.body)")
        let invoiceID = try #require(issued["invoice_id"]?.intValue)
        let amount = try #require(
            try await t.db.sql().select().column("amount").from("invoices").where("id", .equal, invoiceID).first()?
                .decode(column: "amount", as: Int64.self))
        try #require(amount > 0)
        return Setup(
            managerToken: manager, clientID: clientID, otherClientID: otherClientID, orderID: orderID,
            invoiceID: invoiceID, amount: amount)
    }

    static func money(_ kopecks: Int64) -> String { RussianFormat.moneyInput(kopecks) }

    static func today(_ t: TestApp) -> String { ISOTime.day(of: Date(), in: t.app.config.timeZone) }

    static func paymentCount(_ t: TestApp) async throws -> Int {
        try await t.db.sql().raw("SELECT COUNT(*) AS n FROM payments").first()?.decode(column: "n", as: Int.self) ?? 0
    }

    static func invoiceStatus(_ t: TestApp, _ id: Int) async throws -> String? {
        try await t.db.sql().select().column("payment_status").from("invoices").where("id", .equal, id).first()?
            .decode(column: "payment_status", as: String.self)
    }

    static func auditCount(_ t: TestApp, entity: String) async throws -> Int {
        try await t.db.sql().raw("SELECT COUNT(*) AS n FROM audit_entries WHERE entity_type = \(bind: entity)").first()?
            .decode(column: "n", as: Int.self) ?? 0
    }

    static func lastPaymentID(_ t: TestApp) async throws -> Int {
        try await t.db.sql().raw("SELECT MAX(id) AS id FROM payments").first()?.decode(column: "id", as: Int.self) ?? 0
    }

    // MARK: - Roles

    @Test(arguments: [Role.admin, .manager, .accountant])
    func theMoneyRolesOpenEveryPageAndWrite(_ role: Role) async throws {
        try await TestApp.run { t in
            let s = try await Self.setup(t)
            let (web, _, _) = try await WebClient.signedIn(t, role)
            for path in [
                "/invoices", "/invoices/\(s.invoiceID)", "/payments", "/payments/new",
                "/payments/new?invoice=\(s.invoiceID)",
            ] {
                let page = try await web.get(path)
                #expect(page.status == .ok, "\(role) \(path): \(page.status)")
            }
            let paid = try await web.post(
                "/invoices/\(s.invoiceID)/payments",
                [("amount", "100"), ("paid_at", Self.today(t)), ("method", "cash"), ("comment", "")])
            #expect(paid.status == .seeOther, "\(paid.body.prefix(400))")
            let id = try await Self.lastPaymentID(t)
            #expect(try await web.get("/payments/\(id)/edit").status == .ok)
            let edited = try await web.post(
                "/payments/\(id)/edit",
                [
                    ("client", String(s.clientID)), ("invoice", String(s.invoiceID)), ("order", ""),
                    ("amount", "200"), ("paid_at", Self.today(t)), ("method", "online"), ("comment", "карта"),
                ])
            #expect(edited.status == .seeOther, "\(edited.body.prefix(400))")
            let deleted = try await web.post("/payments/\(id)/delete", [])
            #expect(deleted.status == .seeOther)
            #expect(try await Self.paymentCount(t) == 0)
        }
    }

    @Test func operatorsAreRefusedEverywhere() async throws {
        try await TestApp.run { t in
            let s = try await Self.setup(t)
            let (web, _, _) = try await WebClient.signedIn(t, .operator)
            let (accountant, _, _) = try await WebClient.signedIn(t, .accountant)
            _ = try await accountant.get("/invoices/\(s.invoiceID)")
            _ = try await accountant.post(
                "/invoices/\(s.invoiceID)/payments",
                [("amount", "100"), ("paid_at", Self.today(t)), ("method", "cash")])
            let id = try await Self.lastPaymentID(t)
            try #require(id > 0)
            _ = try await web.get("/profile")
            for path in [
                "/invoices", "/invoices/\(s.invoiceID)", "/payments", "/payments/new", "/payments/\(id)/edit",
                "/invoices?export=csv", "/payments?export=xlsx",
            ] {
                #expect(try await web.get(path).status == .forbidden, "\(path)")
            }
            let fields = [
                ("client", String(s.clientID)), ("invoice", String(s.invoiceID)), ("amount", "1"),
                ("paid_at", Self.today(t)), ("method", "cash"),
            ]
            for path in [
                "/invoices/\(s.invoiceID)/payments", "/payments/new", "/payments/\(id)/edit", "/payments/\(id)/delete",
            ] {
                #expect(try await web.post(path, fields).status == .forbidden, "\(path)")
            }
            #expect(try await Self.paymentCount(t) == 1)
            let menu = try await web.get("/")
            #expect(!menu.contains("href=\"/invoices\""))
            #expect(!menu.contains("href=\"/payments\""))
        }
    }

    // MARK: - The accountant's day

    @Test func issuingLandsOnTheInvoiceAndPaymentsMoveItsStatus() async throws {
        try await TestApp.run { t in
            let (_, manager) = try await t.user(.manager)
            let machine = try await t.equipment()
            let clientID = try await t.client()
            let orderID = try await t.completedOrder(
                manager: manager, clientID: clientID, start: "2025-03-10T09:00:00+03:00",
                end: "2025-03-10T18:00:00+03:00",
                items: [["item_type": "equipment", "ref_id": machine, "metadata": ["shifts": 1]]])
            let (web, _, _) = try await WebClient.signedIn(t, .accountant, firstName: "Бэлла", lastName: "Бухова")
            _ = try await web.get("/orders/\(orderID)")
            let issued = try await web.post("/orders/\(orderID)/invoice", [])
            #expect(issued.status == .seeOther)
            let invoiceID = try #require(try await InvoiceService.invoiceID(ofOrder: orderID, on: t.db.sql()))
            #expect(issued.location == "/invoices/\(invoiceID)")
            let invoice = try await Self.invoice(t, invoiceID)

            let page = try await web.get("/invoices/\(invoiceID)")
            #expect(page.contains(">Выставлен</span>"))
            #expect(page.contains("value=\"\(Self.money(invoice.amount))\""), "the amount defaults to what is left")
            #expect(page.contains("value=\"\(Self.today(t))\""), "the day defaults to today")
            #expect(page.contains("href=\"/invoices/\(invoiceID)/pdf\""))
            #expect(page.contains("href=\"/clients/\(clientID)\""))
            #expect(page.contains("href=\"/orders/\(orderID)\""))
            #expect(!page.contains("Отправить клиенту"), "no SMTP in tests")

            let half = invoice.amount / 2
            let first = try await web.post(
                "/invoices/\(invoiceID)/payments",
                [
                    ("amount", Self.money(half)), ("paid_at", Self.today(t)), ("method", "bank_transfer"),
                    ("comment", "первая часть"),
                ])
            #expect(first.status == .seeOther)
            #expect(first.location == "/invoices/\(invoiceID)")
            let partial = try await web.get("/invoices/\(invoiceID)")
            #expect(partial.contains("Платёж сохранён"))
            #expect(partial.contains(">Частично оплачен</span>"))
            #expect(partial.contains("первая часть"))
            #expect(partial.contains("Бэлла Бухова"))
            #expect(partial.contains("value=\"\(Self.money(invoice.amount - half))\""))
            #expect(try await Self.invoiceStatus(t, invoiceID) == "pending")

            _ = try await web.post(
                "/invoices/\(invoiceID)/payments",
                [("amount", Self.money(invoice.amount - half)), ("paid_at", Self.today(t)), ("method", "cash")])
            let paid = try await web.get("/invoices/\(invoiceID)")
            #expect(paid.contains(">Оплачен</span>"))
            #expect(!paid.contains("Переплата"))
            #expect(try await Self.invoiceStatus(t, invoiceID) == "success")
            #expect(try await Self.auditCount(t, entity: "payment") == 2)

            let list = try await web.get("/invoices?status=paid")
            #expect(list.contains(invoice.number))
            #expect(!(try await web.get("/invoices?status=issued")).contains(invoice.number))
        }
    }

    @Test func withMailConfiguredTheInvoiceOffersSendingIt() async throws {
        try await TestApp.run(adjust: {
            $0.mail = MailSettings(
                host: "127.0.0.1", port: 2525, from: "robot@ringo.example.ru", security: .none, timeout: 10)
        }) { t in
            let s = try await Self.setup(t)
            let (web, _, _) = try await WebClient.signedIn(t, .accountant)
            let page = try await web.get("/invoices/\(s.invoiceID)")
            #expect(page.contains("action=\"/orders/\(s.orderID)/send\""))
            #expect(page.contains("<input type=\"hidden\" name=\"document\" value=\"invoice\"/>"))
            #expect(page.contains(">Отправить клиенту</button>"))
        }
    }

    @Test func badInputComesBackWithMessagesAndNothingLost() async throws {
        try await TestApp.run { t in
            let s = try await Self.setup(t)
            let (web, _, _) = try await WebClient.signedIn(t, .accountant)
            _ = try await web.get("/invoices/\(s.invoiceID)")
            let bad = try await web.post(
                "/invoices/\(s.invoiceID)/payments",
                [("amount", "много"), ("paid_at", ""), ("method", "cash"), ("comment", "оставить")])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.contains("Введите сумму, например 12 500,00."))
            #expect(bad.contains("Укажите дату оплаты."))
            #expect(bad.contains("оставить</textarea>"))
            #expect(bad.contains("value=\"много\""))
            let zero = try await web.post(
                "/invoices/\(s.invoiceID)/payments", [("amount", "0"), ("paid_at", Self.today(t)), ("method", "cash")])
            #expect(zero.status == .unprocessableEntity)
            #expect(zero.contains("Сумма платежа должна быть больше нуля."))
            #expect(try await Self.paymentCount(t) == 0)
        }
    }

    // MARK: - Overpayment

    @Test func anOverpaymentIsKeptAsTheClientsAdvanceOnBothChannels() async throws {
        try await TestApp.run { t in
            let s = try await Self.setup(t)
            let (web, _, _) = try await WebClient.signedIn(t, .accountant)
            _ = try await web.get("/payments/new?invoice=\(s.invoiceID)")
            let saved = try await web.post(
                "/payments/new",
                [
                    ("client", String(s.clientID)), ("invoice", String(s.invoiceID)), ("order", ""),
                    ("amount", Self.money(s.amount + 500_000)), ("paid_at", Self.today(t)), ("method", "cash"),
                    ("comment", "с запасом"),
                ])
            #expect(saved.status == .seeOther, "\(saved.body.prefix(500))")
            #expect(saved.location == "/invoices/\(s.invoiceID)")
            let page = try await web.get("/invoices/\(s.invoiceID)")
            #expect(page.contains("Переплата 5\u{202F}000,00\u{00A0}₽ зачтена клиенту как аванс."))
            #expect(page.contains(">Оплачен</span>"))
            #expect(page.contains("Переплата (аванс)"))
            #expect(page.contains("Аванс клиента (переплата по всем заявкам): 5\u{202F}000,00\u{00A0}₽"))
            let list = try await web.get("/payments")
            #expect(list.contains(">Аванс</span>"))
            #expect(list.contains("переплата по заявке 5\u{202F}000,00\u{00A0}₽"))
            #expect(try await Self.invoiceStatus(t, s.invoiceID) == "success")

            // The API accepts the same overpayment: one service behind both.
            let (_, token) = try await t.user(.accountant)
            let api = try await t.send(
                .POST, "/api/v1/payments/", token: token,
                json: ["order": s.orderID, "amount": "100.00", "status": "success", "method": "cash"])
            #expect(api.status == .created, "\(api.body)")
            let balance = try await t.send(.GET, "/api/v1/clients/\(s.clientID)/balance/", token: token)
            #expect(balance.status == .ok)
            #expect(balance["credit"]?.stringValue == "5100.00", "\(balance.body)")
        }
    }

    // MARK: - «Новый платёж», edit, delete

    @Test func newPaymentByOrderChecksTheClientAndEditAndDeleteKeepTheInvoiceRight() async throws {
        try await TestApp.run { t in
            let s = try await Self.setup(t)
            let (web, _, _) = try await WebClient.signedIn(t, .manager)
            let form = try await web.get("/payments/new?client=\(s.clientID)")
            #expect(form.contains("<option value=\"\(s.orderID)\">Заявка"))
            #expect(form.contains("<option value=\"\(s.invoiceID)\">INV-"))
            let fields: [(String, String)] = [
                ("client", String(s.otherClientID)), ("invoice", ""), ("order", s.orderID),
                ("amount", Self.money(s.amount)), ("paid_at", Self.today(t)), ("method", "bank_transfer"),
                ("comment", ""),
            ]
            let wrong = try await web.post("/payments/new", fields)
            #expect(wrong.status == .unprocessableEntity)
            #expect(wrong.contains("Заявка относится к другому клиенту."))
            let neither = try await web.post(
                "/payments/new", [("client", ""), ("amount", "10"), ("paid_at", Self.today(t)), ("method", "cash")])
            #expect(neither.status == .unprocessableEntity)
            #expect(neither.contains("Выберите счёт или заявку."))
            #expect(try await Self.paymentCount(t) == 0)

            var right = fields
            right[0] = ("client", String(s.clientID))
            let saved = try await web.post("/payments/new", right)
            #expect(saved.status == .seeOther)
            #expect(saved.location == "/invoices/\(s.invoiceID)", "the order's invoice is where the user lands")
            #expect(try await Self.invoiceStatus(t, s.invoiceID) == "success")
            let id = try await Self.lastPaymentID(t)

            let edit = try await web.get("/payments/\(id)/edit")
            #expect(edit.contains("value=\"\(Self.money(s.amount))\""))
            #expect(edit.contains("<option value=\"bank_transfer\" selected>Безнал</option>"))
            var changed = right
            changed[3] = ("amount", "100")
            let updated = try await web.post("/payments/\(id)/edit", changed)
            #expect(updated.status == .seeOther)
            #expect(try await Self.invoiceStatus(t, s.invoiceID) == "pending", "the status follows the edit")
            let entries = try await t.db.sql().raw(
                "SELECT action, changes FROM audit_entries WHERE entity_type = 'payment' ORDER BY id"
            ).all()
            #expect(entries.count == 2)

            let deleted = try await web.post("/payments/\(id)/delete", [])
            #expect(deleted.status == .seeOther)
            #expect(try await Self.paymentCount(t) == 0)
            #expect(try await Self.auditCount(t, entity: "payment") == 3)
            #expect(try await web.get("/payments/\(id)/edit").status == .notFound)
        }
    }

    // MARK: - Filters, sorting, export

    @Test func listsFilterSortAndLabelEveryStatus() async throws {
        try await TestApp.run { t in
            let s = try await Self.setup(t)
            let (_, manager) = try await t.user(.manager)
            let machine = try await t.equipment()
            var invoices = [s.invoiceID]
            for client in [s.otherClientID, s.clientID, s.clientID] {
                let orderID = try await t.completedOrder(
                    manager: manager, clientID: client, start: "2025-04-10T09:00:00+03:00",
                    end: "2025-04-10T18:00:00+03:00",
                    items: [["item_type": "equipment", "ref_id": machine, "metadata": ["shifts": 2]]])
                let issued = try await t.send(.POST, "/api/v1/orders/\(orderID)/generate_invoice/", token: manager)
                invoices.append(try #require(issued["invoice_id"]?.intValue))
            }
            let sql = try t.db.sql()
            let numbers = try await sql.select().columns("id", "number").from("invoices").all().reduce(
                into: [Int: String]()
            ) { $0[try $1.decode(column: "id", as: Int.self)] = try $1.decode(column: "number", as: String.self) }
            // [0] issued, [1] partly paid, [2] paid, [3] overdue.
            try await sql.update("invoices").set("due_date", to: SQLBind("2020-01-01")).where("id", .equal, invoices[3])
                .run()
            try await sql.update("invoices").set("issued_at", to: SQLBind(Date(timeIntervalSince1970: 1_577_880_000)))
                .where("id", .equal, invoices[0]).run()
            let (web, _, _) = try await WebClient.signedIn(t, .accountant)
            _ = try await web.get("/invoices/\(invoices[1])")
            _ = try await web.post(
                "/invoices/\(invoices[1])/payments",
                [("amount", "10"), ("paid_at", "2025-04-11"), ("method", "online")])
            _ = try await web.get("/invoices/\(invoices[2])")
            let full = try await Self.invoice(t, invoices[2])
            _ = try await web.post(
                "/invoices/\(invoices[2])/payments",
                [("amount", Self.money(full.amount)), ("paid_at", Self.today(t)), ("method", "cash")])

            let all = try await web.get("/invoices")
            for label in ["Выставлен", "Частично оплачен", "Оплачен", "Просрочен"] {
                #expect(all.contains(">" + label + "</span>"), "\(label)")
            }
            let expected: [(String, Int)] = [("issued", 0), ("partial", 1), ("paid", 2), ("overdue", 3)]
            for (state, index) in expected {
                let page = try await web.get("/invoices?status=\(state)")
                for (other, number) in invoices.enumerated() {
                    let name = try #require(numbers[number])
                    #expect(page.contains(name) == (other == index), "\(state): \(name)")
                }
            }
            let other = try await web.get("/invoices?client=\(s.otherClientID)")
            #expect(other.contains(try #require(numbers[invoices[1]])))
            #expect(!other.contains(try #require(numbers[invoices[2]])))
            let old = try await web.get("/invoices?from=2019-12-01&to=2020-01-31")
            #expect(old.contains(try #require(numbers[invoices[0]])))
            #expect(!old.contains(try #require(numbers[invoices[3]])))
            #expect(old.contains("Найдено: 1"))
            // Malformed filters are dropped, not a 500.
            #expect(try await web.get("/invoices?status=x&client=y&from=z&sort=drop").status == .ok)

            let byAmount = try await web.get("/invoices?sort=-amount")
            let bigger = try #require(numbers[invoices[3]])
            let smaller = try #require(numbers[invoices[0]])
            let first = try #require(byAmount.body.range(of: bigger)).lowerBound
            let second = try #require(byAmount.body.range(of: smaller)).lowerBound
            #expect(first < second)
            #expect(byAmount.contains("aria-sort=\"descending\""))

            let online = try await web.get("/payments?method=online")
            #expect(online.contains("Найдено: 1"))
            #expect(online.contains(">Карта<"))
            #expect(try await web.get("/payments?method=cash").contains("Найдено: 1"))
            #expect(try await web.get("/payments?client=\(s.clientID)").contains("Найдено: 1"))
            #expect(try await web.get("/payments?from=2025-04-01&to=2025-04-30").contains("Найдено: 1"))
            let sorted = try await web.get("/payments?sort=amount")
            #expect(sorted.contains("aria-sort=\"ascending\""))
            let small = try #require(sorted.body.range(of: "10,00\u{00A0}₽")).lowerBound
            let large = try #require(sorted.body.range(of: RussianFormat.money(full.amount))).lowerBound
            #expect(small < large)
        }
    }

    @Test func theFilteredListsDownloadAsCSVAndXLSX() async throws {
        try await TestApp.run { t in
            let s = try await Self.setup(t)
            let (web, _, _) = try await WebClient.signedIn(t, .accountant)
            _ = try await web.get("/invoices/\(s.invoiceID)")
            _ = try await web.post(
                "/invoices/\(s.invoiceID)/payments",
                [("amount", "1500,50"), ("paid_at", "2025-03-12"), ("method", "online"), ("comment", "терминал")])
            let csv = try await web.get("/payments?method=online&export=csv")
            #expect(csv.status == .ok)
            #expect(csv.headers.contentType?.subType == "csv")
            #expect(csv.headers.first(name: .contentDisposition)?.contains("payments.csv") == true)
            let rows = csv.body.split(whereSeparator: \.isNewline)
            #expect(rows.count == 2, "\(csv.body)")
            #expect(rows.first?.contains("Дата") == true)
            #expect(csv.body.contains("2025-03-12"))
            #expect(csv.body.contains("1500.50"))
            #expect(csv.body.contains("Карта"))
            #expect(csv.body.contains("терминал"))
            let none = try await web.get("/payments?method=cash&export=csv")
            #expect(none.body.split(whereSeparator: \.isNewline).count == 1)

            let invoices = try await web.get("/invoices?status=partial&export=csv")
            #expect(invoices.status == .ok)
            #expect(invoices.body.contains("Частично оплачен"))
            #expect(invoices.body.contains("ООО Ромашка"))
            #expect(
                try await web.get("/invoices?status=paid&export=csv").body.split(whereSeparator: \.isNewline).count == 1
            )

            for path in ["/invoices?export=xlsx", "/payments?export=xlsx"] {
                let xlsx = try await web.get(path)
                #expect(xlsx.status == .ok)
                #expect(xlsx.headers.contentType?.subType == "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
                #expect(xlsx.body.hasPrefix("PK"))
            }
        }
    }

    /// An invoice's number and amount, read straight from the table.
    static func invoice(_ t: TestApp, _ id: Int) async throws -> (number: String, amount: Int64) {
        let row = try #require(
            try await t.db.sql().select().columns("number", "amount").from("invoices").where("id", .equal, id).first())
        return (try row.decode(column: "number", as: String.self), try row.decode(column: "amount", as: Int64.self))
    }
}

import Domain
import Foundation
import SQLKit
import Testing
import Vapor
import WebUI

@testable import App

/// The client card (`/clients/{id}`) and the client list's links to it.
@Suite("Web: the client card")
struct ClientCardWebTests {
    @Test func eachRoleSeesTheCardOrA403() async throws {
        try await TestApp.run { t in
            let id = try await t.client(name: "ООО Карточка")
            for role in [Role.admin, .manager] {
                let (web, _, _) = try await WebClient.signedIn(t, role)
                let card = try await web.get("/clients/\(id)")
                #expect(card.status == .ok, "\(role)")
                #expect(card.contains("ООО Карточка"))
                #expect(card.contains("href=\"/clients/\(id)/edit\""), "\(role)")
                let list = try await web.get("/clients")
                #expect(list.contains("href=\"/clients/\(id)\""))
                #expect(list.contains("href=\"/clients/\(id)/edit\""))
            }
            let (accountant, _, _) = try await WebClient.signedIn(t, .accountant)
            let card = try await accountant.get("/clients/\(id)")
            #expect(card.status == .ok)
            #expect(card.contains("Баланс"))
            #expect(card.contains("Кредитный лимит"))
            #expect(card.contains("Акт сверки"))
            #expect(!card.contains("/edit\""))
            #expect(!card.contains("/active\""))
            #expect(!card.contains("/clients/new"))
            let list = try await accountant.get("/clients")
            #expect(list.contains("href=\"/clients/\(id)\""))
            #expect(!list.contains("/clients/\(id)/edit"))
            #expect(!list.contains("/clients/\(id)/active"))
            #expect(!list.contains("/clients/new"))
            #expect(try await accountant.get("/clients/\(id)/edit").status == .forbidden)

            let (driver, _, _) = try await WebClient.signedIn(t, .operator)
            #expect(try await driver.get("/clients/\(id)").status == .forbidden)
            #expect(try await WebClient(t).get("/clients/\(id)").status == .seeOther)
            let (admin, _, _) = try await WebClient.signedIn(t, .admin)
            #expect(try await admin.get("/clients/\(id + 1000)").status == .notFound)
            #expect(try await admin.get("/clients/abc").status == .notFound)
        }
    }

    @Test func theCardShowsTheAccountTheLedgerAndTheOrders() async throws {
        try await TestApp.run { t in
            let (_, manager) = try await t.user(.manager)
            let (_, accountant) = try await t.user(.accountant)
            let id = try await t.client(name: "ООО Леджер", phone: "+79005550011")
            try await (try t.db.sql()).update("clients")
                .set("inn", to: "7707083893").set("email", to: "buh@ledger.example").set("credit_limit", to: 1_500_000)
                .where("id", .equal, id).run()
            let service = try await t.service(name: "Услуга", price: 1_000_000)
            let items: [[String: Any]] = [["item_type": "service", "ref_id": service, "quantity": 1]]
            let first = try await t.completedOrder(
                manager: manager, clientID: id, start: "2025-03-10T09:00:00+03:00", end: "2025-03-10T18:00:00+03:00",
                items: items)
            _ = try await t.completedOrder(
                manager: manager, clientID: id, start: "2025-04-10T09:00:00+03:00", end: "2025-04-10T18:00:00+03:00",
                items: items)
            let open = try await t.createOrder(
                token: manager, ["client_id": id, "start_dt": "2025-05-01T09:00:00+03:00", "items": items])
            #expect(open.status == .created)
            let payment = try await t.send(
                .POST, "/api/v1/payments/", token: accountant,
                json: ["order": first, "amount": 4000, "status": "success", "paid_at": "2025-03-20T12:00:00+03:00"])
            #expect(payment.status == .created)

            let (web, _, _) = try await WebClient.signedIn(t, .accountant)
            let card = try await web.get("/clients/\(id)?from=2025-01-01&to=2025-12-31")
            #expect(card.status == .ok)
            // Balance 20 000 − 4 000 = 16 000; with the open order 26 000 > the 15 000 limit.
            let api = try await t.send(.GET, "/api/v1/clients/\(id)/balance/", token: accountant)
            #expect(api.string("balance") == "16000.00")
            #expect(api["over_limit"]?.boolValue == true)
            #expect(card.contains(RussianFormat.money(1_600_000)))
            #expect(card.contains(RussianFormat.money(1_500_000)))
            #expect(card.contains("Кредитный лимит превышен."))
            #expect(card.contains("7707083893"))
            #expect(card.contains("mailto:buh@ledger.example"))
            // The ledger: 10 000 billed, 4 000 paid, 10 000 billed → 10 000, 6 000, 16 000.
            let number = try #require(try await OrderStore(sql: t.db.sql()).load(first)?.number)
            let billed = try #require(card.body.range(of: "Заявка № " + number))
            let paid = try #require(card.body.range(of: "Оплата № "))
            #expect(billed.lowerBound < paid.lowerBound)
            for kopecks: Int64 in [1_000_000, 400_000, 600_000] { #expect(card.contains(RussianFormat.money(kopecks))) }
            #expect(card.contains("Сальдо на начало периода"))
            #expect(card.contains("Сальдо на конец периода"))
            // A later period opens with the balance so far.
            let later = try await web.get("/clients/\(id)?from=2025-04-01&to=2025-12-31")
            #expect(later.contains(RussianFormat.money(600_000)))
            #expect(!later.contains("Оплата № "))
            // «Акт сверки» for the same period.
            #expect(card.contains("action=\"/clients/\(id)/reconciliation\""))
            #expect(card.contains("value=\"2025-01-01\""))
            // The orders, the latest first (the open one started in May).
            let openNumber = try #require(open.string("number"))
            let openAt = try #require(card.body.range(of: "Заявка " + openNumber))
            let firstAt = try #require(card.body.range(of: "Заявка " + number + "<"))
            #expect(openAt.lowerBound < firstAt.lowerBound)
            #expect(card.contains("href=\"/orders/\(first)\""))
        }
    }

    @Test func theOrdersArePagedByTwenty() async throws {
        try await TestApp.run { t in
            let (_, manager) = try await t.user(.manager)
            let id = try await t.client(name: "ООО Много")
            let service = try await t.service(name: "Услуга", price: 100_000)
            for day in 1...21 {
                let reply = try await t.createOrder(
                    token: manager,
                    [
                        "client_id": id, "start_dt": String(format: "2025-05-%02dT09:00:00+03:00", day),
                        "items": [["item_type": "service", "ref_id": service, "quantity": 1]],
                    ])
                #expect(reply.status == .created)
            }
            let (web, _, _) = try await WebClient.signedIn(t, .manager)
            let card = try await web.get("/clients/\(id)")
            #expect(card.contains("Страница 1 из 2"))
            #expect(card.contains("orders_page=2"))
            let second = try await web.get("/clients/\(id)?orders_page=2")
            #expect(second.contains("Страница 2 из 2"))
        }
    }

    @Test func theEditPageStillSavesAndLeadsBackToTheCard() async throws {
        try await TestApp.run { t in
            let id = try await t.client(name: "ООО Правка")
            let (web, _, _) = try await WebClient.signedIn(t, .manager)
            let form = try await web.get("/clients/\(id)/edit")
            #expect(form.status == .ok)
            #expect(form.contains("href=\"/clients/\(id)\""))
            let saved = try await web.post(
                "/clients/\(id)/edit",
                [
                    ("name", "ООО Правка-2"), ("contact_person", ""), ("phone", "+79001234567"), ("email", ""),
                    ("address", ""), ("inn", ""), ("notes", ""),
                ])
            #expect(saved.status == .seeOther)
            #expect(saved.location == "/clients/\(id)")
            #expect(try await web.get("/clients/\(id)").contains("ООО Правка-2"))
        }
    }
}

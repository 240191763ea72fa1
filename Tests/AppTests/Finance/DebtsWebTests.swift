import Domain
import Foundation
import SQLKit
import Testing
import Vapor
import WebUI

@testable import App

/// «Должники» (`/debts`): the roles, the figures against the balance API, the order, the export, and a client who
/// pays off disappearing.
@Suite("Web: «Должники»")
struct DebtsWebTests {
    /// Four clients as of 30 June 2025, each order 10 000:
    /// «ООО Альфа»: 100, 45 and 10 days old, 12 000 paid → 18 000 (до 30: 10 000, 31–60: 8 000);
    /// «ИП Бета»: 149 days old, nothing paid, limit 5 000 → 10 000 over 90 days, over the limit;
    /// «ООО Гамма»: 5 days old, paid in full → no debt; «ООО Дельта»: 2 days old, nothing paid → 10 000 до 30.
    struct Ledgers {
        var manager: String
        var accountant: String
        var alpha: Int
        var beta: Int
        var gamma: Int
        var delta: Int
        var alphaOrders: [String]
    }

    static let asOf = "2025-06-30"

    static func build(_ t: TestApp) async throws -> Ledgers {
        let (_, manager) = try await t.user(.manager)
        let (_, accountant) = try await t.user(.accountant)
        let service = try await t.service(name: "Услуга", price: 1_000_000)
        let items: [[String: Any]] = [["item_type": "service", "ref_id": service, "quantity": 1]]
        func order(_ client: Int, _ day: String) async throws -> String {
            try await t.completedOrder(
                manager: manager, clientID: client, start: day + "T09:00:00+03:00", end: day + "T18:00:00+03:00",
                items: items)
        }
        func pay(_ order: String, _ amount: Int) async throws {
            let reply = try await t.send(
                .POST, "/api/v1/payments/", token: accountant,
                json: ["order": order, "amount": amount, "status": "success"])
            try #require(reply.status == .created, "payment: \(reply.body)")
        }
        let alpha = try await t.client(name: "ООО Альфа", phone: "+79000000001")
        let beta = try await t.client(name: "ИП Бета", phone: "+79000000002")
        let gamma = try await t.client(name: "ООО Гамма", phone: "+79000000003")
        let delta = try await t.client(name: "ООО Дельта", phone: "+79000000004")
        var alphaOrders: [String] = []
        for day in ["2025-03-22", "2025-05-16", "2025-06-20"] { alphaOrders.append(try await order(alpha, day)) }
        try await pay(alphaOrders[2], 12000)
        _ = try await order(beta, "2025-02-01")
        try await (try t.db.sql()).update("clients").set("credit_limit", to: 500_000).where("id", .equal, beta).run()
        try await pay(try await order(gamma, "2025-06-25"), 10000)
        _ = try await order(delta, "2025-06-28")
        return Ledgers(
            manager: manager, accountant: accountant, alpha: alpha, beta: beta, gamma: gamma, delta: delta,
            alphaOrders: alphaOrders)
    }

    @Test func eachRoleSeesThePageOrA403() async throws {
        try await TestApp.run { t in
            for role in [Role.admin, .manager, .accountant] {
                let (web, _, _) = try await WebClient.signedIn(t, role)
                let page = try await web.get("/debts")
                #expect(page.status == .ok, "\(role)")
                #expect(page.contains("<h1"))
                #expect(page.contains("Должники"))
                #expect(page.contains("Должников нет."))
            }
            let (driver, _, _) = try await WebClient.signedIn(t, .operator)
            #expect(try await driver.get("/debts").status == .forbidden)
            #expect(try await driver.get("/debts?export=csv").status == .forbidden)
            let anonymous = try await WebClient(t).get("/debts")
            #expect(anonymous.status == .seeOther)
        }
    }

    @Test func theFiguresAreTheBalanceAPIsAndTheLargestOverdueComesFirst() async throws {
        try await TestApp.run { t in
            let data = try await Self.build(t)
            let (web, _, _) = try await WebClient.signedIn(t, .accountant)
            let page = try await web.get("/debts?as_of=\(Self.asOf)")
            #expect(page.status == .ok)
            // Бета (10 000 overdue) before Альфа (8 000) before Дельта (0); Гамма owes nothing.
            let beta = try #require(page.body.range(of: "ИП Бета"))
            let alpha = try #require(page.body.range(of: "ООО Альфа"))
            let delta = try #require(page.body.range(of: "ООО Дельта"))
            #expect(beta.lowerBound < alpha.lowerBound && alpha.lowerBound < delta.lowerBound)
            #expect(!page.contains("ООО Гамма"))
            #expect(page.contains("href=\"/clients/\(data.alpha)\""))
            #expect(page.contains("Лимит превышен"))
            // Totals: 38 000 in all, 20 000 до 30, 8 000 31–60, 10 000 over 90; 18 000 overdue.
            for kopecks: Int64 in [3_800_000, 1_800_000, 2_000_000, 800_000, 1_000_000] {
                #expect(page.contains(RussianFormat.money(kopecks)))
            }
            #expect(page.contains("Заявка № " + (try #require(await Self.number(t, data.alphaOrders[1])))))

            let csv = try await web.get("/debts?as_of=\(Self.asOf)&export=csv")
            #expect(csv.status == .ok)
            #expect(csv.headers.first(name: .contentType)?.hasPrefix("text/csv") == true)
            let rows = CSVReader.rows(String(csv.body.drop { $0 == "\u{FEFF}" }), separator: ",")
            #expect(rows.first?.first == "Клиент")
            #expect(rows.dropFirst().map { $0.first ?? "" } == ["ИП Бета", "ООО Альфа", "ООО Дельта"])
            for (id, row) in zip([data.beta, data.alpha, data.delta], rows.dropFirst()) {
                let api = try await t.send(
                    .GET, "/api/v1/clients/\(id)/balance/?as_of=\(Self.asOf)", token: data.accountant)
                #expect(api.status == .ok)
                #expect(row[2] == api.string("debt"))
                #expect(row[3] == api["ageing"]?["0_30"]?.stringValue)
                #expect(row[4] == api["ageing"]?["31_60"]?.stringValue)
                #expect(row[5] == api["ageing"]?["61_90"]?.stringValue)
                #expect(row[6] == api["ageing"]?["90_plus"]?.stringValue)
                #expect(row[12] == (api["over_limit"]?.boolValue == true ? "да" : "нет"))
            }
            #expect(rows.dropFirst().first?[7] == "10000.00")
            #expect(rows.dropFirst().first?[11] == "5000.00")
            let xlsx = try await web.get("/debts?export=xlsx")
            #expect(xlsx.status == .ok)
            #expect(xlsx.headers.first(name: .contentDisposition)?.contains("debts.xlsx") == true)
            #expect(try await web.get("/debts?export=pdf").status == .badRequest)
            #expect(try await web.get("/debts?as_of=June").status == .badRequest)
        }
    }

    @Test func theServiceGivesEachClientsStatement() async throws {
        try await TestApp.run { t in
            let data = try await Self.build(t)
            let (accountant, _) = try await t.user(.accountant)
            let service = ClientBalanceService(context: try t.services(as: accountant))
            let asOf = try #require(ISOTime.startOfDay(Self.asOf, in: t.app.config.timeZone)).addingTimeInterval(86_399)
            let debtors = try await service.debtors(asOf: asOf)
            #expect(debtors.map(\.clientID) == [data.beta, data.alpha, data.delta])
            let oldest = try await service.oldestUnpaid(of: debtors.map(\.clientID))
            #expect(try await service.oldestUnpaid(of: nil).mapValues(\.orderID) == oldest.mapValues(\.orderID))
            #expect(try await service.oldestUnpaid(of: [data.gamma]).isEmpty)
            for debtor in debtors {
                let statement = try await service.statement(of: debtor.clientID, asOf: asOf)
                #expect(debtor.debt == statement.balance.debt)
                #expect(debtor.billed == statement.balance.billed)
                #expect(debtor.paid == statement.balance.paid)
                #expect(debtor.ageing == statement.balance.ageing)
                #expect(debtor.isOverLimit == statement.isOverLimit)
                #expect(debtor.exposure == statement.exposure)
                let firstOpen = try #require(statement.balance.openOrders.first)
                #expect(oldest[debtor.clientID]?.orderID == firstOpen.orderID.uuidString.lowercased())
                #expect(oldest[debtor.clientID]?.unpaid == firstOpen.outstanding)
                #expect(debtor.lastPaymentAt != nil || debtor.paid.isZero)
            }
            // A later day ages the same debt.
            let later = try await service.debtors(asOf: asOf.addingTimeInterval(63 * 86_400))
            let alpha = try #require(later.first { $0.clientID == data.alpha })
            let alphaLater = try await service.statement(of: data.alpha, asOf: asOf.addingTimeInterval(63 * 86_400))
            #expect(alpha.ageing == alphaLater.balance.ageing)
            #expect(alpha.ageing.upTo30Days.isZero)
        }
    }

    @Test func aClientWhoPaysOffLeavesTheList() async throws {
        try await TestApp.run { t in
            let data = try await Self.build(t)
            let (web, _, _) = try await WebClient.signedIn(t, .manager)
            #expect(try await web.get("/debts").contains("ООО Альфа"))
            let payment = try await t.send(
                .POST, "/api/v1/payments/", token: data.accountant,
                json: ["order": data.alphaOrders[0], "amount": 18000, "status": "success"])
            #expect(payment.status == .created)
            let page = try await web.get("/debts")
            #expect(!page.contains("ООО Альфа"))
            #expect(page.contains("ИП Бета"))
            let balance = try await t.send(.GET, "/api/v1/clients/\(data.alpha)/balance/", token: data.accountant)
            #expect(balance.string("debt") == "0.00")
        }
    }

    @Test func searchSortAndPaging() async throws {
        try await TestApp.run { t in
            _ = try await Self.build(t)
            let (web, _, _) = try await WebClient.signedIn(t, .admin)
            let found = try await web.get("/debts?q=%D0%B0%D0%BB%D1%8C%D1%84")  // «альф»
            #expect(found.contains("ООО Альфа"))
            #expect(!found.contains("ИП Бета"))
            let byName = try await web.get("/debts?sort=name")
            let alpha = try #require(byName.body.range(of: "ООО Альфа"))
            let beta = try #require(byName.body.range(of: "ИП Бета"))
            #expect(beta.lowerBound < alpha.lowerBound)  // «И» before «О»
            #expect(byName.contains("aria-sort=\"ascending\""))
            #expect(byName.contains("href=\"/debts?sort=-name\""))
            // An unknown sort key falls back to the default order; a page past the end shows the last one.
            #expect(try await web.get("/debts?sort=password").status == .ok)
            #expect(try await web.get("/debts?page=99").contains("ООО Дельта"))
        }
    }

    static func number(_ t: TestApp, _ orderID: String) async throws -> String? {
        try await OrderStore(sql: t.db.sql()).load(orderID)?.number
    }
}

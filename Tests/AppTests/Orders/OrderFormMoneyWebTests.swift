import Domain
import Foundation
import SQLKit
import Testing
import Vapor
import WebUI

@testable import App

@Suite("Web: the order form's prepayment status and late-penalty switch, through OrderDraft")
struct OrderFormMoneyWebTests {
    struct Stored: Decodable {
        var prepayment_amount: Int64
        var prepayment_status: String
        var total_amount: Int64
        var meta: String
    }

    static func stored(_ t: TestApp, _ id: String) async throws -> Stored {
        try #require(
            try await t.db.sql().select().columns("prepayment_amount", "prepayment_status", "total_amount", "meta")
                .from("orders").where("id", .equal, id).first(decoding: Stored.self))
    }

    static func fields(
        _ s: WebOrdersTests.Seed, prepayment: String, status: String, late: Bool
    ) -> [(String, String)] {
        var fields = WebOrdersTests.orderFields(s, approve: false).filter { $0.0 != "prepayment" }
        fields += [("prepayment", prepayment), ("prepayment_status", status)]
        if late { fields.append(("is_delayed", "true")) }
        return fields
    }

    @Test func createAndEditRoundTripTheMoneyFields() async throws {
        try await TestApp.run { t in
            let s = try await WebOrdersTests.seed(t)
            let (web, _, _) = try await WebClient.signedIn(t, .manager)
            let form = try await web.get("/orders/new")
            #expect(form.contains("name=\"prepayment_status\""))
            #expect(form.contains("<option value=\"paid\">Оплачена</option>"))
            #expect(form.contains("name=\"is_delayed\""))
            let created = try await web.post(
                "/orders/new", Self.fields(s, prepayment: "5 000", status: "paid", late: true))
            let id = try WebOrdersTests.createdID(created)
            var order = try await Self.stored(t, id)
            #expect(order.prepayment_amount == 500_000)
            #expect(order.prepayment_status == "paid")
            #expect(JSONValue.parse(order.meta)?.objectValue?["is_delayed"] == .bool(true))
            // 8 h × 2 500 + 5 000 = 25 000, less the 10 % late penalty.
            #expect(order.total_amount == 2_250_000)
            let api = try await t.send(.GET, "/api/v1/orders/\(id)/", token: try await t.user(.admin).token)
            #expect(api.string("prepayment_status") == "paid")
            #expect(api["meta"]?["is_delayed"] == .bool(true))
            let page = try await web.get("/orders/\(id)")
            #expect(page.contains("Оплачена"))
            #expect(page.contains("Скидка за просрочку"))
            #expect(page.contains("−" + RussianFormat.money(250_000)))

            // The form's price preview (app.js) counts the switch as saving does.
            let preview = try await web.post(
                "/api/v1/orders/preview/", Self.fields(s, prepayment: "5 000", status: "paid", late: true), json: true)
            #expect(preview.status == .ok)
            #expect(preview.json["summary"]?["late_penalty"]?.stringValue == "2500.00")
            #expect(preview.json["summary"]?["total"]?.stringValue == "22500.00")
            let onTime = try await web.post(
                "/api/v1/orders/preview/", Self.fields(s, prepayment: "", status: "paid", late: false), json: true)
            #expect(onTime.json["summary"]?["late_penalty"]?.stringValue == "0.00")

            let edit = try await web.get("/orders/\(id)/edit")
            #expect(edit.contains("<option value=\"paid\" selected>Оплачена</option>"))
            let box = HTMLTags.input(named: "is_delayed", in: edit.body)
            #expect(box.contains("checked"))

            // Other meta keys survive the form's switch.
            try await t.db.sql().update("orders")
                .set("meta", to: JSONValue.object(["is_delayed": .bool(true), "source": .string("phone")]).jsonText)
                .where("id", .equal, id).run()
            let saved = try await web.post(
                "/orders/\(id)/edit", Self.fields(s, prepayment: "1 000,50", status: "refunded", late: false))
            #expect(saved.status == .seeOther, "\(saved.body.prefix(400))")
            order = try await Self.stored(t, id)
            #expect(order.prepayment_amount == 100_050)
            #expect(order.prepayment_status == "refunded")
            let meta = JSONValue.parse(order.meta)?.objectValue ?? [:]
            #expect(meta["is_delayed"] == nil)
            #expect(meta["source"] == .string("phone"))
            #expect(order.total_amount == 2_500_000)
            let reopened = try await web.get("/orders/\(id)/edit")
            #expect(!HTMLTags.input(named: "is_delayed", in: reopened.body).contains("checked"))
            #expect(reopened.contains("<option value=\"refunded\" selected>Возвращена</option>"))
        }
    }

    @Test func badValuesComeBackNextToTheirFields() async throws {
        try await TestApp.run { t in
            let s = try await WebOrdersTests.seed(t)
            let (web, _, _) = try await WebClient.signedIn(t, .admin)
            try await web.get("/orders/new")
            let page = try await web.post(
                "/orders/new", Self.fields(s, prepayment: "abc", status: "stolen", late: true))
            #expect(page.status == .unprocessableEntity)
            #expect(page.contains("Выберите статус предоплаты из списка."))
            #expect(page.contains("Введите сумму в рублях"))
            // What was typed is kept.
            #expect(HTMLTags.input(named: "is_delayed", in: page.body).contains("checked"))
            #expect(page.contains("value=\"abc\""))
            let count = try await t.db.sql().select().column("id").from("orders").all().count
            #expect(count == 0)
        }
    }

    @Test func operatorsAndAccountantsCannotSetThem() async throws {
        try await TestApp.run { t in
            let s = try await WebOrdersTests.seed(t)
            let (manager, _, _) = try await WebClient.signedIn(t, .manager)
            try await manager.get("/orders/new")
            let id = try WebOrdersTests.createdID(
                try await manager.post("/orders/new", Self.fields(s, prepayment: "100", status: "pending", late: false))
            )
            for role in [Role.accountant, .operator] {
                let (web, _, _) = try await WebClient.signedIn(t, role)
                try await web.get("/orders")
                let newForm = try await web.get("/orders/new")
                #expect(newForm.status == .forbidden, "\(role)")
                let editForm = try await web.get("/orders/\(id)/edit")
                #expect(editForm.status == .forbidden, "\(role)")
                let create = try await web.post(
                    "/orders/new", Self.fields(s, prepayment: "9 999", status: "paid", late: true))
                #expect(create.status == .forbidden, "\(role)")
                let edit = try await web.post(
                    "/orders/\(id)/edit", Self.fields(s, prepayment: "9 999", status: "paid", late: true))
                #expect(edit.status == .forbidden, "\(role)")
            }
            let order = try await Self.stored(t, id)
            #expect(order.prepayment_amount == 10_000)
            #expect(order.prepayment_status == "pending")
            #expect(JSONValue.parse(order.meta)?.objectValue?["is_delayed"] == nil)
            let count = try await t.db.sql().select().column("id").from("orders").all().count
            #expect(count == 1)
        }
    }
}

/// Finds a tag in a page.
enum HTMLTags {
    /// The `<input …>` tag with this `name`, "" when there is none.
    static func input(named name: String, in html: String) -> String {
        var rest = Substring(html)
        while let start = rest.range(of: "<input") {
            let tail = rest[start.lowerBound...]
            guard let end = tail.firstIndex(of: ">") else { break }
            let tag = String(tail[...end])
            if tag.contains("name=\"\(name)\"") { return tag }
            rest = tail[tail.index(after: end)...]
        }
        return ""
    }
}

import Domain
import Foundation
import SQLKit
import Testing
import Vapor

@testable import App

@Suite("Web: the completion form adds catalogue materials that are not on the order")
struct WebCompletionMaterialsTests {
    /// An order with the excavator (8 h) and the delivery, in progress, and the operator's client.
    static func orderInProgress(_ t: TestApp) async throws -> (WebOrdersTests.Seed, String, WebClient) {
        let s = try await WebOrdersTests.seed(t)
        let (manager, _, _) = try await WebClient.signedIn(t, .manager)
        try await manager.get("/orders/new")
        let id = try WebOrdersTests.createdID(try await manager.post("/orders/new", WebOrdersTests.orderFields(s)))
        try await manager.get("/orders/\(id)")
        #expect(
            try await manager.post("/orders/\(id)/status", [("status", "IN_PROGRESS"), ("comment", "")]).status
                == .seeOther)
        let ivan = WebClient(t)
        try await ivan.login(s.ivan.phone)
        return (s, id, ivan)
    }

    static func lineID(_ t: TestApp, order: String, type: String) async throws -> Int {
        try #require(
            try await t.db.sql().select().column("id").from("order_items")
                .where("order_id", .equal, order).where("item_type", .equal, type).first()?
                .decode(column: "id", as: Int.self))
    }

    static func fields(_ t: TestApp, order: String, extra: [(String, String)]) async throws -> [(String, String)] {
        let equipment = try await lineID(t, order: order, type: "equipment")
        let service = try await lineID(t, order: order, type: "service")
        return [
            ("end", "2030-03-10T17:00"), ("comment", "Площадка отсыпана"),
            ("equipment[0][line_id]", String(equipment)), ("equipment[0][shifts]", ""), ("equipment[0][hours]", "8"),
            ("equipment[0][fuel]", ""), ("equipment[0][repair]", ""),
            ("materials[0][line_id]", String(service)), ("materials[0][quantity]", "1"),
        ] + extra
    }

    @Test func operatorAddsSandPricedFromTheCatalogue() async throws {
        try await TestApp.run { t in
            let (s, id, ivan) = try await Self.orderInProgress(t)
            // setup: the form offers the catalogue materials that are not on the order
            let form = try await ivan.get("/orders/\(id)/complete")
            #expect(form.status == .ok)
            #expect(form.contains("<legend>Добавить материал</legend>"))
            #expect(form.contains("<option value=\"\(s.sand)\">Песок (м³, 900,00\u{00A0}₽)</option>"))
            #expect(form.body.utf8.count < 60 * 1024)
            // MUT: sand 2,5 m³ with a price the client made up, plus the untouched blank row (as app.js sends it)
            let reply = try await ivan.post(
                "/orders/\(id)/complete",
                try await Self.fields(
                    t, order: id,
                    extra: [
                        ("new_materials[0][ref_id]", String(s.sand)), ("new_materials[0][quantity]", "2,5"),
                        ("new_materials[0][unit_price]", "1"),
                        ("new_materials[1][ref_id]", ""), ("new_materials[1][quantity]", ""),
                    ]), json: true, idempotencyKey: UUID().uuidString)
            // validate
            #expect(reply.status == .ok, "\(reply.body)")
            #expect(try await t.logCount(order: id, to: .completed) == 1)
            let sand = try #require(
                try await t.db.sql().select().columns("unit_price", "quantity", "line_total").from("order_items")
                    .where("order_id", .equal, id).where("item_type", .equal, "material").first())
            #expect(try sand.decode(column: "unit_price", as: Int64.self) == 90_000)
            #expect(try sand.decode(column: "line_total", as: Int64.self) == 225_000)
            let (_, token) = try await t.user(.manager)
            let api = try await t.send(.GET, "/api/v1/orders/\(id)/", token: token)
            #expect(api.string("status") == "COMPLETED")
            // 8 h × 2 500 + delivery 5 000 + 2,5 m³ × 900
            #expect(api.string("total_amount") == "27250.00")
        }
    }

    @Test func wrongRowsAreShownNextToTheirFieldsAndNothingIsCompleted() async throws {
        try await TestApp.run { t in
            let (s, id, ivan) = try await Self.orderInProgress(t)
            try await ivan.get("/orders/\(id)/complete")
            // The plain form (no JS): the page comes back with 422 and the messages under the fields.
            let page = try await ivan.post(
                "/orders/\(id)/complete",
                try await Self.fields(
                    t, order: id,
                    extra: [
                        ("new_materials[0][ref_id]", String(s.sand)), ("new_materials[0][quantity]", ""),
                        ("new_materials[1][ref_id]", "99999"), ("new_materials[1][quantity]", "1"),
                        ("new_materials[2][ref_id]", ""), ("new_materials[2][quantity]", "3"),
                    ]))
            #expect(page.status == .unprocessableEntity)
            #expect(
                page.contains(
                    "id=\"f-new-materials-0-quantity-error\" class=\"field__error\">Укажите количество материала.</p>"))
            #expect(
                page.contains(
                    "id=\"f-new-materials-1-ref-id-error\" class=\"field__error\">"
                        + "Такого материала нет в каталоге: выберите из списка.</p>"
                ))
            #expect(
                page.contains(
                    "id=\"f-new-materials-2-ref-id-error\" class=\"field__error\">Выберите материал из списка.</p>"))
            #expect(page.contains("<option value=\"\(s.sand)\" selected>Песок"), "the posted choice is kept")
            #expect(try await t.logCount(order: id, to: .completed) == 0)
            // The queued form (JSON): the same messages keyed by field, for app.js to place.
            let queued = try await ivan.post(
                "/orders/\(id)/complete",
                try await Self.fields(
                    t, order: id,
                    extra: [
                        ("new_materials[0][ref_id]", String(s.sand)), ("new_materials[0][quantity]", "0"),
                        ("new_materials[1][ref_id]", String(s.sand)), ("new_materials[1][quantity]", "1"),
                    ]), json: true, idempotencyKey: UUID().uuidString)
            #expect(queued.status == .unprocessableEntity)
            #expect(
                queued.json["errors"]?["new_materials[0][quantity]"]?.stringValue
                    == "Количество должно быть больше нуля.")
            #expect(queued.json["errors"]?["new_materials[1][ref_id]"]?.stringValue == "Этот материал уже добавлен.")
            #expect(try await t.logCount(order: id, to: .completed) == 0)
        }
    }

    @Test func aMaterialAlreadyOnTheOrderIsChangedAboveNotAddedTwice() async throws {
        try await TestApp.run { t in
            let (s, id, ivan) = try await Self.orderInProgress(t)
            try await ivan.get("/orders/\(id)/complete")
            let twice = try await ivan.post(
                "/orders/\(id)/complete",
                try await Self.fields(
                    t, order: id,
                    extra: [
                        ("new_materials[0][ref_id]", String(s.sand)), ("new_materials[0][quantity]", "1"),
                        ("new_materials[1][ref_id]", String(s.sand)), ("new_materials[1][quantity]", "2"),
                    ]), json: true, idempotencyKey: UUID().uuidString)
            #expect(twice.status == .unprocessableEntity)
            #expect(twice.json["errors"]?["new_materials[1][ref_id]"]?.stringValue == "Этот материал уже добавлен.")
            // Complete with sand once; a later order with sand on it no longer offers sand.
            let done = try await ivan.post(
                "/orders/\(id)/complete",
                try await Self.fields(
                    t, order: id,
                    extra: [
                        ("new_materials[0][ref_id]", String(s.sand)), ("new_materials[0][quantity]", "1"),
                    ]), json: true, idempotencyKey: UUID().uuidString)
            #expect(done.status == .ok)
            let (manager, _, managerToken) = try await WebClient.signedIn(t, .manager)
            let created = try await t.send(
                .POST, "/api/v1/orders/", token: managerToken,
                json: [
                    "client_id": s.client, "address": "ул. Полевая 7", "start_dt": "2030-04-01T08:00:00+03:00",
                    "operator_ids": [s.ivan.id ?? 0],
                    "items": [["item_type": "material", "ref_id": s.sand, "quantity": 1]],
                ])
            let second = try #require(created.string("id"))
            for status in ["APPROVED", "IN_PROGRESS"] {
                #expect(
                    try await t.send(
                        .PATCH, "/api/v1/orders/\(second)/status/", token: managerToken, json: ["status": status]
                    ).status == .ok)
            }
            let form = try await ivan.get("/orders/\(second)/complete")
            #expect(!form.contains("<option value=\"\(s.sand)\">Песок"))
            let again = try await ivan.post(
                "/orders/\(second)/complete",
                [
                    ("end", "2030-04-01T17:00"), ("new_materials[0][ref_id]", String(s.sand)),
                    ("new_materials[0][quantity]", "1"),
                ], json: true, idempotencyKey: UUID().uuidString)
            #expect(again.status == .unprocessableEntity)
            #expect(
                again.json["errors"]?["new_materials[0][ref_id]"]?.stringValue
                    == "Этот материал уже есть в заявке: укажите его количество выше.")
            _ = manager
        }
    }
}

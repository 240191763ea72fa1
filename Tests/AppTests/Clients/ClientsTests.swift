import Domain
import Foundation
import Testing
import Vapor

@testable import App

@Suite("Clients: CRUD, validation, listing, delete-or-deactivate, audit")
struct ClientsTests {
    static let keys: Set<String> = [
        "id", "name", "contact_person", "phone", "email", "address", "city", "geo_lat", "geo_lng", "billing_details",
        "inn", "kpp", "notes", "is_active", "credit_limit", "created_at", "updated_at",
    ]

    @Test func crudNormalisesThePhoneAndWritesDecimalsAsStrings() async throws {
        try await TestApp.run { t in
            let (_, manager) = try await t.user(.manager)
            let (_, accountant) = try await t.user(.accountant)
            let minimal = try await t.send(
                .POST, "/api/v1/clients/", token: manager, json: ["name": "Пётр Иванов", "phone": "8 (918) 123-45-67"])
            #expect(minimal.status == .created, "\(minimal.body)")
            #expect(Set(minimal.object.keys) == Self.keys)
            #expect(minimal.string("phone") == "+79181234567")
            #expect(minimal["geo_lat"] == .null)
            #expect(minimal["credit_limit"] == .null)
            #expect(minimal["billing_details"] == .object([:]))
            #expect(minimal["is_active"] == .bool(true))

            let full = try await t.send(
                .POST, "/api/v1/clients/", token: manager,
                json: [
                    "name": "ООО «Ромашка»", "contact_person": "Анна", "phone": "+7 861 255-34-12",
                    "email": "buh@romashka.ru",
                    "address": "ст. Елизаветинская, ул. Садовая, 5", "city": "Краснодар", "geo_lat": "45.0465",
                    "geo_lng": "38.795",
                    "billing_details": ["bank": "Кубанский банк", "bik": "040349602"], "inn": "2312058747",
                    "kpp": "231201001",
                    "notes": "Оплата по счёту", "credit_limit": "150000",
                ])
            #expect(full.status == .created, "\(full.body)")
            #expect(full.string("geo_lat") == "45.046500")
            #expect(full.string("geo_lng") == "38.795000")
            #expect(full.string("credit_limit") == "150000.00")
            #expect(full["billing_details"]?["bik"] == .string("040349602"))
            #expect(full.string("created_at")?.hasSuffix("+03:00") == true)
            let id = try #require(full.id)

            let shown = try await t.send(.GET, "/api/v1/clients/\(id)/", token: accountant)
            #expect(shown.status == .ok)
            #expect(shown.json == full.json)
            let raw = try await t.send(
                .PATCH, "/api/v1/clients/\(id)/", token: manager,
                json: #"{"geo_lat": -12.5, "credit_limit": null, "inn": "", "kpp": ""}"#)
            #expect(raw.status == .ok, "\(raw.body)")
            #expect(raw.string("geo_lat") == "-12.500000")
            #expect(raw["credit_limit"] == .null)
            #expect(raw.string("inn") == "")
            let incompletePut = try await t.send(
                .PUT, "/api/v1/clients/\(id)/", token: manager, json: ["name": "ООО «Ромашка»"])
            expectFieldError(incompletePut, "phone")
            let put = try await t.send(
                .PUT, "/api/v1/clients/\(id)/", token: manager,
                json: ["name": "ООО «Ромашка+»", "phone": "9181112233"])
            #expect(put.string("phone") == "+79181112233")
            #expect(put.string("city") == "Краснодар")

            #expect(try await t.send(.DELETE, "/api/v1/clients/\(id)/", token: manager).status == .noContent)
            #expect(try await t.send(.GET, "/api/v1/clients/\(id)/", token: manager).status == .notFound)

            let audit = try await t.auditEntries("client")
            #expect(audit.map(\.action) == ["create", "create", "update", "update", "delete"])
            #expect(audit[1].changes["phone"]?["to"] == .string("+78612553412"))
            #expect(audit[2].changes["credit_limit"] == .object(["from": .string("150000.00"), "to": .null]))
            #expect(
                audit[2].changes["geo_lat"] == .object(["from": .string("45.046500"), "to": .string("-12.500000")]))
            #expect(audit[3].changes.objectValue.map { Set($0.keys) } == ["name", "phone"])
        }
    }

    @Test func badInputIsA400NamingTheField() async throws {
        try await TestApp.run { t in
            let (_, admin) = try await t.user(.admin)
            let valid: [String: Any] = ["name": "ООО «Ромашка»", "phone": "+79001234567"]
            let empty = try await t.send(.POST, "/api/v1/clients/", token: admin, json: [String: Any]())
            expectFieldError(empty, "name", "empty body")
            expectFieldError(empty, "phone", "empty body")
            let cases: [(String, Any, String)] = [
                ("name", "  ", "blank name"),
                ("phone", "123", "short phone"),
                ("phone", "телефон", "not a phone"),
                ("phone", "", "blank phone"),
                ("phone", NSNull(), "null phone"),
                ("email", "nope", "bad email"),
                ("email", "a@b", "no domain dot"),
                ("inn", "123", "short INN"),
                ("inn", "12345678901", "11-digit INN"),
                ("inn", "23120587AB", "letters in INN"),
                ("kpp", "12345", "short KPP"),
                ("kpp", "23120100A", "letters in KPP"),
                ("geo_lat", "91", "latitude out of range"),
                ("geo_lng", "-180.5", "longitude out of range"),
                ("geo_lat", "45.1234567", "seven decimals"),
                ("geo_lat", "север", "non-numeric"),
                ("credit_limit", "-1", "negative credit limit"),
                ("credit_limit", "abc", "non-numeric credit limit"),
                ("credit_limit", "10.001", "three decimals"),
                ("billing_details", "БИК 040349602", "not an object"),
                ("is_active", "наверное", "not a boolean"),
                ("city", String(repeating: "К", count: 121), "too long"),
            ]
            for (field, value, label) in cases {
                var body = valid
                body[field] = value
                expectFieldError(try await t.send(.POST, "/api/v1/clients/", token: admin, json: body), field, label)
            }
            let innReply = try await t.send(
                .POST, "/api/v1/clients/", token: admin, json: valid.merging(["inn": "1"]) { $1 })
            #expect(innReply.fieldErrors("inn") == ["ИНН должен состоять из 10 или 12 цифр."])
            let phoneReply = try await t.send(
                .POST, "/api/v1/clients/", token: admin, json: valid.merging(["phone": "1"]) { $1 })
            #expect(phoneReply.fieldErrors("phone") == [FieldMessage.phone])
            #expect(try await t.count("clients") == 0)
            #expect(
                try await t.send(
                    .POST, "/api/v1/clients/", token: admin,
                    json: valid.merging(["inn": "233012345610", "kpp": ""]) { $1 }
                ).status == .created)
        }
    }

    @Test func listFiltersSearchesOrdersAndPages() async throws {
        try await TestApp.run { t in
            let (_, manager) = try await t.user(.manager)
            let rows: [[String: Any]] = [
                ["name": "Вектор", "phone": "+79181110001", "city": "Краснодар", "contact_person": "Олег Смирнов"],
                ["name": "Агроснаб", "phone": "+79181110002", "city": "Динская", "email": "info@agrosnab.ru"],
                ["name": "Гранит", "phone": "+79181110003", "city": "Краснодар", "is_active": false],
                ["name": "Берёзка", "phone": "+79185550004", "city": "Краснодар"],
            ]
            for row in rows {
                #expect(try await t.send(.POST, "/api/v1/clients/", token: manager, json: row).status == .created)
            }
            func names(_ query: String) async throws -> [String] {
                let reply = try await t.send(.GET, "/api/v1/clients/\(query)", token: manager)
                #expect(reply.status == .ok, "\(query): \(reply.body)")
                return reply.results.compactMap { $0["name"]?.stringValue }
            }
            #expect(try await names("") == ["Агроснаб", "Берёзка", "Вектор", "Гранит"])
            #expect(try await names("?is_active=false") == ["Гранит"])
            #expect(try await names("?is_active=true&city=Краснодар") == ["Берёзка", "Вектор"])
            #expect(try await names("?city=Динская") == ["Агроснаб"])
            #expect(try await names("?search=смирнов") == ["Вектор"])
            #expect(try await names("?search=AGROSNAB") == ["Агроснаб"])
            #expect(try await names("?search=5550004") == ["Берёзка"])
            #expect(try await names("?search=гран") == ["Гранит"])
            #expect(try await names("?ordering=-name") == ["Гранит", "Вектор", "Берёзка", "Агроснаб"])
            let page = try await t.send(.GET, "/api/v1/clients/?page_size=3", token: manager)
            #expect(page["count"]?.intValue == 4)
            #expect(page.results.count == 3)
            #expect(page.string("next")?.contains("page=2") == true)
            #expect(page.string("next")?.contains("page_size=3") == true)
            expectFieldError(try await t.send(.GET, "/api/v1/clients/?is_active=да", token: manager), "is_active")
        }
    }

    @Test func deletingAClientWithOrdersDeactivatesIt() async throws {
        try await TestApp.run { t in
            let (_, admin) = try await t.user(.admin)
            let withOrders = try #require(
                try await t.send(
                    .POST, "/api/v1/clients/", token: admin, json: ["name": "Старый клиент", "phone": "+79181234567"]
                ).id)
            let fresh = try #require(
                try await t.send(
                    .POST, "/api/v1/clients/", token: admin, json: ["name": "Новый клиент", "phone": "+79181234568"]
                ).id)
            try await t.insertOrder(clientID: withOrders)
            #expect(try await t.send(.DELETE, "/api/v1/clients/\(withOrders)/", token: admin).status == .noContent)
            let kept = try await t.send(.GET, "/api/v1/clients/\(withOrders)/", token: admin)
            #expect(kept.status == .ok)
            #expect(kept["is_active"] == .bool(false))
            #expect(try await t.send(.DELETE, "/api/v1/clients/\(fresh)/", token: admin).status == .noContent)
            #expect(try await t.send(.GET, "/api/v1/clients/\(fresh)/", token: admin).status == .notFound)
            let audit = try await t.auditEntries("client").filter { $0.action != "create" }
            #expect(audit.map(\.action) == ["update", "delete"])
            #expect(audit[0].changes["is_active"] == .object(["from": .bool(true), "to": .bool(false)]))
            #expect(audit[0].changes["reason"] == .string("deleted with history"))
            #expect(audit[1].changes["name"]?["from"] == .string("Новый клиент"))
        }
    }
}

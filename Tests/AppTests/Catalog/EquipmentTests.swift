import Domain
import Foundation
import Testing
import Vapor

@testable import App

@Suite("Catalog: equipment CRUD, validation, listing, delete-or-deactivate, audit")
struct EquipmentTests {
    static let keys: Set<String> = [
        "id", "code", "name", "description", "hourly_rate", "daily_rate", "fuel_consumption", "status", "photos",
        "last_maintenance_date", "attributes", "created_at", "updated_at",
    ]

    @Test func crudKeepsTheOriginalShapeWithDecimalStrings() async throws {
        try await TestApp.run { t in
            let (_, manager) = try await t.user(.manager)
            let created = try await t.send(
                .POST, "/api/v1/equipment/", token: manager,
                json: [
                    "code": "EXC-MST-644S", "name": "Экскаватор-погрузчик MST 644 S", "hourly_rate": "2450",
                    "daily_rate": 30000, "fuel_consumption": "12.5", "photos": ["https://cdn.example.ru/1.jpg"],
                    "attributes": ["вес": "8 т"], "last_maintenance_date": "2025-11-01",
                ])
            #expect(created.status == .created, "\(created.body)")
            #expect(Set(created.object.keys) == Self.keys)
            #expect(created.string("hourly_rate") == "2450.00")
            #expect(created.string("daily_rate") == "30000.00")
            #expect(created.string("fuel_consumption") == "12.50")
            #expect(created.string("status") == "available")
            #expect(created.string("description") == "")
            #expect(created["photos"] == .array([.string("https://cdn.example.ru/1.jpg")]))
            #expect(created["attributes"]?["вес"] == .string("8 т"))
            #expect(created.string("last_maintenance_date") == "2025-11-01")
            #expect(created.string("created_at")?.hasSuffix("+03:00") == true)
            let id = try #require(created.id)

            let shown = try await t.send(.GET, "/api/v1/equipment/\(id)/", token: manager)
            #expect(shown.status == .ok)
            #expect(shown.json == created.json)

            let patched = try await t.send(
                .PATCH, "/api/v1/equipment/\(id)/", token: manager,
                json: [
                    "daily_rate": NSNull(), "status": "maintenance", "last_maintenance_date": NSNull(),
                ])
            #expect(patched.status == .ok)
            #expect(patched["daily_rate"] == .null)
            #expect(patched["last_maintenance_date"] == .null)
            #expect(patched.string("status") == "maintenance")
            #expect(patched.string("hourly_rate") == "2450.00")

            let incompletePut = try await t.send(
                .PUT, "/api/v1/equipment/\(id)/", token: manager, json: ["name": "Без кода"])
            expectFieldError(incompletePut, "code")
            expectFieldError(incompletePut, "hourly_rate")
            let put = try await t.send(
                .PUT, "/api/v1/equipment/\(id)/", token: manager,
                json: [
                    "code": "EXC-MST-644S", "name": "MST 644", "hourly_rate": "2500.5",
                ])
            #expect(put.status == .ok, "\(put.body)")
            #expect(put.string("hourly_rate") == "2500.50")
            #expect(put.string("status") == "maintenance")

            let raw = try await t.send(
                .PATCH, "/api/v1/equipment/\(id)/", token: manager,
                json: #"{"hourly_rate": 2450.5, "fuel_consumption": 7}"#)
            #expect(raw.string("hourly_rate") == "2450.50")
            #expect(raw.string("fuel_consumption") == "7.00")

            #expect(try await t.send(.DELETE, "/api/v1/equipment/\(id)/", token: manager).status == .noContent)
            #expect(try await t.send(.GET, "/api/v1/equipment/\(id)/", token: manager).status == .notFound)
            #expect(try await t.send(.GET, "/api/v1/equipment/abc/", token: manager).status == .notFound)
            #expect(
                try await t.send(.PATCH, "/api/v1/equipment/999/", token: manager, json: ["name": "x"]).status
                    == .notFound)

            let audit = try await t.auditEntries("equipment")
            #expect(audit.map(\.action) == ["create", "update", "update", "update", "delete"])
            #expect(audit.allSatisfy { $0.entityID == String(id) })
            #expect(audit[0].changes["hourly_rate"]?["to"] == .string("2450.00"))
            #expect(audit[1].changes["daily_rate"] == .object(["from": .string("30000.00"), "to": .null]))
            #expect(audit[1].changes["status"]?["to"] == .string("maintenance"))
            #expect(audit[1].changes["name"] == nil)
            #expect(audit[4].changes["code"]?["from"] == .string("EXC-MST-644S"))
        }
    }

    @Test func badInputIsA400NamingTheField() async throws {
        try await TestApp.run { t in
            let (_, admin) = try await t.user(.admin)
            let valid: [String: Any] = ["code": "AAA", "name": "Экскаватор", "hourly_rate": "100"]
            #expect(try await t.send(.POST, "/api/v1/equipment/", token: admin, json: valid).status == .created)

            let empty = try await t.send(.POST, "/api/v1/equipment/", token: admin, json: [String: Any]())
            for field in ["code", "name", "hourly_rate"] { expectFieldError(empty, field, "empty body") }
            #expect(empty.fieldErrors("name") == [FieldMessage.required])

            let cases: [(String, Any, String)] = [
                ("code", "   ", "blank code"),
                ("code", "AAA", "duplicate code"),
                ("code", String(repeating: "X", count: 51), "long code"),
                ("name", "", "blank name"),
                ("name", ["x"], "name as a list"),
                ("hourly_rate", "-5", "negative rate"),
                ("hourly_rate", "abc", "non-numeric rate"),
                ("hourly_rate", "10.555", "three decimals"),
                ("hourly_rate", "123456789", "too many digits"),
                ("hourly_rate", NSNull(), "null rate"),
                ("hourly_rate", ["a": 1], "rate as an object"),
                ("daily_rate", "-1", "negative daily rate"),
                ("daily_rate", "1e5", "exponent"),
                ("fuel_consumption", "12.345", "three decimals"),
                ("fuel_consumption", "10000", "too big for decimal(6,2)"),
                ("status", "broken", "unknown status"),
                ("photos", "https://x.ru/1.jpg", "photos not a list"),
                ("photos", [1, 2], "photos not strings"),
                ("attributes", ["a"], "attributes not an object"),
                ("attributes", NSNull(), "attributes null"),
                ("last_maintenance_date", "01.11.2025", "not ISO date"),
            ]
            for (field, value, label) in cases {
                var body = valid
                body["code"] = "NEW-\(Int.random(in: 0..<1_000_000))"
                body[field] = value
                let reply = try await t.send(.POST, "/api/v1/equipment/", token: admin, json: body)
                expectFieldError(reply, field, label)
            }
            let duplicate = try await t.send(.POST, "/api/v1/equipment/", token: admin, json: valid)
            #expect(duplicate.fieldErrors("code") == ["Техника с таким кодом уже существует."])

            let other = try await t.send(
                .POST, "/api/v1/equipment/", token: admin, json: ["code": "BBB", "name": "Б", "hourly_rate": 1])
            let otherID = try #require(other.id)
            expectFieldError(
                try await t.send(.PATCH, "/api/v1/equipment/\(otherID)/", token: admin, json: ["code": "AAA"]), "code",
                "rename onto a taken code")
            #expect(
                try await t.send(.PATCH, "/api/v1/equipment/\(otherID)/", token: admin, json: ["code": "BBB"]).status
                    == .ok)

            let malformed = try await t.send(.POST, "/api/v1/equipment/", token: admin, json: "{not json")
            #expect(malformed.status == .badRequest)
            #expect(malformed.string("detail") != nil)
            #expect(try await t.count("equipment") == 2)
        }
    }

    @Test func listFiltersSearchesOrdersAndPages() async throws {
        try await TestApp.run { t in
            let (_, admin) = try await t.user(.admin)
            let (_, operatorToken) = try await t.user(.operator)
            let rows: [[String: Any]] = [
                ["code": "CCC", "name": "Самосвал", "hourly_rate": "900", "status": "busy"],
                ["code": "AAA", "name": "Экскаватор", "hourly_rate": "2450", "description": "Гусеничный ход"],
                ["code": "EEE", "name": "Манипулятор", "hourly_rate": "1500", "status": "maintenance"],
                ["code": "BBB", "name": "Мини-экскаватор", "hourly_rate": "2000"],
                ["code": "DDD", "name": "Эвакуатор", "hourly_rate": "3000"],
            ]
            for row in rows {
                #expect(try await t.send(.POST, "/api/v1/equipment/", token: admin, json: row).status == .created)
            }
            func codes(_ query: String) async throws -> [String] {
                let reply = try await t.send(.GET, "/api/v1/equipment/\(query)", token: operatorToken)
                #expect(reply.status == .ok, "\(query): \(reply.body)")
                return reply.results.compactMap { $0["code"]?.stringValue }
            }
            #expect(try await codes("") == ["AAA", "BBB", "CCC", "DDD", "EEE"])
            #expect(try await codes("?status=maintenance") == ["EEE"])
            #expect(try await codes("?search=ЭКСКАВАТОР") == ["AAA", "BBB"])
            #expect(try await codes("?search=\(q("мини экск"))") == ["BBB"])
            #expect(try await codes("?search=гусеничный") == ["AAA"])
            #expect(try await codes("?search=ddd") == ["DDD"])
            #expect(try await codes("?ordering=-hourly_rate") == ["DDD", "AAA", "BBB", "EEE", "CCC"])
            #expect(try await codes("?ordering=status,code") == ["AAA", "BBB", "DDD", "CCC", "EEE"])
            #expect(try await codes("?ordering=bogus") == ["AAA", "BBB", "CCC", "DDD", "EEE"])

            let page = try await t.send(.GET, "/api/v1/equipment/?page_size=2&page=2", token: operatorToken)
            #expect(page["count"]?.intValue == 5)
            #expect(page.results.compactMap { $0["code"]?.stringValue } == ["CCC", "DDD"])
            #expect(page.string("next")?.contains("page=3") == true)
            #expect(page.string("previous") != nil)
            #expect(try await t.send(.GET, "/api/v1/equipment/?page_size=500", token: operatorToken).results.count == 5)
            #expect(
                try await t.send(.GET, "/api/v1/equipment/?page=4&page_size=2", token: operatorToken).status
                    == .notFound)
            let badStatus = try await t.send(.GET, "/api/v1/equipment/?status=lost", token: operatorToken)
            expectFieldError(badStatus, "status")
            expectFieldError(
                try await t.send(.GET, "/api/v1/equipment/?page_size=x", token: operatorToken), "page_size")
        }
    }

    @Test func deletingReferencedEquipmentDeactivatesIt() async throws {
        try await TestApp.run { t in
            let (_, admin) = try await t.user(.admin)
            func create(_ code: String) async throws -> Int {
                let reply = try await t.send(
                    .POST, "/api/v1/equipment/", token: admin,
                    json: ["code": code, "name": "Машина \(code)", "hourly_rate": "100"])
                return try #require(reply.id)
            }
            let used = try await create("USED")
            let viaAttachment = try await create("VIA-ATT")
            let free = try await create("FREE")
            let usedAttachment = try #require(
                try await t.send(
                    .POST, "/api/v1/attachments/", token: admin,
                    json: ["equipment": viaAttachment, "name": "Гидромолот"]
                ).id)
            let freeAttachment = try #require(
                try await t.send(
                    .POST, "/api/v1/attachments/", token: admin,
                    json: ["equipment": free, "name": "Ковш"]
                ).id)
            try await t.insertOrder(lines: [("equipment", used), ("attachment", usedAttachment)])

            #expect(try await t.send(.DELETE, "/api/v1/equipment/\(used)/", token: admin).status == .noContent)
            let kept = try await t.send(.GET, "/api/v1/equipment/\(used)/", token: admin)
            #expect(kept.status == .ok)
            #expect(kept.string("status") == "inactive")

            #expect(try await t.send(.DELETE, "/api/v1/equipment/\(viaAttachment)/", token: admin).status == .noContent)
            #expect(
                try await t.send(.GET, "/api/v1/equipment/\(viaAttachment)/", token: admin).string("status")
                    == "inactive")
            #expect(try await t.send(.GET, "/api/v1/attachments/\(usedAttachment)/", token: admin).status == .ok)

            #expect(try await t.send(.DELETE, "/api/v1/equipment/\(free)/", token: admin).status == .noContent)
            #expect(try await t.send(.GET, "/api/v1/equipment/\(free)/", token: admin).status == .notFound)
            #expect(try await t.send(.GET, "/api/v1/attachments/\(freeAttachment)/", token: admin).status == .notFound)

            let audit = try await t.auditEntries("equipment").filter { $0.action != "create" }
            #expect(audit.map(\.action) == ["update", "update", "delete"])
            #expect(audit[0].changes["status"] == .object(["from": .string("available"), "to": .string("inactive")]))
            #expect(audit[0].changes["reason"] == .string("deleted with history"))
            #expect(audit[2].changes["attachments_deleted"] == .array([.number(Decimal(freeAttachment))]))
        }
    }

    @Test func renamingAMachineKeepsItsAttachmentsSearchable() async throws {
        try await TestApp.run { t in
            let (_, manager) = try await t.user(.manager)
            let machine = try #require(
                try await t.send(
                    .POST, "/api/v1/equipment/", token: manager,
                    json: ["code": "OLD-CODE", "name": "Старое имя", "hourly_rate": "1"]
                ).id)
            #expect(
                try await t.send(
                    .POST, "/api/v1/attachments/", token: manager, json: ["equipment": machine, "name": "Бур"]
                ).status == .created)
            #expect(
                try await t.send(.GET, "/api/v1/attachments/?search=old-code", token: manager)["count"]?.intValue == 1)
            _ = try await t.send(
                .PATCH, "/api/v1/equipment/\(machine)/", token: manager,
                json: ["code": "NEW-CODE", "name": "Новое имя"])
            #expect(
                try await t.send(.GET, "/api/v1/attachments/?search=old-code", token: manager)["count"]?.intValue == 0)
            #expect(
                try await t.send(.GET, "/api/v1/attachments/?search=\(q("new-code бур"))", token: manager)["count"]?
                    .intValue == 1)
            #expect(try await t.send(.GET, "/api/v1/attachments/?search=новое", token: manager)["count"]?.intValue == 1)
        }
    }
}

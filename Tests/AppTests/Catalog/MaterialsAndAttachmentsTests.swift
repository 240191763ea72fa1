import Domain
import Foundation
import Testing
import Vapor

@testable import App

@Suite("Catalog: materials and attachments")
struct MaterialsAndAttachmentsTests {
    @Test func inactiveMaterialIsListedReadableAndReactivatable() async throws {
        try await TestApp.run { t in
            let (_, manager) = try await t.user(.manager)
            let (_, operatorToken) = try await t.user(.operator)
            let created = try await t.send(
                .POST, "/api/v1/materials/", token: manager, json: ["name": "Песок", "price": "800"])
            #expect(created.status == .created, "\(created.body)")
            #expect(
                Set(created.object.keys) == [
                    "id", "name", "category", "unit", "price", "density", "supplier", "is_active", "created_at",
                    "updated_at",
                ])
            #expect(created.string("category") == "soil")
            #expect(created.string("unit") == "m3")
            #expect(created.string("price") == "800.00")
            #expect(created["density"] == .null)
            let id = try #require(created.id)

            let off = try await t.send(.PATCH, "/api/v1/materials/\(id)/", token: manager, json: ["is_active": false])
            #expect(off["is_active"] == .bool(false))
            let read = try await t.send(.GET, "/api/v1/materials/\(id)/", token: operatorToken)
            #expect(read.status == .ok)
            #expect(read["is_active"] == .bool(false))
            #expect(try await t.send(.GET, "/api/v1/materials/", token: manager)["count"]?.intValue == 1)
            #expect(try await t.send(.GET, "/api/v1/materials/?is_active=true", token: manager)["count"]?.intValue == 0)
            #expect(
                try await t.send(.GET, "/api/v1/materials/?is_active=false", token: manager)["count"]?.intValue == 1)
            let on = try await t.send(
                .PATCH, "/api/v1/materials/\(id)/", token: manager, json: ["is_active": true, "density": "1.6"])
            #expect(on.status == .ok)
            #expect(on["is_active"] == .bool(true))
            #expect(on.string("density") == "1.60")
            #expect(try await t.send(.GET, "/api/v1/materials/?is_active=true", token: manager)["count"]?.intValue == 1)

            let audit = try await t.auditEntries("material")
            #expect(audit.map(\.action) == ["create", "update", "update"])
            #expect(audit[2].changes["is_active"] == .object(["from": .bool(false), "to": .bool(true)]))
            #expect(audit[2].changes["density"] == .object(["from": .null, "to": .string("1.60")]))
        }
    }

    @Test func materialListValidationAndDelete() async throws {
        try await TestApp.run { t in
            let (_, admin) = try await t.user(.admin)
            for (name, category, price, supplier) in [
                ("Щебень", "soil", "1500", "Карьер Южный"), ("Бур", "tool", "2000", ""),
                ("Гравий", "soil", "1100", "Карьер Южный"),
                ("Отвал", "attachment", "1200", ""),
            ] {
                let reply = try await t.send(
                    .POST, "/api/v1/materials/", token: admin,
                    json: [
                        "name": name, "category": category, "price": price, "supplier": supplier,
                        "unit": category == "soil" ? "m3" : "hour",
                    ])
                #expect(reply.status == .created, "\(reply.body)")
            }
            func names(_ query: String) async throws -> [String] {
                let reply = try await t.send(.GET, "/api/v1/materials/\(query)", token: admin)
                #expect(reply.status == .ok, "\(query): \(reply.body)")
                return reply.results.compactMap { $0["name"]?.stringValue }
            }
            #expect(try await names("") == ["Бур", "Гравий", "Отвал", "Щебень"])
            #expect(try await names("?category=soil") == ["Гравий", "Щебень"])
            #expect(try await names("?search=южный") == ["Гравий", "Щебень"])
            #expect(try await names("?ordering=price") == ["Гравий", "Отвал", "Щебень", "Бур"])
            #expect(try await names("?ordering=-name&page_size=2") == ["Щебень", "Отвал"])
            expectFieldError(try await t.send(.GET, "/api/v1/materials/?category=wood", token: admin), "category")

            let cases: [([String: Any], String, String)] = [
                (["price": "100"], "name", "missing name"),
                (["name": "Песок"], "price", "missing price"),
                (["name": "Песок", "price": NSNull()], "price", "null price"),
                (["name": "Песок", "price": "1.234"], "price", "three decimals"),
                (["name": "Песок", "price": "-800"], "price", "negative price"),
                (["name": "Песок", "price": "восемьсот"], "price", "non-numeric"),
                (["name": "Песок", "price": "800", "density": "-1"], "density", "negative density"),
                (["name": "Песок", "price": "800", "category": "wood"], "category", "unknown category"),
            ]
            for (body, field, label) in cases {
                expectFieldError(try await t.send(.POST, "/api/v1/materials/", token: admin, json: body), field, label)
            }

            let ids = try await t.send(.GET, "/api/v1/materials/", token: admin).results.compactMap {
                $0["id"]?.intValue
            }
            try await t.insertOrder(lines: [("material", ids[0])])
            #expect(try await t.send(.DELETE, "/api/v1/materials/\(ids[0])/", token: admin).status == .noContent)
            #expect(try await t.send(.GET, "/api/v1/materials/\(ids[0])/", token: admin)["is_active"] == .bool(false))
            #expect(try await t.send(.DELETE, "/api/v1/materials/\(ids[1])/", token: admin).status == .noContent)
            #expect(try await t.send(.GET, "/api/v1/materials/\(ids[1])/", token: admin).status == .notFound)
            #expect(try await t.auditEntries("material").suffix(2).map(\.action) == ["update", "delete"])
        }
    }

    @Test func pageSizeIsHonouredUpTo200() async throws {
        try await TestApp.run { t in
            let (_, operatorToken) = try await t.user(.operator)
            for index in 0..<205 {
                try await MaterialItem(
                    name: String(format: "Материал %03d", index), category: .soil, unit: "m3", price: 100
                )
                .save(on: t.db)
            }
            let big = try await t.send(.GET, "/api/v1/materials/?page_size=500", token: operatorToken)
            #expect(big["count"]?.intValue == 205)
            #expect(big.results.count == 200)
            #expect(big.string("next")?.contains("page=2") == true)
            let rest = try await t.send(.GET, "/api/v1/materials/?page_size=500&page=2", token: operatorToken)
            #expect(
                rest.results.compactMap { $0["name"]?.stringValue }
                    == (200..<205).map { String(format: "Материал %03d", $0) })
            #expect(try await t.send(.GET, "/api/v1/materials/", token: operatorToken).results.count == 50)
            #expect(
                try await t.send(.GET, "/api/v1/materials/?page_size=100", token: operatorToken).results.count == 100)
        }
    }

    @Test func attachmentsCrudListAndValidation() async throws {
        try await TestApp.run { t in
            let (_, manager) = try await t.user(.manager)
            let excavator = try #require(
                try await t.send(
                    .POST, "/api/v1/equipment/", token: manager,
                    json: ["code": "BBB", "name": "Экскаватор", "hourly_rate": "2450"]
                ).id)
            let loader = try #require(
                try await t.send(
                    .POST, "/api/v1/equipment/", token: manager,
                    json: ["code": "AAA", "name": "Погрузчик", "hourly_rate": "2000"]
                ).id)

            let created = try await t.send(
                .POST, "/api/v1/attachments/", token: manager,
                json: ["equipment": excavator, "name": "Гидромолот", "metadata": ["вес": 300]])
            #expect(created.status == .created, "\(created.body)")
            #expect(
                Set(created.object.keys) == [
                    "id", "equipment", "equipment_name", "equipment_code", "name", "price", "status", "metadata",
                    "created_at",
                    "updated_at",
                ])
            #expect(created["equipment"]?.intValue == excavator)
            #expect(created.string("equipment_name") == "Экскаватор")
            #expect(created.string("equipment_code") == "BBB")
            #expect(created.string("price") == "0.00")
            #expect(created.string("status") == "available")
            let id = try #require(created.id)
            _ = try await t.send(
                .POST, "/api/v1/attachments/", token: manager,
                json: ["equipment": loader, "name": "Вилы", "price": "1800", "status": "busy"])

            let moved = try await t.send(
                .PATCH, "/api/v1/attachments/\(id)/", token: manager, json: ["equipment": loader, "price": "3000.5"])
            #expect(moved.string("equipment_code") == "AAA")
            #expect(moved.string("price") == "3000.50")
            let put = try await t.send(
                .PUT, "/api/v1/attachments/\(id)/", token: manager, json: ["equipment": excavator, "name": "Молот"])
            #expect(put.status == .ok)
            #expect(put.string("equipment_code") == "BBB")
            #expect(put.string("price") == "3000.50")

            func names(_ query: String) async throws -> [String] {
                let reply = try await t.send(.GET, "/api/v1/attachments/\(query)", token: manager)
                #expect(reply.status == .ok, "\(query): \(reply.body)")
                return reply.results.compactMap { $0["name"]?.stringValue }
            }
            #expect(try await names("") == ["Молот", "Вилы"])
            #expect(try await names("?ordering=equipment__code") == ["Вилы", "Молот"])
            #expect(try await names("?ordering=-equipment__code") == ["Молот", "Вилы"])
            #expect(try await names("?ordering=name") == ["Вилы", "Молот"])
            #expect(try await names("?equipment=\(loader)") == ["Вилы"])
            #expect(try await names("?status=busy") == ["Вилы"])
            #expect(try await names("?search=погрузчик") == ["Вилы"])
            #expect(try await names("?search=bbb") == ["Молот"])
            expectFieldError(try await t.send(.GET, "/api/v1/attachments/?equipment=x", token: manager), "equipment")

            let cases: [([String: Any], String, String)] = [
                (["name": "Бур"], "equipment", "missing equipment"),
                (["equipment": 999, "name": "Бур"], "equipment", "unknown equipment"),
                (["equipment": NSNull(), "name": "Бур"], "equipment", "null equipment"),
                (["equipment": excavator], "name", "missing name"),
                (["equipment": excavator, "name": "Бур", "price": "-1"], "price", "negative price"),
                (["equipment": excavator, "name": "Бур", "price": NSNull()], "price", "null price"),
                (["equipment": excavator, "name": "Бур", "status": "lost"], "status", "unknown status"),
                (["equipment": excavator, "name": "Бур", "metadata": [1]], "metadata", "metadata not an object"),
            ]
            for (body, field, label) in cases {
                expectFieldError(
                    try await t.send(.POST, "/api/v1/attachments/", token: manager, json: body), field, label)
            }

            try await t.insertOrder(lines: [("attachment", id)])
            #expect(try await t.send(.DELETE, "/api/v1/attachments/\(id)/", token: manager).status == .noContent)
            #expect(try await t.send(.GET, "/api/v1/attachments/\(id)/", token: manager).string("status") == "inactive")
            let audit = try await t.auditEntries("attachment")
            #expect(audit.map(\.action) == ["create", "create", "update", "update", "update"])
            #expect(
                audit[2].changes["equipment"]
                    == .object(["from": .number(Decimal(excavator)), "to": .number(Decimal(loader))]))
            #expect(audit[4].changes["status"]?["to"] == .string("inactive"))
        }
    }
}

import Domain
import Foundation
import Testing
import Vapor

@testable import App

@Suite("Catalog: services and service categories")
struct ServicesTests {
    static let keys: Set<String> = [
        "id", "name", "unit", "price", "default_duration", "included_items", "is_active", "category", "created_at",
        "updated_at",
    ]

    @Test func serviceWithoutCategoryGoesToTheFallbackCategoryCreatedOnce() async throws {
        try await TestApp.run { t in
            let (_, manager) = try await t.user(.manager)
            let first = try await t.send(.POST, "/api/v1/services/", token: manager, json: ["name": "Покос травы"])
            #expect(first.status == .created, "\(first.body)")
            #expect(Set(first.object.keys) == Self.keys)
            #expect(first.string("unit") == "hour")
            #expect(first["price"] == .null)
            #expect(first["default_duration"] == .null)
            #expect(first["included_items"] == .array([]))
            #expect(first["is_active"] == .bool(true))
            #expect(first["category"]?["name"] == .string("Прочее"))
            #expect(
                Set(first["category"]?.objectValue.map { Array($0.keys) } ?? []) == [
                    "id", "name", "description", "sort_order", "created_at", "updated_at",
                ])
            let second = try await t.send(
                .POST, "/api/v1/services/", token: manager, json: ["name": "Уборка", "category_id": NSNull()])
            #expect(second["category"]?["id"] == first["category"]?["id"])
            #expect(try await t.count("service_categories") == 1)
            let categoryAudit = try await t.auditEntries("service_category")
            #expect(categoryAudit.map(\.action) == ["create"])
        }
    }

    @Test func crudWithCategoryPriceAndAudit() async throws {
        try await TestApp.run { t in
            let (_, admin) = try await t.user(.admin)
            let digging = try await t.send(
                .POST, "/api/v1/service-categories/", token: admin,
                json: ["name": "Копка", "description": "Земляные работы", "sort_order": 20])
            #expect(digging.status == .created, "\(digging.body)")
            #expect(digging["sort_order"]?.intValue == 20)
            let diggingID = try #require(digging.id)
            let delivery = try #require(
                try await t.send(.POST, "/api/v1/service-categories/", token: admin, json: ["name": "Доставка"]).id)

            let created = try await t.send(
                .POST, "/api/v1/services/", token: admin,
                json: [
                    "name": "Копка траншей", "category_id": diggingID, "price": "5000", "default_duration": "2.5",
                    "unit": "m3", "included_items": ["вывоз грунта"],
                ])
            #expect(created.status == .created, "\(created.body)")
            #expect(created.string("price") == "5000.00")
            #expect(created.string("default_duration") == "2.50")
            #expect(created.string("unit") == "m3")
            #expect(created["category"]?["name"] == .string("Копка"))
            #expect(created["category"]?["description"] == .string("Земляные работы"))
            let id = try #require(created.id)

            let renamed = try await t.send(
                .PATCH, "/api/v1/services/\(id)/", token: admin, json: ["name": "Копка траншей вручную"])
            #expect(renamed["category"]?["id"]?.intValue == diggingID)
            let moved = try await t.send(
                .PATCH, "/api/v1/services/\(id)/", token: admin,
                json: ["category_id": delivery, "price": NSNull(), "is_active": false])
            #expect(moved.status == .ok)
            #expect(moved["category"]?["name"] == .string("Доставка"))
            #expect(moved["price"] == .null)
            #expect(moved["is_active"] == .bool(false))
            #expect(
                try await t.send(.GET, "/api/v1/services/\(id)/", token: admin)["category"]?["id"]?.intValue == delivery
            )
            let put = try await t.send(
                .PUT, "/api/v1/services/\(id)/", token: admin, json: ["name": "Копка", "price": 100])
            #expect(put.status == .ok)
            #expect(put["category"]?["id"]?.intValue == delivery)
            #expect(put.string("price") == "100.00")
            expectFieldError(
                try await t.send(.PUT, "/api/v1/services/\(id)/", token: admin, json: ["price": 100]), "name")

            #expect(try await t.send(.DELETE, "/api/v1/services/\(id)/", token: admin).status == .noContent)
            #expect(try await t.send(.GET, "/api/v1/services/\(id)/", token: admin).status == .notFound)

            let audit = try await t.auditEntries("service")
            #expect(audit.map(\.action) == ["create", "update", "update", "update", "delete"])
            #expect(
                audit[2].changes["category_id"]
                    == .object(["from": .number(Decimal(diggingID)), "to": .number(Decimal(delivery))]))
            #expect(audit[2].changes["price"] == .object(["from": .string("5000.00"), "to": .null]))
            #expect(try await t.auditEntries("service_category").count == 2)
        }
    }

    @Test func badServiceInputIsA400NamingTheField() async throws {
        try await TestApp.run { t in
            let (_, manager) = try await t.user(.manager)
            let cases: [([String: Any], String, String)] = [
                ([:], "name", "missing name"),
                (["name": " "], "name", "blank name"),
                (["name": "Копка", "category_id": 999], "category_id", "unknown category"),
                (["name": "Копка", "category_id": "abc"], "category_id", "category not a number"),
                (["name": "Копка", "price": "-1"], "price", "negative price"),
                (["name": "Копка", "price": "сто"], "price", "non-numeric price"),
                (["name": "Копка", "price": "1.001"], "price", "three decimals"),
                (["name": "Копка", "default_duration": "-2"], "default_duration", "negative duration"),
                (["name": "Копка", "unit": ""], "unit", "blank unit"),
                (["name": "Копка", "included_items": "вывоз"], "included_items", "not a list"),
                (["name": "Копка", "is_active": "может быть"], "is_active", "not a boolean"),
            ]
            for (body, field, label) in cases {
                expectFieldError(try await t.send(.POST, "/api/v1/services/", token: manager, json: body), field, label)
            }
            let unknown = try await t.send(
                .POST, "/api/v1/services/", token: manager, json: ["name": "Копка", "category_id": 999])
            #expect(unknown.fieldErrors("category_id") == [FieldMessage.missingObject("999")])
            #expect(try await t.count("services") == 0)
            #expect(try await t.count("service_categories") == 0)
        }
    }

    @Test func listFiltersBySearchCategoryAndActivity() async throws {
        try await TestApp.run { t in
            let (_, admin) = try await t.user(.admin)
            let (_, accountant) = try await t.user(.accountant)
            let digging = try #require(
                try await t.send(
                    .POST, "/api/v1/service-categories/", token: admin, json: ["name": "Копка", "sort_order": 2]
                ).id)
            let snow = try #require(
                try await t.send(
                    .POST, "/api/v1/service-categories/", token: admin, json: ["name": "Уборка", "sort_order": 1]
                ).id)
            for (name, category, price, active) in [
                ("Бурение", digging, "3000", true), ("Котлован", digging, "9000", true),
                ("Траншея", digging, "5000", false),
                ("Вывоз снега", snow, "4000", true),
            ] {
                let reply = try await t.send(
                    .POST, "/api/v1/services/", token: admin,
                    json: ["name": name, "category_id": category, "price": price, "is_active": active])
                #expect(reply.status == .created)
            }
            func names(_ query: String) async throws -> [String] {
                let reply = try await t.send(.GET, "/api/v1/services/\(query)", token: accountant)
                #expect(reply.status == .ok, "\(query): \(reply.body)")
                return reply.results.compactMap { $0["name"]?.stringValue }
            }
            #expect(try await names("") == ["Бурение", "Вывоз снега", "Котлован", "Траншея"])
            #expect(try await names("?category=\(digging)") == ["Бурение", "Котлован", "Траншея"])
            #expect(try await names("?is_active=false") == ["Траншея"])
            #expect(try await names("?is_active=true&category=\(digging)") == ["Бурение", "Котлован"])
            #expect(try await names("?search=копка") == ["Бурение", "Котлован", "Траншея"])
            #expect(try await names("?search=снег") == ["Вывоз снега"])
            #expect(try await names("?ordering=-price") == ["Котлован", "Траншея", "Вывоз снега", "Бурение"])
            #expect(try await names("?page_size=1&page=2") == ["Вывоз снега"])
            expectFieldError(try await t.send(.GET, "/api/v1/services/?category=abc", token: accountant), "category")
            expectFieldError(
                try await t.send(.GET, "/api/v1/services/?is_active=maybe", token: accountant), "is_active")

            let categories = try await t.send(.GET, "/api/v1/service-categories/", token: accountant)
            #expect(categories.results.compactMap { $0["name"]?.stringValue } == ["Уборка", "Копка"])
            #expect(
                try await t.send(.GET, "/api/v1/service-categories/?ordering=name", token: accountant)
                    .results.compactMap { $0["name"]?.stringValue } == ["Копка", "Уборка"])
        }
    }

    @Test func categoryCreationValidatesAndAudits() async throws {
        try await TestApp.run { t in
            let (_, manager) = try await t.user(.manager)
            #expect(
                try await t.send(.POST, "/api/v1/service-categories/", token: manager, json: ["name": "Бурение"]).status
                    == .created)
            let duplicate = try await t.send(
                .POST, "/api/v1/service-categories/", token: manager, json: ["name": "Бурение"])
            #expect(duplicate.fieldErrors("name") == ["Категория с таким названием уже существует."])
            expectFieldError(
                try await t.send(.POST, "/api/v1/service-categories/", token: manager, json: [String: Any]()), "name")
            expectFieldError(
                try await t.send(
                    .POST, "/api/v1/service-categories/", token: manager,
                    json: ["name": "Вывоз", "sort_order": -1]), "sort_order")
            expectFieldError(
                try await t.send(
                    .POST, "/api/v1/service-categories/", token: manager,
                    json: ["name": "Вывоз", "sort_order": "первый"]), "sort_order")
            let audit = try await t.auditEntries("service_category")
            #expect(audit.count == 1)
            #expect(audit.first?.changes["name"]?["to"] == .string("Бурение"))
        }
    }

    @Test func deletingAServiceUsedByAnOrderDeactivatesIt() async throws {
        try await TestApp.run { t in
            let (_, admin) = try await t.user(.admin)
            let used = try #require(
                try await t.send(.POST, "/api/v1/services/", token: admin, json: ["name": "Копка"]).id)
            try await t.insertOrder(lines: [("service", used)])
            #expect(try await t.send(.DELETE, "/api/v1/services/\(used)/", token: admin).status == .noContent)
            let kept = try await t.send(.GET, "/api/v1/services/\(used)/", token: admin)
            #expect(kept["is_active"] == .bool(false))
            let audit = try await t.auditEntries("service").last
            #expect(audit?.action == "update")
            #expect(audit?.changes["is_active"] == .object(["from": .bool(true), "to": .bool(false)]))
        }
    }
}

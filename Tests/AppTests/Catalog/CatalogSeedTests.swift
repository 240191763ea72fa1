import Domain
import Foundation
import Testing
import Vapor

@testable import App

@Suite("Catalog and clients: demo seed")
struct CatalogSeedTests {
    @Test func seedLoadsTheOriginalCatalogAndIsIdempotent() async throws {
        try await TestApp.run { t in
            #expect(DemoSeed.extraSeeders.count == 3)
            try await t.user(.admin)
            for _ in 0..<2 {
                _ = try await DemoSeed.run(app: t.app, demoPasswords: false)
                #expect(try await t.count("equipment") == 12)
                #expect(try await t.count("service_categories") == 11)
                #expect(try await t.count("services") == 19)
                #expect(try await t.count("materials") == 16)
                #expect(try await t.count("clients") == 3)
                #expect(try await t.count("orders") == 4)
                #expect(try await t.count("orders", where: "status", equals: "COMPLETED") == 1)
                #expect(try await t.count("expenses") == 1)
            }
            let (_, operatorToken) = try await t.user(.operator)
            let machines = try await t.send(.GET, "/api/v1/equipment/?search=EXC-MST-644S", token: operatorToken)
            let machine = try #require(machines.results.first)
            #expect(machine["name"] == .string("Экскаватор-погрузчик MST 644 S"))
            #expect(machine["hourly_rate"] == .string("2450.00"))
            #expect(machine["daily_rate"] == .string("30000.00"))
            #expect(machine["status"] == .string("available"))

            let tools = try await t.send(.GET, "/api/v1/materials/?category=tool&ordering=-price", token: operatorToken)
            #expect(tools["count"]?.intValue == 8)
            #expect(tools.results.first?["name"] == .string("Мульчер"))
            #expect(tools.results.first?["unit"] == .string("hour"))
            #expect(tools.results.first?["price"] == .string("3500.00"))

            let digging = try await t.send(.GET, "/api/v1/services/?search=копка", token: operatorToken)
            #expect(digging["count"]?.intValue == 3)
            #expect(digging.results.allSatisfy { $0["price"] == .null && $0["unit"] == .string("hour") })

            let categories = try await t.send(.GET, "/api/v1/service-categories/", token: operatorToken)
            #expect(categories.results.first?["name"] == .string("Благоустройство"))
            #expect(categories.results.last?["name"] == .string("Уборка"))

            let (_, manager) = try await t.user(.manager)
            let clients = try await t.send(.GET, "/api/v1/clients/?search=елизаветинский", token: manager)
            #expect(clients.results.first?["geo_lat"] == .string("45.046500"))
            #expect(clients.results.first?["phone"] == .string("+79184561278"))
        }
    }

    @Test func reseedingRestoresSeededRatesWithoutDuplicates() async throws {
        try await TestApp.run { t in
            _ = try await seedCatalog(app: t.app)
            let (_, admin) = try await t.user(.admin)
            let machine = try #require(
                try await t.send(.GET, "/api/v1/equipment/?search=TOW-ISUZU", token: admin).results.first)
            let id = try #require(machine["id"]?.intValue)
            _ = try await t.send(
                .PATCH, "/api/v1/equipment/\(id)/", token: admin, json: ["hourly_rate": "1", "status": "busy"])
            let lines = try await seedCatalog(app: t.app)
            #expect(lines.first == "техника: 12 (новых 0)")
            let restored = try await t.send(.GET, "/api/v1/equipment/\(id)/", token: admin)
            #expect(restored.string("hourly_rate") == "2450.00")
            #expect(restored.string("daily_rate") == "3000.00")
            #expect(restored.string("status") == "available")
            #expect(try await t.count("equipment") == 12)
        }
    }
}

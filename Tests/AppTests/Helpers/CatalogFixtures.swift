import Domain
import Foundation
import SQLKit

@testable import App

/// Catalog and client rows inserted with plain SQL, so order tests do not depend on the catalog API.
extension TestApp {
    @discardableResult
    func equipment(
        code: String = "EXC-\(Int.random(in: 1000...999_999))", name: String = "Экскаватор-погрузчик MST 644 S",
        hourlyRate: Int64 = 245_000, dailyRate: Int64? = 3_000_000
    ) async throws -> Int {
        let sql = try db.sql()
        try await sql.insert(into: "equipment")
            .columns("code", "name", "hourly_rate", "daily_rate", "status", "search_text", "created_at", "updated_at")
            .values(
                SQLBind(code), SQLBind(name), SQLBind(hourlyRate), SQLBind(dailyRate), SQLBind("available"),
                SQLBind(name.lowercased()), SQLBind(Date()), SQLBind(Date())
            )
            .run()
        return try await lastID("equipment", sql: sql)
    }

    @discardableResult
    func material(name: String = "Песок", price: Int64 = 80_000, category: String = "soil") async throws -> Int {
        let sql = try db.sql()
        try await sql.insert(into: "materials")
            .columns("name", "category", "unit", "price", "is_active", "search_text", "created_at", "updated_at")
            .values(
                SQLBind(name), SQLBind(category), SQLBind("m3"), SQLBind(price), SQLBind(true),
                SQLBind(name.lowercased()), SQLBind(Date()), SQLBind(Date())
            )
            .run()
        return try await lastID("materials", sql: sql)
    }

    @discardableResult
    func service(name: String = "Копка траншей", price: Int64? = 500_000) async throws -> Int {
        let sql = try db.sql()
        if try await sql.select().column("id").from("service_categories").where("name", .equal, "Копка").first() == nil
        {
            try await sql.insert(into: "service_categories").columns("name", "created_at", "updated_at")
                .values(SQLBind("Копка"), SQLBind(Date()), SQLBind(Date())).run()
        }
        let categoryID = try await lastID("service_categories", sql: sql)
        try await sql.insert(into: "services")
            .columns("category_id", "name", "unit", "price", "is_active", "search_text", "created_at", "updated_at")
            .values(
                SQLBind(categoryID), SQLBind(name), SQLBind("hour"), SQLBind(price), SQLBind(true),
                SQLBind(name.lowercased()), SQLBind(Date()), SQLBind(Date())
            )
            .run()
        return try await lastID("services", sql: sql)
    }

    @discardableResult
    func client(name: String = "ООО Ромашка", phone: String = "+79001234567") async throws -> Int {
        let sql = try db.sql()
        try await sql.insert(into: "clients")
            .columns("name", "phone", "is_active", "search_text", "created_at", "updated_at")
            .values(
                SQLBind(name), SQLBind(phone), SQLBind(true), SQLBind((name + " " + phone).lowercased()),
                SQLBind(Date()), SQLBind(Date())
            )
            .run()
        return try await lastID("clients", sql: sql)
    }

    private func lastID(_ table: String, sql: any SQLDatabase) async throws -> Int {
        let row = try await sql.select().column(SQLFunction("MAX", args: SQLColumn("id")), as: "id").from(table).first()
        return try row?.decode(column: "id", as: Int.self) ?? 0
    }

    /// Creates an order through the API and returns its JSON.
    func createOrder(token: String, _ body: [String: Any]) async throws -> Reply {
        var payload: [String: Any] = [
            "client_id": NSNull(), "address": "ст. Елизаветинская, ул. Садовая 5",
            "start_dt": "2025-12-01T09:00:00+03:00",
        ]
        for (key, value) in body { payload[key] = value }
        return try await send(.POST, "/api/v1/orders/", token: token, json: payload)
    }

    func count(_ table: String, where column: String? = nil, equals value: String? = nil) async throws -> Int {
        let sql = try db.sql()
        var query = sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from(table)
        if let column, let value { query = query.where(column, .equal, value) }
        return try await query.first()?.decode(column: "n", as: Int.self) ?? 0
    }
}

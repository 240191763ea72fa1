import Domain
import Foundation
import SQLKit
import WebUI

/// The catalogue's web lists and form choices: plain SQL beside the rows it decodes.
enum CatalogQueries {
    /// At most this many rows per section page.
    static let listLimit = 500

    struct EquipmentRow: Decodable {
        var id: Int
        var code: String
        var name: String
        var hourly_rate: Int64
        var daily_rate: Int64?
        var status: String
    }

    struct ServiceRow: Decodable {
        var id: Int
        var name: String
        var unit: String
        var price: Int64?
        var is_active: Bool
        var category: String?
    }

    struct MaterialRow: Decodable {
        var id: Int
        var name: String
        var category: String
        var unit: String
        var price: Int64
        var is_active: Bool
    }

    struct AttachmentRow: Decodable {
        var id: Int
        var name: String
        var price: Int64
        var status: String
        var equipment_name: String?
    }

    /// One section of the catalogue: matching `q`, inactive rows only with `showInactive`, by name.
    static func rows(
        _ kind: CatalogKind, q: String, showInactive: Bool, on sql: any SQLDatabase
    ) async throws -> [CatalogListModel.Row] {
        switch kind {
        case .equipment:
            var select = sql.select().columns("id", "code", "name", "hourly_rate", "daily_rate", "status")
                .from("equipment")
            if !showInactive { select = select.where("status", .notEqual, EquipmentStatus.inactive.rawValue) }
            for filter in SearchFilter.terms(q) { select = select.where(filter) }
            return try await select.orderBy("name").limit(listLimit).all(decoding: EquipmentRow.self).map { row in
                let status = EquipmentStatus(rawValue: row.status)
                return CatalogListModel.Row(
                    id: String(row.id), name: row.name, code: row.code, unit: CatalogUnit.label("hour"),
                    price: row.hourly_rate, dailyRate: row.daily_rate, status: status, isActive: status != .inactive)
            }
        case .services:
            var select = sql.select()
                .column(SQLColumn("id", table: "s")).column(SQLColumn("name", table: "s"))
                .column(SQLColumn("unit", table: "s")).column(SQLColumn("price", table: "s"))
                .column(SQLColumn("is_active", table: "s")).column(SQLColumn("name", table: "c"), as: "category")
                .from(SQLAlias(SQLIdentifier("services"), as: SQLIdentifier("s")))
                .join(
                    SQLAlias(SQLIdentifier("service_categories"), as: SQLIdentifier("c")), method: SQLJoinMethod.left,
                    on: SQLRaw("c.id = s.category_id"))
            if !showInactive { select = select.where(SQLColumn("is_active", table: "s"), .equal, SQLBind(true)) }
            for filter in SearchFilter.terms(q, columns: ["s.search_text"]) { select = select.where(filter) }
            return try await select.orderBy(SQLColumn("name", table: "s")).limit(listLimit)
                .all(decoding: ServiceRow.self).map { row in
                    CatalogListModel.Row(
                        id: String(row.id), name: row.name, group: row.category, unit: CatalogUnit.label(row.unit),
                        price: row.price, isActive: row.is_active)
                }
        case .materials:
            var select = sql.select().columns("id", "name", "category", "unit", "price", "is_active").from("materials")
            if !showInactive { select = select.where("is_active", .equal, true) }
            for filter in SearchFilter.terms(q) { select = select.where(filter) }
            return try await select.orderBy("name").limit(listLimit).all(decoding: MaterialRow.self).map { row in
                CatalogListModel.Row(
                    id: String(row.id), name: row.name, group: MaterialCategory(rawValue: row.category)?.title,
                    unit: CatalogUnit.label(row.unit), price: row.price, isActive: row.is_active)
            }
        case .attachments:
            var select = sql.select()
                .column(SQLColumn("id", table: "a")).column(SQLColumn("name", table: "a"))
                .column(SQLColumn("price", table: "a")).column(SQLColumn("status", table: "a"))
                .column(SQLColumn("name", table: "e"), as: "equipment_name")
                .from(SQLAlias(SQLIdentifier("attachments"), as: SQLIdentifier("a")))
                .join(
                    SQLAlias(SQLIdentifier("equipment"), as: SQLIdentifier("e")), method: SQLJoinMethod.left,
                    on: SQLRaw("e.id = a.equipment_id"))
            if !showInactive {
                select = select.where(
                    SQLColumn("status", table: "a"), .notEqual, SQLBind(EquipmentStatus.inactive.rawValue))
            }
            for filter in SearchFilter.terms(q, columns: ["a.search_text"]) { select = select.where(filter) }
            return try await select.orderBy(SQLColumn("name", table: "a")).limit(listLimit)
                .all(decoding: AttachmentRow.self).map { row in
                    let status = EquipmentStatus(rawValue: row.status)
                    return CatalogListModel.Row(
                        id: String(row.id), name: row.name, group: row.equipment_name, unit: CatalogUnit.label("pcs"),
                        price: row.price, status: status, isActive: status != .inactive)
                }
        }
    }

    struct CategoryChoice: Decodable {
        var id: Int
        var name: String
    }

    struct EquipmentChoice: Decodable {
        var id: Int
        var code: String
        var name: String
    }

    /// Service categories for the service form, in the catalogue's order.
    static func categoryChoices(on sql: any SQLDatabase) async throws -> [CategoryChoice] {
        try await sql.select().columns("id", "name").from("service_categories")
            .orderBy("sort_order").orderBy("name").all(decoding: CategoryChoice.self)
    }

    /// Machines for the attachment form, by code.
    static func equipmentChoices(on sql: any SQLDatabase) async throws -> [EquipmentChoice] {
        try await sql.select().columns("id", "code", "name").from("equipment").orderBy("code").limit(1000)
            .all(decoding: EquipmentChoice.self)
    }
}

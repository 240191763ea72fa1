import Domain
import Foundation
import SQLKit
import Vapor
import WebUI

/// `/catalog/{kind}` and `/clients`: plain SQL over the catalog and client tables. Editing is
/// `CatalogEditWebController`, shown (`canEdit`) to admins and managers.
struct CatalogWebController {
    @Sendable func index(req: Request) async throws -> Response {
        req.redirect(to: Paths.catalog(.equipment), redirectType: .normal)
    }

    static func canEdit(_ req: Request) -> Bool {
        req.auth.get(Caller.self)?.isStaff == true
    }

    @Sendable func list(req: Request) async throws -> Response {
        guard let kind = req.parameters.get("kind").flatMap(CatalogKind.init(rawValue:)) else {
            throw APIError.notFound("Раздел каталога не найден.")
        }
        let q = (req.queryValues["q"] ?? "").trimmingCharacters(in: .whitespaces)
        let showInactive = req.queryValues["inactive"] == "1"
        let rows = try await Self.rows(kind, q: q, showInactive: showInactive, sql: try req.db.sql())
        let model = CatalogListModel(
            context: req.pageContext(), kind: kind, q: q, showInactive: showInactive, rows: rows, canEdit: Self.canEdit(req))
        return WebReply.page(CatalogListPage(model: model), on: req)
    }

    static func rows(_ kind: CatalogKind, q: String, showInactive: Bool, sql: any SQLDatabase) async throws -> [CatalogListModel.Row] {
        switch kind {
        case .equipment:
            var select = sql.select().columns("id", "code", "name", "hourly_rate", "daily_rate", "status").from("equipment")
            if !showInactive { select = select.where("status", .notEqual, "inactive") }
            for filter in SearchFilter.terms(q) { select = select.where(filter) }
            return try await select.orderBy("name").limit(500).all().map { row in
                let status = WebUI.EquipmentStatus(rawValue: try row.decode(column: "status", as: String.self))
                return CatalogListModel.Row(
                    id: String(try row.decode(column: "id", as: Int.self)), name: try row.decode(column: "name", as: String.self),
                    code: try row.decode(column: "code", as: String.self), unit: "ч",
                    price: try row.decode(column: "hourly_rate", as: Int64.self),
                    dailyRate: try row.decode(column: "daily_rate", as: Int64?.self), status: status,
                    isActive: status != .inactive)
            }
        case .services:
            var select = sql.select()
                .column(SQLColumn("id", table: "s")).column(SQLColumn("name", table: "s"))
                .column(SQLColumn("unit", table: "s")).column(SQLColumn("price", table: "s"))
                .column(SQLColumn("is_active", table: "s")).column(SQLColumn("name", table: "c"), as: "category")
                .from(SQLAlias(SQLIdentifier("services"), as: SQLIdentifier("s")))
                .join(SQLAlias(SQLIdentifier("service_categories"), as: SQLIdentifier("c")), method: SQLJoinMethod.left,
                      on: SQLRaw("c.id = s.category_id"))
            if !showInactive { select = select.where(SQLColumn("is_active", table: "s"), .equal, SQLBind(true)) }
            for filter in SearchFilter.terms(q, columns: ["s.search_text"]) { select = select.where(filter) }
            return try await select.orderBy(SQLColumn("name", table: "s")).limit(500).all().map { row in
                CatalogListModel.Row(
                    id: String(try row.decode(column: "id", as: Int.self)), name: try row.decode(column: "name", as: String.self),
                    group: try row.decode(column: "category", as: String?.self),
                    unit: OrderPageData.unitLabel(try row.decode(column: "unit", as: String.self)),
                    price: try row.decode(column: "price", as: Int64?.self),
                    isActive: try row.decode(column: "is_active", as: Bool.self))
            }
        case .materials:
            var select = sql.select().columns("id", "name", "category", "unit", "price", "is_active").from("materials")
            if !showInactive { select = select.where("is_active", .equal, true) }
            for filter in SearchFilter.terms(q) { select = select.where(filter) }
            return try await select.orderBy("name").limit(500).all().map { row in
                let category = WebUI.MaterialCategory(rawValue: try row.decode(column: "category", as: String.self))
                return CatalogListModel.Row(
                    id: String(try row.decode(column: "id", as: Int.self)), name: try row.decode(column: "name", as: String.self),
                    group: category?.title, unit: OrderPageData.unitLabel(try row.decode(column: "unit", as: String.self)),
                    price: try row.decode(column: "price", as: Int64.self),
                    isActive: try row.decode(column: "is_active", as: Bool.self))
            }
        case .attachments:
            var select = sql.select()
                .column(SQLColumn("id", table: "a")).column(SQLColumn("name", table: "a"))
                .column(SQLColumn("price", table: "a")).column(SQLColumn("status", table: "a"))
                .column(SQLColumn("name", table: "e"), as: "equipment_name")
                .from(SQLAlias(SQLIdentifier("attachments"), as: SQLIdentifier("a")))
                .join(SQLAlias(SQLIdentifier("equipment"), as: SQLIdentifier("e")), method: SQLJoinMethod.left,
                      on: SQLRaw("e.id = a.equipment_id"))
            if !showInactive { select = select.where(SQLColumn("status", table: "a"), .notEqual, SQLBind("inactive")) }
            for filter in SearchFilter.terms(q, columns: ["a.search_text"]) { select = select.where(filter) }
            return try await select.orderBy(SQLColumn("name", table: "a")).limit(500).all().map { row in
                let status = WebUI.EquipmentStatus(rawValue: try row.decode(column: "status", as: String.self))
                return CatalogListModel.Row(
                    id: String(try row.decode(column: "id", as: Int.self)), name: try row.decode(column: "name", as: String.self),
                    group: try row.decode(column: "equipment_name", as: String?.self), unit: "шт",
                    price: try row.decode(column: "price", as: Int64.self), status: status, isActive: status != .inactive)
            }
        }
    }

    @Sendable func clients(req: Request) async throws -> Response {
        let q = (req.queryValues["q"] ?? "").trimmingCharacters(in: .whitespaces)
        var select = try req.db.sql().select()
            .columns("id", "name", "contact_person", "phone", "email", "address").from("clients")
            .where("is_active", .equal, true)
        for filter in SearchFilter.terms(q) { select = select.where(filter) }
        let rows = try await select.orderBy("name").limit(500).all().map { row in
            ClientListModel.Row(
                id: String(try row.decode(column: "id", as: Int.self)), name: try row.decode(column: "name", as: String.self),
                contactPerson: try row.decode(column: "contact_person", as: String.self),
                phone: try row.decode(column: "phone", as: String.self), email: try row.decode(column: "email", as: String.self),
                address: try row.decode(column: "address", as: String.self))
        }
        let model = ClientListModel(context: req.pageContext(), q: q, rows: rows, canEdit: Self.canEdit(req))
        return WebReply.page(ClientListPage(model: model), on: req)
    }
}

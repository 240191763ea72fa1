import Domain
import Foundation
import SQLKit
import Vapor
import WebUI

/// `/catalog/{kind}`: the catalogue sections (`CatalogQueries`). Editing is `CatalogEditWebController`, shown
/// (`canEdit`) to admins and managers.
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
        let rows = try await CatalogQueries.rows(kind, q: q, showInactive: showInactive, on: try req.db.sql())
        let model = CatalogListModel(
            context: req.pageContext(), kind: kind, q: q, showInactive: showInactive, rows: rows,
            canEdit: Self.canEdit(req))
        return WebReply.page(CatalogListPage(model: model), on: req)
    }
}

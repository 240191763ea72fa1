import Domain
import Foundation
import Vapor

/// `GET /api/v1/company/` (staff and accountants), `PUT`/`PATCH` (admins): the requisites as flat JSON.
struct CompanyAPIController {
    @Sendable func show(req: Request) async throws -> Response {
        Self.json(try await req.company.requisites())
    }

    /// PUT requires the name; fields left out keep their stored values.
    @Sendable func update(req: Request) async throws -> Response {
        var json = try JSONInput(request: req)
        var input = CompanyInput(requiresName: req.method == .PUT)
        for field in CompanyRequisites.fieldNames {
            if let value = json.string(field, maxLength: .max) { input.values[field] = value }
        }
        input.unreadable = json.errors
        return Self.json(try await req.company.save(input))
    }

    static func json(_ requisites: CompanyRequisites) -> Response {
        var writer = JSONWriter()
        writer.beginObject()
        for (field, value) in CompanyService.values(of: requisites) { writer.field(field, value) }
        writer.endObject()
        let response = Response(status: .ok, body: .init(data: Data(writer.bytes)))
        response.headers.contentType = .json
        return response
    }
}

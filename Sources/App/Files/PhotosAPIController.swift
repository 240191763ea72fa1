import Domain
import Fluent
import Foundation
import SQLKit
import Vapor

/// `/api/v1/orders/{id}/photos/…`: photo evidence. Uploading is for the assigned operator, managers and
/// admins; reading and downloading for whoever may see the order.
struct PhotosAPIController {
    private func json(_ writer: JSONWriter, status: HTTPResponseStatus = .ok) -> Response {
        let response = Response(status: status, body: .init(data: Data(writer.bytes)))
        response.headers.contentType = .json
        return response
    }

    private func written(_ photo: PhotoReader.Row, req: Request, status: HTTPResponseStatus = .ok) throws -> Response {
        var writer = JSONWriter()
        PhotoReader(sql: try req.db.sql(), timeZone: req.application.config.timeZone).write(photo, into: &writer)
        return json(writer, status: status)
    }

    private func orderID(_ req: Request) throws -> String {
        guard let raw = req.parameters.get("id"), UUID(uuidString: raw) != nil else { throw APIError.notFound() }
        return raw
    }

    @Sendable func upload(req: Request) async throws -> Response {
        let photos = try req.photos
        let orderID = try await photos.visibleOrder(try orderID(req))
        let photo = try await photos.upload(try PhotoUploadForm.read(req), toOrder: orderID)
        return try written(photo, req: req, status: .created)
    }

    @Sendable func list(req: Request) async throws -> Response {
        let photos = try await req.photos.photos(ofOrder: try orderID(req))
        let reader = PhotoReader(sql: try req.db.sql(), timeZone: req.application.config.timeZone)
        var writer = JSONWriter()
        writer.beginArray()
        for photo in photos { reader.write(photo, into: &writer) }
        writer.endArray()
        return json(writer)
    }

    @Sendable func show(req: Request) async throws -> Response {
        let photo = try await req.photos.photo(try req.intParameter("photoID"), ofOrder: try orderID(req))
        return try written(photo, req: req)
    }

    /// The file itself, for callers who may see the order; 404 otherwise (as for the order). The web's
    /// `/orders/{id}/photos/{photoID}` serves it too.
    @Sendable func download(req: Request) async throws -> Response {
        let (photo, data) = try await req.photos.file(try req.intParameter("photoID"), ofOrder: try orderID(req))
        return photo.fileResponse(data)
    }

    /// Staff may remove any photo; the uploader may remove their own.
    @Sendable func delete(req: Request) async throws -> Response {
        try await req.photos.delete(try req.intParameter("photoID"), ofOrder: try orderID(req))
        return Response(status: .noContent)
    }

    /// Kept for `OrderService`, which removes the files of a deleted order: `PhotoService.removeFiles`.
    static func removeFiles(_ keys: [String], app: Application, logger: Logger) async {
        await PhotoService.removeFiles(keys, app: app, logger: logger)
    }
}

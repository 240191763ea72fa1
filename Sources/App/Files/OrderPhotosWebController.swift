import Domain
import Foundation
import Vapor
import WebUI

/// `POST /orders/{id}/photos` (multipart): the photo form of the order page, and `GET /orders/{id}/photos/{photoID}`:
/// the file. Both go through `PhotoService` (who may see the order, size and type checks, storage, audit); an
/// upload answers with a redirect back to the order and a flash message.
struct OrderPhotosWebController {
    @Sendable func upload(req: Request) async throws -> Response {
        guard let raw = req.parameters.get("id"), let uuid = UUID(uuidString: raw) else { throw APIError.notFound() }
        let back = Paths.order(uuid.uuidString.lowercased())
        do {
            let photos = try req.photos
            let orderID = try await photos.visibleOrder(raw)
            _ = try await photos.upload(try PhotoUploadForm.read(req), toOrder: orderID)
        } catch let error as PhotoError {
            switch error {
            case .notFound, .fileMissing, .forbidden: throw error
            case .tooLarge, .storageUnavailable:
                return WebReply.redirect(to: back, flash: Flash(.error, Self.detail(of: error)), on: req)
            case .invalid: return try Self.rejected(error, back: back, req: req)
            }
        } catch let error as APIError where error.status == .unsupportedMediaType {
            return WebReply.redirect(to: back, flash: Flash(.error, error.detail), on: req)
        } catch {
            return try Self.rejected(error, back: back, req: req)
        }
        return WebReply.redirect(to: back, flash: Flash(.success, "Фото добавлено"), on: req)
    }

    /// The file, for whoever may see the order.
    @Sendable func download(req: Request) async throws -> Response {
        guard let raw = req.parameters.get("id") else { throw APIError.notFound() }
        let (photo, data) = try await req.photos.file(try req.intParameter("photoID"), ofOrder: raw)
        return photo.fileResponse(data)
    }

    private static func detail(of error: PhotoError) -> String {
        (error.apiError as? APIError)?.detail ?? ""
    }

    private static func rejected(_ error: any Error, back: String, req: Request) throws -> Response {
        let described = try WebErrors.describe(error)
        let message = described.fields.sorted { $0.key < $1.key }.map(\.value).joined(separator: " ")
        let reason = message.isEmpty ? described.detail ?? "" : message
        return WebReply.redirect(to: back, flash: Flash(.error, "Фото не загружено. " + reason), on: req)
    }
}

import Domain
import Foundation
import Vapor
import WebUI

/// `POST /orders/{id}/photos` (multipart): the photo form of the order page. The upload itself is the API's
/// (`PhotosAPIController.upload`: who may upload, size and type checks, storage, audit); the answer is a redirect
/// back to the order with a flash message.
struct OrderPhotosWebController {
    @Sendable func upload(req: Request) async throws -> Response {
        guard let raw = req.parameters.get("id"), let uuid = UUID(uuidString: raw) else { throw APIError.notFound() }
        let back = Paths.order(uuid.uuidString.lowercased())
        do {
            _ = try await PhotosAPIController().upload(req: req)
        } catch let error as APIError where error.status == .notFound || error.status == .forbidden {
            throw error
        } catch let error as APIError
            where error.status == .payloadTooLarge || error.status == .unsupportedMediaType
            || error.status == .serviceUnavailable
        {
            return WebReply.redirect(to: back, flash: Flash(.error, error.detail), on: req)
        } catch {
            let described = try WebErrors.describe(error)
            let message = described.fields.sorted { $0.key < $1.key }.map(\.value).joined(separator: " ")
            return WebReply.redirect(
                to: back, flash: Flash(.error, "Фото не загружено. " + (message.isEmpty ? described.detail ?? "" : message)),
                on: req)
        }
        return WebReply.redirect(to: back, flash: Flash(.success, "Фото добавлено"), on: req)
    }
}

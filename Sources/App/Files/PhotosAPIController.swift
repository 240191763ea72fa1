import Domain
import Fluent
import Foundation
import SQLKit
import Vapor

/// `/api/v1/orders/{id}/photos/…`: photo evidence. Uploading is for the assigned operator, managers and
/// admins; reading and downloading for whoever may see the order.
struct PhotosAPIController {
    /// The multipart form: the file under `file` (or `photo` / `image`) plus optional fields.
    struct UploadForm: Decodable {
        var file: File?
        var photo: File?
        var image: File?
        var photo_type: String?
        var gps_lat: String?
        var gps_lng: String?
        var captured_at: String?
        var notes: String?
    }

    private func json(_ writer: JSONWriter, status: HTTPResponseStatus = .ok) -> Response {
        let response = Response(status: status, body: .init(data: Data(writer.bytes)))
        response.headers.contentType = .json
        return response
    }

    private func orderID(_ req: Request) throws -> String {
        guard let raw = req.parameters.get("id"), let uuid = UUID(uuidString: raw) else { throw APIError.notFound() }
        return uuid.uuidString.lowercased()
    }

    private func reader(_ req: Request) throws -> PhotoReader {
        PhotoReader(sql: try req.db.sql(), timeZone: req.application.config.timeZone)
    }

    @Sendable func upload(req: Request) async throws -> Response {
        let service = try OrderService(request: req)
        let (order, _) = try await service.visibleOrder(try orderID(req), on: req.db)
        let config = req.application.config
        guard req.headers.contentType?.type == "multipart" else {
            throw APIError(status: .unsupportedMediaType, detail: "Фото отправляется как multipart/form-data с полем file.")
        }
        let form = try req.content.decode(UploadForm.self)

        var fields: [String: JSONValue] = [:]
        if let value = form.photo_type, !value.isEmpty { fields["photo_type"] = .string(value) }
        if let value = form.gps_lat, !value.isEmpty { fields["gps_lat"] = .string(value) }
        if let value = form.gps_lng, !value.isEmpty { fields["gps_lng"] = .string(value) }
        if let value = form.captured_at, !value.isEmpty { fields["captured_at"] = .string(value) }
        if let value = form.notes { fields["notes"] = .string(value) }
        var input = JSONInput(fields, timeZone: config.timeZone)
        let photoType = input.choice("photo_type", as: PhotoType.self) ?? .before
        let lat = input.decimal("gps_lat", maxDigits: 9, scale: 6, minimum: -90, maximum: 90)
        let lng = input.decimal("gps_lng", maxDigits: 9, scale: 6, minimum: -180, maximum: 180)
        if (lat == nil) != (lng == nil), input.errors["gps_lat"] == nil, input.errors["gps_lng"] == nil {
            input.fail(lat == nil ? "gps_lat" : "gps_lng", "Координаты указываются парой: широта и долгота.")
        }
        let capturedAt = input.dateTime("captured_at")
        let notes = input.string("notes", maxLength: 2000) ?? ""
        let upload = form.file ?? form.photo ?? form.image
        if upload == nil { input.fail("file", FieldMessage.required) }
        var imageType: ImageType?
        if let upload {
            if upload.data.readableBytes > config.uploadMaxBytes {
                throw APIError(
                    status: .payloadTooLarge,
                    detail: "Файл слишком большой: не более \(Self.megabytes(config.uploadMaxBytes)) МБ.")
            }
            if upload.data.readableBytes == 0 {
                input.fail("file", "Файл пуст.")
            } else if let sniffed = ImageType.sniff(upload.data) {
                imageType = sniffed
            } else {
                input.fail("file", "Допустимы только изображения JPEG, PNG или WebP.")
            }
        }
        try input.validate()
        guard let upload, let imageType else { throw FieldErrors("file", FieldMessage.required) }

        let key = "orders/\(order.id)/\(UUID().uuidString.lowercased()).\(imageType.fileExtension)"
        let storage = req.application.fileStorage
        do {
            try await storage.put(upload.data, key: key, contentType: imageType.contentType)
        } catch {
            req.logger.error("photo upload to storage failed", metadata: ["order_id": "\(order.id)", "error": "\(error)"])
            throw APIError(status: .serviceUnavailable, detail: "Хранилище файлов недоступно, попробуйте позже.")
        }

        let caller = try req.caller
        let photo = OrderPhoto()
        let now = Date()
        photo.orderID = order.id
        photo.uploadedByID = caller.id
        photo.photoType = photoType.rawValue
        photo.storageKey = key
        photo.contentType = imageType.contentType
        photo.sizeBytes = Int64(upload.data.readableBytes)
        photo.originalName = String(Self.cleanName(upload.filename).prefix(200))
        photo.gpsLat = lat.map { Scaled.toInt($0, scale: 6) }
        photo.gpsLng = lng.map { Scaled.toInt($0, scale: 6) }
        photo.capturedAt = capturedAt
        photo.notes = notes
        photo.metadata = "{}"
        photo.createdAt = now
        photo.updatedAt = now
        do {
            try await req.application.writeSerializer.transaction(on: req.db) { db in
                // The order may have been deleted while the file was uploading.
                guard try await OrderStore(sql: try db.sql()).load(order.id) != nil else { throw APIError.notFound() }
                try await photo.create(on: db)
                try await AuditRecorder(request: req, db: db).record(
                    .fileUpload, entity: "order", id: order.id,
                    changes: [
                        "photo_id": .number(Decimal(photo.id ?? 0)), "storage_key": .string(key),
                        "file_name": .string(photo.originalName),
                        "photo_type": .string(photoType.rawValue), "size": .number(Decimal(upload.data.readableBytes)),
                    ])
            }
        } catch {
            // No row, so no file either: an orphan would never be cleaned up.
            do {
                try await storage.delete(key)
            } catch let cleanup {
                req.logger.error("orphan photo file left", metadata: ["key": "\(key)", "error": "\(cleanup)"])
            }
            throw error
        }
        req.logger.info("photo uploaded", metadata: ["order_id": "\(order.id)", "photo_id": "\(photo.id ?? 0)"])
        return try await photoResponse(req, orderID: order.id, photoID: photo.id ?? 0, status: .created)
    }

    @Sendable func list(req: Request) async throws -> Response {
        let (order, _) = try await OrderService(request: req).visibleOrder(try orderID(req), on: req.db)
        let reader = try reader(req)
        let photos = try await reader.load(orderIDs: [order.id])[order.id] ?? []
        var writer = JSONWriter()
        writer.beginArray()
        for photo in photos { reader.write(photo, into: &writer) }
        writer.endArray()
        return json(writer)
    }

    @Sendable func show(req: Request) async throws -> Response {
        let (order, _) = try await OrderService(request: req).visibleOrder(try orderID(req), on: req.db)
        return try await photoResponse(req, orderID: order.id, photoID: try req.intParameter("photoID"))
    }

    /// The file itself, for callers who may see the order; 404 otherwise (as for the order).
    @Sendable func download(req: Request) async throws -> Response {
        let (order, _) = try await OrderService(request: req).visibleOrder(try orderID(req), on: req.db)
        let photoID = try req.intParameter("photoID")
        guard let photo = try await reader(req).load(orderIDs: [order.id], photoID: photoID)[order.id]?.first else {
            throw APIError.notFound()
        }
        let data: ByteBuffer?
        do {
            data = try await req.application.fileStorage.get(photo.storageKey)
        } catch {
            req.logger.error("photo download from storage failed", metadata: ["photo_id": "\(photoID)", "error": "\(error)"])
            throw APIError(status: .serviceUnavailable, detail: "Хранилище файлов недоступно, попробуйте позже.")
        }
        guard let data else { throw APIError.notFound("Файл фотографии не найден.") }
        let response = Response(status: .ok, body: .init(buffer: data))
        response.headers.replaceOrAdd(name: .contentType, value: photo.contentType)
        let ext = ImageType.allCases.first { $0.contentType == photo.contentType }?.fileExtension ?? "bin"
        response.headers.replaceOrAdd(name: .contentDisposition, value: "inline; filename=\"photo-\(photo.id).\(ext)\"")
        response.headers.replaceOrAdd(name: .cacheControl, value: "private, max-age=3600")
        return response
    }

    /// Staff may remove any photo; the uploader may remove their own.
    @Sendable func delete(req: Request) async throws -> Response {
        let caller = try req.caller
        let (order, _) = try await OrderService(request: req).visibleOrder(try orderID(req), on: req.db)
        let photoID = try req.intParameter("photoID")
        guard let photo = try await OrderPhoto.query(on: req.db).filter(\.$id == photoID).filter(\.$orderID == order.id).first()
        else { throw APIError.notFound() }
        guard caller.isStaff || photo.uploadedByID == caller.id else { throw APIError.forbidden() }
        let key = photo.storageKey
        try await req.application.writeSerializer.transaction(on: req.db) { db in
            try await photo.delete(on: db)
            try await AuditRecorder(request: req, db: db).record(
                .delete, entity: "order_photo", id: String(photoID),
                changes: ["order_id": .string(order.id), "storage_key": .string(key)])
        }
        await Self.removeFiles([key], app: req.application, logger: req.logger)
        return Response(status: .noContent)
    }

    private func photoResponse(_ req: Request, orderID: String, photoID: Int, status: HTTPResponseStatus = .ok) async throws -> Response {
        let reader = try reader(req)
        guard let photo = try await reader.load(orderIDs: [orderID], photoID: photoID)[orderID]?.first else {
            throw APIError.notFound()
        }
        var writer = JSONWriter()
        reader.write(photo, into: &writer)
        return json(writer, status: status)
    }

    /// Deletes stored files after their rows are gone; a failure is logged, never raised.
    static func removeFiles(_ keys: [String], app: Application, logger: Logger) async {
        for key in keys {
            do {
                try await app.fileStorage.delete(key)
            } catch {
                logger.error("photo file not deleted", metadata: ["key": "\(key)", "error": "\(error)"])
            }
        }
    }

    static func megabytes(_ bytes: Int) -> String {
        let value = Double(bytes) / 1_048_576
        return value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
    }

    /// The client's file name, kept for display only: path parts and control characters removed.
    static func cleanName(_ name: String) -> String {
        let last = name.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        return String(last.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F }.map(Character.init))
    }
}

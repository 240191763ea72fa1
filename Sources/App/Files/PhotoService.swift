import Domain
import Fluent
import Foundation
import SQLKit
import Vapor

/// A photo to attach to an order, as read from the multipart form of the API and of the order page alike.
struct PhotoUpload: Sendable {
    struct File: Sendable {
        var data: ByteBuffer
        var filename: String
    }

    var file: File?
    var photoType: PhotoKind = .before
    var gpsLat: Decimal?
    var gpsLng: Decimal?
    var capturedAt: Date?
    var notes: String = ""
    /// Problems found while reading the form, reported with the service's own.
    var unreadable: [String: [String]] = [:]
}

/// What the photo service refuses.
enum PhotoError: APIMappedError {
    /// No such photo, or an order the caller may not see (the same answer, so nothing leaks).
    case notFound
    /// The file behind a photo row is gone.
    case fileMissing
    /// Someone else's photo, for a caller who is not staff.
    case forbidden
    case tooLarge(maxBytes: Int)
    case storageUnavailable
    case invalid([String: [String]])

    var apiError: any Error {
        switch self {
        case .notFound: APIError.notFound()
        case .fileMissing: APIError.notFound("Файл фотографии не найден.")
        case .forbidden: APIError.forbidden()
        case .tooLarge(let maxBytes):
            APIError(
                status: .payloadTooLarge,
                detail: "Файл слишком большой: не более \(PhotoService.megabytes(maxBytes)) МБ.")
        case .storageUnavailable:
            APIError(status: .serviceUnavailable, detail: "Хранилище файлов недоступно, попробуйте позже.")
        case .invalid(let problems): FieldErrors(problems)
        }
    }
}

/// Photo evidence of orders: uploading (the assigned operator, managers, admins: route groups), listing,
/// downloading and deleting, always within an order the caller may see (docs/security.md). The file goes to the
/// `FileStorage` first and the row second; a failed row removes the file again, so no orphan is left.
struct PhotoService {
    let context: ServiceContext

    var db: any Database { context.db }

    private var reader: PhotoReader {
        get throws { PhotoReader(sql: try db.sql(), timeZone: context.timeZone) }
    }

    /// The order's id when the caller may see it, by the orders' one visibility rule (`OrderService.visibleOrder`).
    func visibleOrder(_ rawID: String) async throws -> String {
        do {
            return try await OrderService(context: context).visibleOrder(rawID).0.id
        } catch OrderError.notFound {
            throw PhotoError.notFound
        }
    }

    /// The photos of an order, oldest first.
    func photos(ofOrder rawID: String) async throws -> [PhotoReader.Row] {
        let orderID = try await visibleOrder(rawID)
        return try await reader.load(orderIDs: [orderID])[orderID] ?? []
    }

    func photo(_ photoID: Int, ofOrder rawID: String) async throws -> PhotoReader.Row {
        let orderID = try await visibleOrder(rawID)
        guard let photo = try await reader.load(orderIDs: [orderID], photoID: photoID)[orderID]?.first else {
            throw PhotoError.notFound
        }
        return photo
    }

    /// The stored file of a photo, with its row.
    func file(_ photoID: Int, ofOrder rawID: String) async throws -> (photo: PhotoReader.Row, data: ByteBuffer) {
        let photo = try await photo(photoID, ofOrder: rawID)
        let data: ByteBuffer?
        do {
            data = try await context.files.get(photo.storageKey)
        } catch {
            context.logger.error(
                "photo download from storage failed", metadata: ["photo_id": "\(photoID)", "error": "\(error)"])
            throw PhotoError.storageUnavailable
        }
        guard let data else { throw PhotoError.fileMissing }
        return (photo, data)
    }

    /// Stores the file and its row; returns the new photo. Only JPEG, PNG and WebP up to the configured size;
    /// coordinates come as a pair.
    func upload(_ upload: PhotoUpload, toOrder rawID: String) async throws -> PhotoReader.Row {
        let orderID = try await visibleOrder(rawID)
        var check = FieldCheck(upload.unreadable)
        if (upload.gpsLat == nil) != (upload.gpsLng == nil), check.problems["gps_lat"] == nil,
            check.problems["gps_lng"] == nil
        {
            check.fail(upload.gpsLat == nil ? "gps_lat" : "gps_lng", "Координаты указываются парой: широта и долгота.")
        }
        let notes = check.text("notes", upload.notes, maxLength: 2000) ?? ""
        if upload.file == nil { check.fail("file", FieldMessage.required) }
        var imageType: ImageType?
        if let file = upload.file {
            switch try Self.imageType(of: file.data, maxBytes: context.config.uploadMaxBytes) {
            case .success(let type): imageType = type
            case .failure(let problem): check.fail("file", problem.message)
            }
        }
        guard check.isEmpty else { throw PhotoError.invalid(check.problems) }
        guard let file = upload.file, let imageType else { throw PhotoError.invalid(["file": [FieldMessage.required]]) }
        let key = "orders/\(orderID)/\(UUID().uuidString.lowercased()).\(imageType.fileExtension)"
        let storage = context.files
        do {
            try await storage.put(file.data, key: key, contentType: imageType.contentType)
        } catch {
            context.logger.error(
                "photo upload to storage failed", metadata: ["order_id": "\(orderID)", "error": "\(error)"])
            throw PhotoError.storageUnavailable
        }
        let photo = OrderPhoto()
        let now = context.now()
        photo.orderID = orderID
        photo.uploadedByID = context.caller.id
        photo.photoType = upload.photoType.rawValue
        photo.storageKey = key
        photo.contentType = imageType.contentType
        photo.sizeBytes = Int64(file.data.readableBytes)
        photo.originalName = String(Self.cleanName(file.filename).prefix(200))
        photo.gpsLat = upload.gpsLat.map { Scaled.toInt($0, scale: 6) }
        photo.gpsLng = upload.gpsLng.map { Scaled.toInt($0, scale: 6) }
        photo.capturedAt = upload.capturedAt
        photo.notes = notes
        photo.metadata = "{}"
        photo.createdAt = now
        photo.updatedAt = now
        let context = context
        do {
            try await context.writes.transaction(on: context.db) { db in
                // The order may have been deleted while the file was uploading.
                guard try await OrderStore(sql: try db.sql()).load(orderID) != nil else { throw PhotoError.notFound }
                try await photo.create(on: db)
                try await context.audit(on: db).record(
                    .fileUpload, entity: "order", id: orderID,
                    changes: [
                        "photo_id": .number(Decimal(photo.id ?? 0)), "storage_key": .string(key),
                        "file_name": .string(photo.originalName),
                        "photo_type": .string(upload.photoType.rawValue),
                        "size": .number(Decimal(file.data.readableBytes)),
                    ])
            }
        } catch {
            // No row, so no file either: an orphan would never be cleaned up.
            do {
                try await storage.delete(key)
            } catch let cleanup {
                context.logger.error("orphan photo file left", metadata: ["key": "\(key)", "error": "\(cleanup)"])
            }
            throw error
        }
        context.logger.info("photo uploaded", metadata: ["order_id": "\(orderID)", "photo_id": "\(photo.id ?? 0)"])
        return try await self.photo(photo.id ?? 0, ofOrder: orderID)
    }

    struct ImageProblem: Error {
        var message: String
    }

    /// The rule for every uploaded image (orders' photos, expenses' receipts): at most `maxBytes` (else
    /// `PhotoError.tooLarge`), not empty, and JPEG, PNG or WebP as its bytes say.
    static func imageType(of data: ByteBuffer, maxBytes: Int) throws -> Result<ImageType, ImageProblem> {
        if data.readableBytes > maxBytes { throw PhotoError.tooLarge(maxBytes: maxBytes) }
        if data.readableBytes == 0 { return .failure(ImageProblem(message: "Файл пуст.")) }
        guard let type = ImageType.sniff(data) else {
            return .failure(ImageProblem(message: "Допустимы только изображения JPEG, PNG или WebP."))
        }
        return .success(type)
    }

    /// Staff may remove any photo; the uploader may remove their own.
    func delete(_ photoID: Int, ofOrder rawID: String) async throws {
        let orderID = try await visibleOrder(rawID)
        guard
            let photo = try await OrderPhoto.query(on: db).filter(\.$id == photoID).filter(\.$orderID == orderID)
                .first()
        else { throw PhotoError.notFound }
        guard context.caller.isStaff || photo.uploadedByID == context.caller.id else { throw PhotoError.forbidden }
        let key = photo.storageKey
        let context = context
        try await context.writes.transaction(on: context.db) { db in
            try await photo.delete(on: db)
            try await context.audit(on: db).record(
                .delete, entity: "order_photo", id: String(photoID),
                changes: ["order_id": .string(orderID), "storage_key": .string(key)])
        }
        await Self.removeFiles([key], app: context.app, logger: context.logger)
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

extension Request {
    /// Order photos, as the signed-in caller.
    var photos: PhotoService { get throws { PhotoService(context: try services) } }
}

import Domain
import Fluent
import Foundation
import SQLKit

/// «Фото-доказательство»: a photo of an order before or after the work, or of an incident.
final class OrderPhoto: Model, @unchecked Sendable {
    static let schema = "order_photos"

    // managed fields
    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "updated_at") var updatedAt: Date

    // data fields
    @Field(key: "order_id") var orderID: String
    @OptionalField(key: "uploaded_by_id") var uploadedByID: Int?
    @Field(key: "photo_type") var photoType: String
    @Field(key: "storage_key") var storageKey: String
    @Field(key: "content_type") var contentType: String
    @Field(key: "size_bytes") var sizeBytes: Int64
    @Field(key: "original_name") var originalName: String
    @OptionalField(key: "gps_lat") var gpsLat: Int64?
    @OptionalField(key: "gps_lng") var gpsLng: Int64?
    @OptionalField(key: "captured_at") var capturedAt: Date?
    @Field(key: "notes") var notes: String
    @Field(key: "metadata") var metadata: String

    init() {}
}

/// Reads photos in batches and writes their JSON; shared by the order JSON and the photos API.
struct PhotoReader {
    let sql: any SQLDatabase
    let timeZone: TimeZone

    struct Row: Sendable {
        var id: Int
        var orderID: String
        var photoType: String
        var contentType: String
        var sizeBytes: Int64
        var originalName: String
        var gpsLat: Int64?
        var gpsLng: Int64?
        var capturedAt: Date?
        var notes: String
        var metadata: String
        var uploadedByID: Int?
        var uploadedByName: String?
        var storageKey: String
        var createdAt: Date
    }

    /// The photos of these orders, oldest first, in one query.
    func load(orderIDs: [String], photoID: Int? = nil) async throws -> [String: [Row]] {
        guard !orderIDs.isEmpty else { return [:] }
        let photoFilter: SQLQueryString = photoID.map { "AND p.id = \(bind: $0)" } ?? ""
        let rows = try await sql.raw(
            """
            SELECT p.id, p.order_id, p.photo_type, p.content_type, p.size_bytes, p.original_name, p.gps_lat, p.gps_lng,
                   p.captured_at, p.notes, p.metadata, p.uploaded_by_id, p.storage_key, p.created_at,
                   u.first_name, u.last_name
            FROM order_photos p LEFT JOIN users u ON u.id = p.uploaded_by_id
            WHERE p.order_id IN (\(binds: orderIDs)) \(photoFilter)
            ORDER BY p.order_id, p.created_at, p.id
            """
        ).all()
        var result: [String: [Row]] = [:]
        for row in rows {
            let first = try row.decode(column: "first_name", as: String?.self)
            let last = try row.decode(column: "last_name", as: String?.self)
            let photo = Row(
                id: try row.decode(column: "id", as: Int.self),
                orderID: try row.decode(column: "order_id", as: String.self),
                photoType: try row.decode(column: "photo_type", as: String.self),
                contentType: try row.decode(column: "content_type", as: String.self),
                sizeBytes: try row.decode(column: "size_bytes", as: Int64.self),
                originalName: try row.decode(column: "original_name", as: String.self),
                gpsLat: try row.decode(column: "gps_lat", as: Int64?.self),
                gpsLng: try row.decode(column: "gps_lng", as: Int64?.self),
                capturedAt: try row.decode(column: "captured_at", as: Date?.self),
                notes: try row.decode(column: "notes", as: String.self),
                metadata: try row.decode(column: "metadata", as: String.self),
                uploadedByID: try row.decode(column: "uploaded_by_id", as: Int?.self),
                uploadedByName: first.map { "\($0) \(last ?? "")".trimmingCharacters(in: .whitespaces) },
                storageKey: try row.decode(column: "storage_key", as: String.self),
                createdAt: try row.decode(column: "created_at", as: Date.self))
            result[photo.orderID, default: []].append(photo)
        }
        return result
    }

    /// Where the API serves the file (only to callers who may see the order).
    static func fileURL(orderID: String, photoID: Int) -> String {
        "/api/v1/orders/\(orderID)/photos/\(photoID)/file/"
    }

    func write(_ photo: Row, into writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("id", photo.id)
        writer.field("order", photo.orderID)
        writer.field("photo_type", photo.photoType)
        writer.field("photo_type_display", PhotoKind(rawValue: photo.photoType)?.title ?? photo.photoType)
        writer.field("file_url", Self.fileURL(orderID: photo.orderID, photoID: photo.id))
        writer.field("content_type", photo.contentType)
        writer.field("size", Int(photo.sizeBytes))
        writer.field("original_name", photo.originalName)
        writer.field("gps_lat", photo.gpsLat.map { Scaled.text($0, scale: 6) })
        writer.field("gps_lng", photo.gpsLng.map { Scaled.text($0, scale: 6) })
        writer.field("captured_at", photo.capturedAt.map { ISOTime.format($0, in: timeZone) })
        writer.field("notes", photo.notes)
        writer.rawField("metadata", photo.metadata, fallback: "{}")
        writer.field("uploaded_by", photo.uploadedByID)
        writer.field("uploaded_by_name", photo.uploadedByName)
        writer.field("created_at", ISOTime.format(photo.createdAt, in: timeZone))
        writer.endObject()
    }
}

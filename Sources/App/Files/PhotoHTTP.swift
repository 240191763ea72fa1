import Domain
import Foundation
import Vapor

/// The multipart photo form, the same for the API and the order page: the file under `file` (or `photo` /
/// `image`) plus optional `photo_type`, `gps_lat`, `gps_lng`, `captured_at`, `notes`.
struct PhotoUploadForm: Decodable {
    var file: File?
    var photo: File?
    var image: File?
    var photo_type: String?
    var gps_lat: String?
    var gps_lng: String?
    var captured_at: String?
    var notes: String?

    /// 415 unless the body is multipart.
    static func read(_ req: Request) throws -> PhotoUpload {
        guard req.headers.contentType?.type == "multipart" else {
            throw APIError(
                status: .unsupportedMediaType, detail: "Фото отправляется как multipart/form-data с полем file.")
        }
        let form: PhotoUploadForm
        do {
            form = try req.content.decode(PhotoUploadForm.self)
        } catch {
            // A multipart body without parts (or broken framing) is a missing file, not a server error.
            throw FieldErrors("file", FieldMessage.required)
        }
        var fields: [String: JSONValue] = [:]
        if let value = form.photo_type, !value.isEmpty { fields["photo_type"] = .string(value) }
        if let value = form.gps_lat, !value.isEmpty { fields["gps_lat"] = .string(value) }
        if let value = form.gps_lng, !value.isEmpty { fields["gps_lng"] = .string(value) }
        if let value = form.captured_at, !value.isEmpty { fields["captured_at"] = .string(value) }
        if let value = form.notes { fields["notes"] = .string(value) }
        var input = JSONInput(fields, timeZone: req.application.config.timeZone)
        var upload = PhotoUpload()
        upload.photoType = input.choice("photo_type", as: PhotoKind.self) ?? .before
        upload.gpsLat = input.decimal("gps_lat", maxDigits: 9, scale: 6, minimum: -90, maximum: 90)
        upload.gpsLng = input.decimal("gps_lng", maxDigits: 9, scale: 6, minimum: -180, maximum: 180)
        upload.capturedAt = input.dateTime("captured_at")
        upload.notes = input.string("notes", maxLength: .max) ?? ""
        if let file = form.file ?? form.photo ?? form.image {
            upload.file = PhotoUpload.File(data: file.data, filename: file.filename)
        }
        upload.unreadable = input.errors
        return upload
    }
}

extension PhotoReader.Row {
    /// The stored image, shown inline and cached privately for an hour (API and web downloads alike).
    func fileResponse(_ data: ByteBuffer) -> Response {
        let response = Response(status: .ok, body: .init(buffer: data))
        response.headers.replaceOrAdd(name: .contentType, value: contentType)
        let ext = ImageType.allCases.first { $0.contentType == contentType }?.fileExtension ?? "bin"
        response.headers.replaceOrAdd(name: .contentDisposition, value: "inline; filename=\"photo-\(id).\(ext)\"")
        response.headers.replaceOrAdd(name: .cacheControl, value: "private, max-age=3600")
        return response
    }
}

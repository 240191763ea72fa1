import Domain
import Fluent
import Foundation
import NIOConcurrencyHelpers
import SQLKit
import Testing
import Vapor

@testable import App

/// Files kept in memory, with hooks to make a put misbehave.
final class MemoryFileStorage: FileStorage {
    private let files = NIOLockedValueBox<[String: ByteBuffer]>([:])
    let onPut: (@Sendable (String) async throws -> Void)?

    init(onPut: (@Sendable (String) async throws -> Void)? = nil) { self.onPut = onPut }

    var keys: [String] { files.withLockedValue { Array($0.keys).sorted() } }

    func put(_ data: ByteBuffer, key: String, contentType: String) async throws {
        files.withLockedValue { $0[key] = data }
        try await onPut?(key)
    }

    func get(_ key: String) async throws -> ByteBuffer? { files.withLockedValue { $0[key] } }

    func delete(_ key: String) async throws { files.withLockedValue { _ = $0.removeValue(forKey: key) } }
}

enum SampleImage {
    static let jpeg: [UInt8] =
        [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10] + Array("JFIF".utf8) + [UInt8](repeating: 7, count: 200)
    static let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + [UInt8](repeating: 1, count: 100)
    static let webp: [UInt8] =
        Array("RIFF".utf8) + [0x30, 0, 0, 0] + Array("WEBPVP8 ".utf8) + [UInt8](repeating: 2, count: 40)
    static let pdf: [UInt8] = Array("%PDF-1.7\n".utf8) + [UInt8](repeating: 3, count: 100)
}

extension TestApp {
    /// POSTs a multipart form with an optional file part.
    func upload(
        _ orderID: String, token: String?, bytes: [UInt8]?, filename: String = "photo.jpg",
        fields: [String: String] = [:], fileField: String = "file", path: String? = nil
    ) async throws -> Reply {
        let boundary = "ringo-test-\(UUID().uuidString)"
        var body = ByteBuffer()
        for (name, value) in fields.sorted(by: { $0.key < $1.key }) {
            body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n")
        }
        if let bytes {
            body.writeString(
                "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(fileField)\"; filename=\"\(filename)\"\r\n")
            body.writeString("Content-Type: image/jpeg\r\n\r\n")
            body.writeBytes(bytes)
            body.writeString("\r\n")
        }
        body.writeString("--\(boundary)--\r\n")
        var headers = HTTPHeaders()
        if let token { headers.add(name: .authorization, value: "Bearer \(token)") }
        headers.add(name: .contentType, value: "multipart/form-data; boundary=\(boundary)")
        let tester = try app.testing(method: .running(hostname: "127.0.0.1", port: 0))
        let response = try await tester.sendRequest(
            .POST, path ?? "/api/v1/orders/\(orderID)/photos/", headers: headers, body: body)
        return Reply(status: response.status, headers: response.headers, body: response.body.string)
    }

    func download(
        _ path: String, token: String?
    ) async throws -> (status: HTTPResponseStatus, headers: HTTPHeaders, bytes: [UInt8]) {
        var headers = HTTPHeaders()
        if let token { headers.add(name: .authorization, value: "Bearer \(token)") }
        let tester = try app.testing(method: .running(hostname: "127.0.0.1", port: 0))
        let response = try await tester.sendRequest(.GET, path, headers: headers)
        return (response.status, response.headers, Array(response.body.readableBytesView))
    }
}

@Suite("Photos: upload limits, type checks, storage and access")
struct PhotoTests {
    @Test func assignedOperatorUploadsAndOnlyThoseWhoSeeTheOrderDownload() async throws {
        try await TestApp.run { t in
            let (_, manager) = try await t.user(.manager)
            let (driver, driverToken) = try await t.user(.operator, firstName: "Сергей", lastName: "Осипов")
            let (_, strangerToken) = try await t.user(.operator)
            let (_, accountant) = try await t.user(.accountant)
            let driverID = try #require(driver.id)
            let id = try #require(try await t.createOrder(token: manager, ["operator_ids": [driverID]]).string("id"))

            let reply = try await t.upload(
                id, token: driverToken, bytes: SampleImage.jpeg, filename: "../../etc/passwd.jpg",
                fields: [
                    "photo_type": "after", "gps_lat": "45.123456", "gps_lng": "39.654321",
                    "captured_at": "2025-12-01T17:30:00+03:00", "notes": "Площадка убрана",
                ])
            #expect(reply.status == .created)
            #expect(reply.string("photo_type") == "after")
            #expect(reply.string("photo_type_display") == "После работ")
            #expect(reply.string("gps_lat") == "45.123456")
            #expect(reply.string("gps_lng") == "39.654321")
            #expect(reply.string("captured_at") == "2025-12-01T17:30:00+03:00")
            #expect(reply.string("notes") == "Площадка убрана")
            #expect(reply.string("content_type") == "image/jpeg")
            #expect(reply["size"]?.intValue == SampleImage.jpeg.count)
            #expect(reply.string("original_name") == "passwd.jpg")
            #expect(reply["uploaded_by"]?.intValue == driverID)
            #expect(reply.string("uploaded_by_name") == "Сергей Осипов")
            let fileURL = try #require(reply.string("file_url"))

            let order = try await t.send(.GET, "/api/v1/orders/\(id)/", token: manager)
            let photos = order["photos"]?.arrayValue ?? []
            #expect(photos.count == 1)
            #expect(photos.first?["file_url"]?.stringValue == fileURL)
            let listed = try await t.send(.GET, "/api/v1/orders/?page_size=5", token: manager)
            #expect(listed.results.first?["photos"]?.arrayValue.count == 1)

            for token in [driverToken, manager, accountant] {
                let file = try await t.download(fileURL, token: token)
                #expect(file.status == .ok)
                #expect(file.bytes == SampleImage.jpeg)
                #expect(file.headers.first(name: .contentType) == "image/jpeg")
            }
            #expect(try await t.download(fileURL, token: strangerToken).status == .notFound)
            #expect(try await t.download(fileURL, token: nil).status == .unauthorized)
            #expect(try await t.send(.GET, "/api/v1/orders/\(id)/photos/", token: strangerToken).status == .notFound)
            #expect(try await t.send(.GET, "/api/v1/orders/\(id)/photos/", token: driverToken).array.count == 1)
            // Only the assigned operator, managers and admins upload.
            #expect(try await t.upload(id, token: strangerToken, bytes: SampleImage.jpeg).status == .notFound)
            #expect(try await t.upload(id, token: accountant, bytes: SampleImage.jpeg).status == .forbidden)
            #expect(try await t.upload(id, token: nil, bytes: SampleImage.jpeg).status == .unauthorized)
            #expect(
                try await t.upload(id, token: manager, bytes: SampleImage.png, filename: "a.png").status == .created)
            // Another order's photo id under this order is not found.
            let other = try #require(try await t.createOrder(token: manager, [:]).string("id"))
            let photoID = try #require(reply["id"]?.intValue)
            #expect(
                try await t.download("/api/v1/orders/\(other)/photos/\(photoID)/file/", token: manager).status
                    == .notFound)
            #expect(try await t.count("audit_entries", where: "action", equals: "file_upload") == 2)
        }
    }

    @Test func sizeAndTypeAreCheckedFromTheBytes() async throws {
        try await TestApp.run(adjust: { $0.uploadMaxBytes = 4096 }) { t in
            let storage = MemoryFileStorage()
            t.app.fileStorage = storage
            let (_, manager) = try await t.user(.manager)
            let id = try #require(try await t.createOrder(token: manager, [:]).string("id"))

            let big = SampleImage.jpeg + [UInt8](repeating: 0, count: 5000)
            let tooBig = try await t.upload(id, token: manager, bytes: big)
            #expect(tooBig.status == .payloadTooLarge)
            #expect(tooBig.string("detail")?.contains("МБ") == true)
            let pdf = try await t.upload(id, token: manager, bytes: SampleImage.pdf, filename: "scan.jpg")
            #expect(pdf.status == .badRequest)
            #expect(pdf["file"]?.arrayValue.first?.stringValue?.contains("JPEG, PNG или WebP") == true)
            let text = try await t.upload(id, token: manager, bytes: Array("just text".utf8), filename: "x.png")
            #expect(text.status == .badRequest)
            #expect(try await t.upload(id, token: manager, bytes: []).status == .badRequest)
            let missing = try await t.upload(id, token: manager, bytes: nil, fields: ["notes": "без файла"])
            let noParts = try await t.upload(id, token: manager, bytes: nil)
            #expect(noParts.status == .badRequest, "\(noParts.body)")
            #expect(missing.status == .badRequest)
            #expect(missing["file"] != nil)
            let badFields = try await t.upload(
                id, token: manager, bytes: SampleImage.jpeg,
                fields: [
                    "photo_type": "selfie", "gps_lat": "95", "captured_at": "вчера",
                ])
            #expect(badFields.status == .badRequest)
            #expect(badFields["photo_type"] != nil && badFields["gps_lat"] != nil && badFields["captured_at"] != nil)
            let halfGPS = try await t.upload(id, token: manager, bytes: SampleImage.jpeg, fields: ["gps_lat": "45.1"])
            #expect(halfGPS.status == .badRequest)
            let json = try await t.send(.POST, "/api/v1/orders/\(id)/photos/", token: manager, json: ["file": "x"])
            #expect(json.status == .unsupportedMediaType)
            #expect(try await t.count("order_photos") == 0)
            #expect(storage.keys.isEmpty)

            let webp = try await t.upload(
                id, token: manager, bytes: SampleImage.webp, filename: "a.webp", fields: ["photo_type": "incident"])
            #expect(webp.status == .created)
            #expect(webp.string("content_type") == "image/webp")
            let png = try await t.upload(
                id, token: manager, bytes: SampleImage.png, filename: "a.webp", fileField: "photo")
            #expect(png.status == .created)
            #expect(png.string("content_type") == "image/png")
            #expect(png.string("photo_type") == "before")
            let again = try await t.upload(id, token: manager, bytes: SampleImage.png, filename: "a.webp")
            #expect(again.status == .created)
            let keys = storage.keys
            #expect(keys.count == 3)
            #expect(Set(keys).count == 3)
            #expect(keys.allSatisfy { $0.hasPrefix("orders/\(id)/") })
            #expect(keys.filter { $0.hasSuffix(".png") }.count == 2)
        }
    }

    @Test func aFailedUploadLeavesNoRowAndNoFile() async throws {
        try await TestApp.run { t in
            let (_, manager) = try await t.user(.manager)
            let id = try #require(try await t.createOrder(token: manager, [:]).string("id"))
            // The order disappears while its file is being stored: the row insert fails after the put.
            let app = t.app
            let vanishing = MemoryFileStorage(onPut: { _ in
                _ = try await app.db.sql().raw("DELETE FROM order_status_logs WHERE order_id = \(bind: id)").run()
                _ = try await app.db.sql().raw("DELETE FROM orders WHERE id = \(bind: id)").run()
            })
            t.app.fileStorage = vanishing
            let reply = try await t.upload(id, token: manager, bytes: SampleImage.jpeg)
            #expect(reply.status == .notFound)
            #expect(vanishing.keys.isEmpty)
            #expect(try await t.count("order_photos") == 0)

            // The storage itself fails: 503, and still no row.
            let second = try #require(try await t.createOrder(token: manager, [:]).string("id"))
            t.app.fileStorage = MemoryFileStorage(onPut: { _ in throw FileStorageError("disk full") })
            let failed = try await t.upload(second, token: manager, bytes: SampleImage.jpeg)
            #expect(failed.status == .serviceUnavailable)
            #expect(try await t.count("order_photos") == 0)
        }
    }

    @Test func diskStorageKeepsFilesUnderTheDataDirectoryAndDeletesThemWithTheOrder() async throws {
        try await TestApp.run { t in
            let (_, manager) = try await t.user(.manager)
            let (driver, driverToken) = try await t.user(.operator)
            let driverID = try #require(driver.id)
            let id = try #require(try await t.createOrder(token: manager, ["operator_ids": [driverID]]).string("id"))
            let first = try await t.upload(id, token: driverToken, bytes: SampleImage.jpeg)
            let second = try await t.upload(id, token: manager, bytes: SampleImage.png)
            #expect(first.status == .created && second.status == .created)
            let keys = try await t.db.sql().select().column("storage_key").from("order_photos").orderBy("id").all()
                .map { try $0.decode(column: "storage_key", as: String.self) }
            guard case .disk(let root) = t.app.config.fileStorage else { throw TestFailure("not disk") }
            #expect(root.hasPrefix(t.app.config.dataDirectory))
            for key in keys { #expect(FileManager.default.fileExists(atPath: root + "/" + key)) }

            // The uploader may delete their own photo; another operator may not even see it.
            let firstID = try #require(first["id"]?.intValue)
            let secondID = try #require(second["id"]?.intValue)
            #expect(
                try await t.send(.DELETE, "/api/v1/orders/\(id)/photos/\(secondID)/", token: driverToken).status
                    == .forbidden)
            #expect(
                try await t.send(.DELETE, "/api/v1/orders/\(id)/photos/\(firstID)/", token: driverToken).status
                    == .noContent)
            #expect(!FileManager.default.fileExists(atPath: root + "/" + keys[0]))
            #expect(FileManager.default.fileExists(atPath: root + "/" + keys[1]))

            #expect(try await t.send(.POST, "/api/v1/orders/\(id)/delete/", token: manager).status == .ok)
            #expect(!FileManager.default.fileExists(atPath: root + "/" + keys[1]))
            #expect(try await t.count("order_photos") == 0)
        }
    }

    @Test func imageTypesAndKeys() {
        #expect(ImageType.sniff(SampleImage.jpeg) == .jpeg)
        #expect(ImageType.sniff(SampleImage.png) == .png)
        #expect(ImageType.sniff(SampleImage.webp) == .webp)
        #expect(ImageType.sniff(SampleImage.pdf) == nil)
        #expect(ImageType.sniff(Array("RIFF\u{0}\u{0}\u{0}\u{0}WAVE".utf8)) == nil)
        #expect(ImageType.sniff([0xFF, 0xD8]) == nil)
        #expect(FileKeys.isValid("orders/abc/1.jpg"))
        for bad in ["", "/abs", "a/../b", "a//b", "a/./b", "a b", "orders/\u{0}x", "x/"] {
            #expect(!FileKeys.isValid(bad))
        }
    }
}

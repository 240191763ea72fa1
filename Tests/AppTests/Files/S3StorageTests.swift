import AsyncHTTPClient
import Foundation
import NIOCore
import Testing
import Vapor

@testable import App

/// The S3 backend against a real S3 API: moto's server in CI (`.ci/steps/s3.sh` starts it with
/// signature checking and sets `RINGO_TEST_S3_*`). Skipped without `RINGO_TEST_S3_ENDPOINT`.
@Suite(
    "S3 storage against an S3 server",
    .enabled(
        if: ProcessInfo.processInfo.environment["RINGO_TEST_S3_ENDPOINT"] != nil,
        "set RINGO_TEST_S3_ENDPOINT (see .ci/steps/s3.sh)"))
struct S3StorageTests {
    static var settings: S3Settings {
        let environment = ProcessInfo.processInfo.environment
        return S3Settings(
            endpoint: environment["RINGO_TEST_S3_ENDPOINT"],
            bucket: environment["RINGO_TEST_S3_BUCKET"] ?? "ringo-test",
            accessKey: environment["RINGO_TEST_S3_ACCESS_KEY"] ?? "testing",
            secretKey: environment["RINGO_TEST_S3_SECRET_KEY"] ?? "testing",
            region: environment["RINGO_TEST_S3_REGION"] ?? "us-east-1")
    }

    @Test func putGetDeleteRoundTrip() async throws {
        let storage = S3FileStorage(settings: Self.settings, client: HTTPClient.shared)
        let key = "tests/\(UUID().uuidString.lowercased())/photo.jpg"
        let bytes = SampleImage.jpeg + (0..<5000).map { UInt8($0 % 251) }
        try await storage.put(ByteBuffer(bytes: bytes), key: key, contentType: "image/jpeg")
        let back = try #require(try await storage.get(key))
        #expect(Array(back.readableBytesView) == bytes)
        try await storage.delete(key)
        #expect(try await storage.get(key) == nil)
        try await storage.delete(key)  // deleting a missing object is fine
        #expect(try await storage.get("tests/never-written.png") == nil)
    }

    @Test func aMissingBucketIsAnError() async throws {
        var settings = Self.settings
        settings.bucket = "no-such-bucket-\(Int.random(in: 1000...9999))"
        let storage = S3FileStorage(settings: settings, client: HTTPClient.shared)
        await #expect(throws: FileStorageError.self) {
            try await storage.put(ByteBuffer(bytes: SampleImage.png), key: "x/y.png", contentType: "image/png")
        }
    }

    @Test(
        .enabled(
            if: ProcessInfo.processInfo.environment["RINGO_TEST_S3_CHECKS_SIGNATURES"] == "1",
            "the server checks signatures"))
    func aWrongSecretIsRejected() async throws {
        var settings = Self.settings
        settings.secretKey += "-wrong"
        let storage = S3FileStorage(settings: settings, client: HTTPClient.shared)
        await #expect(throws: FileStorageError.self) {
            try await storage.put(ByteBuffer(bytes: SampleImage.png), key: "x/wrong.png", contentType: "image/png")
        }
    }

    @Test func photosGoThroughTheAPIIntoTheBucket() async throws {
        try await TestApp.run(adjust: { $0.fileStorage = .s3(Self.settings) }) { t in
            let (_, manager) = try await t.user(.manager)
            let id = try #require(try await t.createOrder(token: manager, [:]).string("id"))
            let reply = try await t.upload(id, token: manager, bytes: SampleImage.png, filename: "yard.png")
            #expect(reply.status == .created)
            let file = try await t.download(try #require(reply.string("file_url")), token: manager)
            #expect(file.status == .ok)
            #expect(file.bytes == SampleImage.png)
            let key = try await t.db.sql().select().column("storage_key").from("order_photos").first()?
                .decode(column: "storage_key", as: String.self)
            let storage = S3FileStorage(settings: Self.settings, client: HTTPClient.shared)
            #expect(try await storage.get(try #require(key)) != nil)
            #expect(try await t.send(.POST, "/api/v1/orders/\(id)/delete/", token: manager).status == .ok)
            #expect(try await storage.get(try #require(key)) == nil)
        }
    }
}

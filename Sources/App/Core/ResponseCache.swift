import Foundation
import NIOConcurrencyHelpers
import SQLKit
import Vapor

/// Rendered JSON of hot reads (order list pages and order details), kept per caller scope and URL and
/// valid while the data version in the database is unchanged. One small query per request replaces the
/// six that build a page, and `ETag`/`If-None-Match` lets clients that poll skip the body.
final class ResponseCache: Sendable {
    struct Entry: Sendable {
        var version: Int64
        var body: [UInt8]
    }

    private let entries = NIOLockedValueBox<[String: Entry]>([:])
    let capacity: Int
    let isEnabled: Bool

    init(capacity: Int = 512, isEnabled: Bool = true) {
        self.capacity = capacity
        self.isEnabled = isEnabled
    }

    static func currentVersion(on sql: any SQLDatabase) async throws -> Int64 {
        let row = try await sql.raw("SELECT value FROM data_versions WHERE name = 'orders'").first()
        return try row?.decode(column: "value", as: Int64.self) ?? 0
    }

    /// The cached body, or the freshly rendered one (then stored), answered with an ETag.
    func respond(
        to request: Request, scope: String, render: () async throws -> [UInt8]
    ) async throws -> Response {
        guard isEnabled else { return Self.json(try await render(), etag: nil) }
        let version = try await Self.currentVersion(on: try request.db.sql())
        let key = scope + "|" + request.url.string
        let etag = "W/\"\(version)-\(UInt(bitPattern: key.hashValue) % 1_000_000_007)\""
        if request.headers.first(name: .ifNoneMatch) == etag {
            let response = Response(status: .notModified)
            response.headers.replaceOrAdd(name: .eTag, value: etag)
            return response
        }
        if let entry = entries.withLockedValue({ $0[key] }), entry.version == version {
            return Self.json(entry.body, etag: etag)
        }
        let body = try await render()
        entries.withLockedValue { entries in
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[key] = Entry(version: version, body: body)
        }
        return Self.json(body, etag: etag)
    }

    static func json(_ body: [UInt8], etag: String?) -> Response {
        let response = Response(status: .ok, body: .init(data: Data(body)))
        response.headers.contentType = .json
        if let etag { response.headers.replaceOrAdd(name: .eTag, value: etag) }
        return response
    }
}

extension Application {
    private struct ResponseCacheKey: StorageKey { typealias Value = ResponseCache }

    var responseCache: ResponseCache {
        get {
            guard let cache = storage[ResponseCacheKey.self] else { fatalError("configure(_:config:) was not called") }
            return cache
        }
        set { storage[ResponseCacheKey.self] = newValue }
    }
}

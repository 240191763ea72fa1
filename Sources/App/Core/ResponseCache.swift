import Foundation
import NIOConcurrencyHelpers
import SQLKit
import Vapor

/// Rendered JSON of hot reads (order list pages and order details), kept per caller scope and URL and
/// valid while the data version in the database is unchanged. One small query per request replaces the
/// six that build a page, and `ETag`/`If-None-Match` lets clients that poll skip the body.
///
/// After a write every reader misses at once; concurrent misses of one key and version wait for a single
/// render instead of each rendering the same page (under load that stampede was the whole latency tail).
final class ResponseCache: Sendable {
    struct Entry: Sendable {
        var version: Int64
        /// Kept as a `ByteBuffer`: responses share its storage instead of copying the page each time.
        var body: ByteBuffer
    }

    private struct Store {
        var entries: [String: Entry] = [:]
        var bytes = 0
    }

    /// The requests waiting for a render in progress, by version and key; they get its body (`nil` when it
    /// failed). Keyed by version too, so a render of a newer version never strands the waiters of an older one.
    private typealias Waiters = [CheckedContinuation<ByteBuffer?, Never>]

    private let store = NIOLockedValueBox(Store())
    private let flights = NIOLockedValueBox<[String: Waiters]>([:])
    let capacity: Int
    let maximumBytes: Int
    let isEnabled: Bool

    init(capacity: Int = 512, maximumBytes: Int = 16 << 20, isEnabled: Bool = true) {
        self.capacity = capacity
        self.maximumBytes = maximumBytes
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
        guard isEnabled else { return Self.json(ByteBuffer(bytes: try await render()), etag: nil) }
        let version = try await Self.currentVersion(on: try request.db.sql())
        let key = scope + "|" + request.url.string
        let etag = "W/\"\(version)-\(UInt(bitPattern: key.hashValue) % 1_000_000_007)\""
        if request.headers.first(name: .ifNoneMatch) == etag {
            let response = Response(status: .notModified)
            response.headers.replaceOrAdd(name: .eTag, value: etag)
            return response
        }
        return Self.json(try await body(for: key, version: version, render: render), etag: etag)
    }

    /// The body kept for `key` at `version`, or the one `render` makes (once for all concurrent callers).
    func body(for key: String, version: Int64, render: () async throws -> [UInt8]) async throws -> ByteBuffer {
        if let body = cached(key, version: version) { return body }
        return try await renderOnce(key: key, version: version, render: render)
    }

    private func cached(_ key: String, version: Int64) -> ByteBuffer? {
        store.withLockedValue { store in store.entries[key].flatMap { $0.version == version ? $0.body : nil } }
    }

    private func renderOnce(
        key: String, version: Int64, render: () async throws -> [UInt8]
    ) async throws -> ByteBuffer {
        let flight = "\(version)|" + key
        let leads = flights.withLockedValue { flights in
            if flights[flight] != nil { return false }
            flights[flight] = []
            return true
        }
        guard leads else {
            let shared: ByteBuffer? = await withCheckedContinuation { continuation in
                let waiting = flights.withLockedValue { flights in
                    guard flights[flight] != nil else { return false }
                    flights[flight]?.append(continuation)
                    return true
                }
                if !waiting { continuation.resume(returning: nil) }
            }
            if let shared { return shared }
            if let body = cached(key, version: version) { return body }
            return ByteBuffer(bytes: try await render())
        }
        do {
            let body = ByteBuffer(bytes: try await render())
            keep(Entry(version: version, body: body), for: key)
            land(flight, body: body)
            return body
        } catch {
            land(flight, body: nil)
            throw error
        }
    }

    private func land(_ flight: String, body: ByteBuffer?) {
        let waiters = flights.withLockedValue { flights in flights.removeValue(forKey: flight) ?? [] }
        for waiter in waiters { waiter.resume(returning: body) }
    }

    private func keep(_ entry: Entry, for key: String) {
        store.withLockedValue { store in
            if store.entries.count >= capacity || store.bytes + entry.body.readableBytes > maximumBytes {
                store.entries.removeAll(keepingCapacity: true)
                store.bytes = 0
            }
            store.bytes += entry.body.readableBytes - (store.entries[key]?.body.readableBytes ?? 0)
            store.entries[key] = entry
        }
    }

    static func json(_ body: ByteBuffer, etag: String?) -> Response {
        let response = Response(status: .ok, body: .init(buffer: body))
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

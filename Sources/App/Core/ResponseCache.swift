import Foundation
import NIOConcurrencyHelpers
import SQLKit
import Vapor

/// Rendered JSON of hot reads (order list pages and order details), kept per caller scope and URL and
/// valid while the versions they depend on (`Freshness`) are unchanged. One small query per request replaces the
/// six that build a page, and `ETag`/`If-None-Match` lets clients that poll skip the body.
///
/// After a write every reader of what it changed misses at once; concurrent misses of one key and version wait for
/// a single render instead of each rendering the same page (under load that stampede was the whole latency tail).
final class ResponseCache: Sendable {
    /// What a response depends on, so which counters say that it is still valid (migrations `AddDataVersions`
    /// and `AddOrderVersions`; docs/architecture.md#response-cache).
    enum Freshness: Sendable {
        /// Anything about orders: every write bumps `data_versions.orders`.
        case anyOrderWrite
        /// One order: the orders' structure and the order's own version.
        case order(String)
        /// A list page that only structural writes reorder or refill (no search, sorted by structural columns):
        /// the structure and the versions of the orders on it, which the render names through `PageStamp`.
        case page
    }

    struct Entry: Sendable {
        var token: String
        /// The orders of a `.page` entry, whose versions make part of its token.
        var orderIDs: [String] = []
        /// Kept as a `ByteBuffer`: responses share its storage instead of copying the page each time.
        var body: ByteBuffer
    }

    /// Given to a `.page` render: it names the page's orders before it reads them, so that the versions read
    /// here are never newer than the rows the page shows.
    final class PageStamp: Sendable {
        private let sql: (any SQLDatabase)?
        private let state = NIOLockedValueBox<(ids: [String], versions: Int64)>(([], 0))

        init(sql: (any SQLDatabase)?) { self.sql = sql }

        func stamp(_ orderIDs: [String]) async throws {
            guard let sql else { return }
            let versions = try await ResponseCache.orderVersions(orderIDs, on: sql)
            state.withLockedValue { $0 = (orderIDs, versions) }
        }

        var stamped: (ids: [String], versions: Int64) { state.withLockedValue { $0 } }
    }

    private struct Store {
        var entries: [String: Entry] = [:]
        var bytes = 0
    }

    /// The requests waiting for a render in progress, by version and key; they get its entry (`nil` when it
    /// failed). Keyed by version too, so a render of a newer version never strands the waiters of an older one.
    private typealias Waiters = [CheckedContinuation<Entry?, Never>]

    private let store = NIOLockedValueBox(Store())
    private let versionReads = VersionReads()
    private let flights = NIOLockedValueBox<[String: Waiters]>([:])
    let capacity: Int
    let maximumBytes: Int
    let isEnabled: Bool

    init(capacity: Int = 512, maximumBytes: Int = 16 << 20, isEnabled: Bool = true) {
        self.capacity = capacity
        self.maximumBytes = maximumBytes
        self.isEnabled = isEnabled
    }

    private struct Versions: Decodable {
        var versions: Int64?
    }

    static func orderVersions(_ orderIDs: [String], on sql: any SQLDatabase) async throws -> Int64 {
        guard !orderIDs.isEmpty else { return 0 }
        let query: SQLQueryString =
            "SELECT CAST(SUM(version) AS BIGINT) AS versions FROM order_versions WHERE order_id IN (\(binds: orderIDs))"
        return try await sql.raw(query).first(decoding: Versions.self)?.versions ?? 0
    }

    /// The cached body, or the freshly rendered one (then stored), answered with an ETag.
    func respond(
        to request: Request, scope: String, freshness: Freshness,
        render: @escaping @Sendable (PageStamp) async throws -> [UInt8]
    ) async throws -> Response {
        guard isEnabled else {
            return Self.json(ByteBuffer(bytes: try await render(PageStamp(sql: nil))), etag: nil)
        }
        let sql = try request.db.sql()
        let key = scope + "|" + request.url.string
        let token: String
        switch freshness {
        case .anyOrderWrite:
            token = "a\(try await versionReads.read(orderIDs: [], on: sql).counter("orders"))"
        case .order(let id):
            let found = try await versionReads.read(orderIDs: [id], on: sql)
            token = "o\(found.counter("orders_structure")).\(found.sum([id]))"
        case .page:
            let known = store.withLockedValue { $0.entries[key] }
            let found = try await versionReads.read(orderIDs: known?.orderIDs ?? [], on: sql)
            let structure = found.counter("orders_structure")
            if let known, known.token == "p\(structure).\(found.sum(known.orderIDs))" {
                return respond(known, key: key, request: request)
            }
            let rendered = try await renderOnce(key: key, flight: "p\(structure)|" + key) {
                let stamp = PageStamp(sql: sql)
                let body = try await render(stamp)
                let (ids, versions) = stamp.stamped
                return Entry(token: "p\(structure).\(versions)", orderIDs: ids, body: ByteBuffer(bytes: body))
            }
            return respond(rendered, key: key, request: request)
        }
        if request.headers.first(name: .ifNoneMatch) == Self.etag(token, key: key) {
            return Self.notModified(Self.etag(token, key: key))
        }
        if let entry = cached(key, token: token) { return respond(entry, key: key, request: request) }
        let rendered = try await renderOnce(key: key, flight: token + "|" + key) {
            Entry(token: token, body: ByteBuffer(bytes: try await render(PageStamp(sql: nil))))
        }
        return respond(rendered, key: key, request: request)
    }

    private func respond(_ entry: Entry, key: String, request: Request) -> Response {
        let etag = Self.etag(entry.token, key: key)
        if request.headers.first(name: .ifNoneMatch) == etag { return Self.notModified(etag) }
        return Self.json(entry.body, etag: etag)
    }

    private static func etag(_ token: String, key: String) -> String {
        "W/\"\(token)-\(UInt(bitPattern: key.hashValue) % 1_000_000_007)\""
    }

    private static func notModified(_ etag: String) -> Response {
        let response = Response(status: .notModified)
        response.headers.replaceOrAdd(name: .eTag, value: etag)
        return response
    }

    /// The body kept for `key` at `version`, or the one `render` makes (once for all concurrent callers).
    func body(for key: String, version: Int64, render: () async throws -> [UInt8]) async throws -> ByteBuffer {
        let token = "\(version)"
        if let entry = cached(key, token: token) { return entry.body }
        return try await renderOnce(key: key, flight: token + "|" + key) {
            Entry(token: token, body: ByteBuffer(bytes: try await render()))
        }.body
    }

    private func cached(_ key: String, token: String) -> Entry? {
        store.withLockedValue { store in store.entries[key].flatMap { $0.token == token ? $0 : nil } }
    }

    private func renderOnce(key: String, flight: String, render: () async throws -> Entry) async throws -> Entry {
        let leads = flights.withLockedValue { flights in
            if flights[flight] != nil { return false }
            flights[flight] = []
            return true
        }
        guard leads else {
            let shared: Entry? = await withCheckedContinuation { continuation in
                let waiting = flights.withLockedValue { flights in
                    guard flights[flight] != nil else { return false }
                    flights[flight]?.append(continuation)
                    return true
                }
                if !waiting { continuation.resume(returning: nil) }
            }
            if let shared { return shared }
            return try await render()
        }
        do {
            let entry = try await render()
            keep(entry, for: key)
            land(flight, entry: entry)
            return entry
        } catch {
            land(flight, entry: nil)
            throw error
        }
    }

    private func land(_ flight: String, entry: Entry?) {
        let waiters = flights.withLockedValue { flights in flights.removeValue(forKey: flight) ?? [] }
        for waiter in waiters { waiter.resume(returning: entry) }
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

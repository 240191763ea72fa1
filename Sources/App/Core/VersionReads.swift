import NIOConcurrencyHelpers
import SQLKit

/// The freshness reads of `ResponseCache`, shared: the requests that arrive while one read is in flight are
/// answered together by the next, one query instead of one each.
///
/// Still exact: a request's read is sent after the request arrived, so it sees every write committed before
/// the request (on any instance). Under a busy office's load this turns thousands of small queries a second into
/// a few hundred (docs/architecture.md#response-cache).
final class VersionReads: Sendable {
    /// What one read found: the counters of `data_versions` and the versions of the orders asked for.
    struct Found: Sendable {
        var counters: [String: Int64] = [:]
        var versions: [String: Int64] = [:]

        func counter(_ name: String) -> Int64 { counters[name] ?? 0 }

        /// Σ the versions of `orderIDs` (a missing row is 0), as `ResponseCache.orderVersions` adds them up.
        func sum(_ orderIDs: [String]) -> Int64 { orderIDs.reduce(0) { $0 &+ (versions[$1] ?? 0) } }
    }

    private enum Outcome: Sendable {
        case found(Found)
        case failed(any Error)
        /// Send the next read: for yourself and everyone waiting.
        case lead
    }

    private struct Waiting {
        var orderIDs: [String]
        var continuation: CheckedContinuation<Outcome, Never>
    }

    private struct State {
        var inFlight = false
        var waiting: [Waiting] = []
    }

    /// The counters every read takes (`AddDataVersions`, `AddOrderVersions`).
    static let counters = ["orders", "orders_structure"]

    private let state = NIOLockedValueBox(State())

    init() {}

    /// The reads waiting for the next statement (for tests).
    var waitingCount: Int { state.withLockedValue { $0.waiting.count } }

    /// The counters and the versions of `orderIDs`, read after this call began.
    func read(orderIDs: [String], on sql: any SQLDatabase) async throws -> Found {
        let outcome: Outcome = await withCheckedContinuation { continuation in
            let leads = state.withLockedValue { state in
                if state.inFlight {
                    state.waiting.append(Waiting(orderIDs: orderIDs, continuation: continuation))
                    return false
                }
                state.inFlight = true
                return true
            }
            if leads { continuation.resume(returning: .lead) }
        }
        switch outcome {
        case .found(let found): return found
        case .failed(let error): throw error
        case .lead: break
        }
        // Everyone taken here arrived before the query below is sent.
        let batch = state.withLockedValue { state in
            defer { state.waiting = [] }
            return state.waiting
        }
        var ids = Set(orderIDs)
        for waiting in batch { ids.formUnion(waiting.orderIDs) }
        let result: Outcome
        do {
            result = .found(try await Self.query(orderIDs: Array(ids), on: sql))
        } catch {
            result = .failed(error)
        }
        handOver()
        for waiting in batch { waiting.continuation.resume(returning: result) }
        switch result {
        case .found(let found): return found
        case .failed(let error): throw error
        case .lead: preconditionFailure("a read's result is never .lead")
        }
    }

    /// The first request that came during this read sends the next one, with whoever has come by then.
    private func handOver() {
        let next = state.withLockedValue { state -> Waiting? in
            guard !state.waiting.isEmpty else {
                state.inFlight = false
                return nil
            }
            return state.waiting.removeFirst()
        }
        next?.continuation.resume(returning: .lead)
    }

    private struct Row: Decodable {
        var k: String
        var v: Int64
    }

    /// Ids per statement, well within the bind limits of both databases.
    static let idsPerQuery = 5_000

    private static func query(orderIDs: [String], on sql: any SQLDatabase) async throws -> Found {
        var found = Found()
        let chunks = orderIDs.chunked(idsPerQuery)
        // The counters come with the first ids.
        var query: SQLQueryString = "SELECT name AS k, value AS v FROM data_versions WHERE name IN (\(binds: counters))"
        if let first = chunks.first {
            query += " UNION ALL "
            query += versions(of: first)
        }
        for row in try await sql.raw(query).all(decoding: Row.self) {
            if counters.contains(row.k) { found.counters[row.k] = row.v } else { found.versions[row.k] = row.v }
        }
        for chunk in chunks.dropFirst() {
            for row in try await sql.raw(versions(of: chunk)).all(decoding: Row.self) { found.versions[row.k] = row.v }
        }
        return found
    }

    private static func versions(of orderIDs: ArraySlice<String>) -> SQLQueryString {
        "SELECT order_id AS k, version AS v FROM order_versions WHERE order_id IN (\(binds: Array(orderIDs)))"
    }
}

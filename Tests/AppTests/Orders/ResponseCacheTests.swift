import Foundation
import NIOConcurrencyHelpers
import NIOCore
import Testing

@testable import App

@Suite("Response cache: one render per key and version")
struct ResponseCacheTests {
    @Test func concurrentMissesShareOneRender() async throws {
        let cache = ResponseCache()
        let renders = NIOLockedValueBox(0)
        let bodies = try await withThrowingTaskGroup(of: ByteBuffer.self) { group in
            for _ in 0..<20 {
                group.addTask {
                    try await cache.body(for: "all|/api/v1/orders/", version: 7) {
                        renders.withLockedValue { $0 += 1 }
                        try await Task.sleep(for: .milliseconds(200))
                        return Array("page".utf8)
                    }
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(renders.withLockedValue { $0 } == 1)
        #expect(bodies.count == 20)
        #expect(bodies.allSatisfy { $0 == ByteBuffer(string: "page") })
    }

    @Test func aNewVersionRendersAgainAndAnOldBodyIsNeverServed() async throws {
        let cache = ResponseCache()
        let first = try await cache.body(for: "k", version: 1) { Array("v1".utf8) }
        let again = try await cache.body(for: "k", version: 1) { Array("other".utf8) }
        let second = try await cache.body(for: "k", version: 2) { Array("v2".utf8) }
        #expect(first == ByteBuffer(string: "v1"))
        #expect(again == ByteBuffer(string: "v1"))
        #expect(second == ByteBuffer(string: "v2"))
    }

    @Test func aFailedRenderIsNotKeptAndWaitersRenderThemselves() async throws {
        struct Failure: Error {}
        let cache = ResponseCache()
        let attempts = NIOLockedValueBox(0)
        let outcomes = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<5 {
                group.addTask {
                    do {
                        _ = try await cache.body(for: "k", version: 1) {
                            attempts.withLockedValue { $0 += 1 }
                            try await Task.sleep(for: .milliseconds(100))
                            throw Failure()
                        }
                        return true
                    } catch {
                        return false
                    }
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(outcomes == Array(repeating: false, count: 5))
        #expect(attempts.withLockedValue { $0 } >= 2, "waiters retry instead of sharing a failure")
        let later = try await cache.body(for: "k", version: 1) { Array("ok".utf8) }
        #expect(later == ByteBuffer(string: "ok"))
    }

    @Test func bodiesBeyondTheByteBudgetEvictTheOldOnes() async throws {
        let cache = ResponseCache(maximumBytes: 10)
        _ = try await cache.body(for: "a", version: 1) { Array(repeating: 1, count: 8) }
        _ = try await cache.body(for: "b", version: 1) { Array(repeating: 2, count: 8) }
        let a = try await cache.body(for: "a", version: 1) { Array("fresh".utf8) }
        #expect(a == ByteBuffer(string: "fresh"))
    }
}

@Suite("Query values are parsed like Django's QueryDict.get")
struct QueryValuesTests {
    @Test func decodesPercentAndPlusAndKeepsTheLastRepeat() {
        let query = QueryValues("search=%D0%BA%D0%BE%D0%BF%D0%BA%D0%B0+%D1%82%D1%80&page=2&page=3&empty=&flag")
        #expect(query["search"] == "копка тр")
        #expect(query["page"] == "3")
        #expect(query["empty"] == "")
        #expect(query["flag"] == "")
        #expect(query["missing"] == nil)
        #expect(QueryValues(nil)["page"] == nil)
    }
}

@Suite("Response cache: overlapping renders of two versions")
struct ResponseCacheVersionTests {
    @Test func aNewerVersionNeverStrandsTheWaitersOfAnOlderOne() async throws {
        let cache = ResponseCache()
        let bodies = try await withThrowingTaskGroup(of: ByteBuffer.self) { group in
            for index in 0..<6 {
                let version: Int64 = index < 3 ? 1 : 2
                group.addTask {
                    if version == 2 { try await Task.sleep(for: .milliseconds(50)) }
                    return try await cache.body(for: "k", version: version) {
                        try await Task.sleep(for: .milliseconds(version == 1 ? 300 : 10))
                        return Array("v\(version)".utf8)
                    }
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(bodies.filter { $0 == ByteBuffer(string: "v1") }.count == 3)
        #expect(bodies.filter { $0 == ByteBuffer(string: "v2") }.count == 3)
    }
}

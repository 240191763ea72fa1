import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import SQLKit
import Testing

@testable import App

/// `VersionReads`: the requests that come while a freshness read is in flight share the next one, and never the
/// one in flight (it may have read before their write committed).
@Suite("Response cache: shared freshness reads")
struct VersionReadsTests {
    /// Runs each statement at once and holds the first one's answer back until `release` (a busy database that
    /// read before a write but answers after it), counting the statements.
    struct HeldSQL: SQLDatabase {
        let base: any SQLDatabase
        let statements: NIOLockedValueBox<Int>
        let release: EventLoopPromise<Void>

        var logger: Logger { base.logger }
        var eventLoop: any EventLoop { base.eventLoop }
        var dialect: any SQLDialect { base.dialect }
        var version: (any SQLDatabaseReportedVersion)? { base.version }

        func execute(
            sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void
        ) -> EventLoopFuture<Void> {
            let first = statements.withLockedValue { count in
                count += 1
                return count == 1
            }
            let done = base.execute(sql: query, onRow)
            return first ? done.flatMap { release.futureResult } : done
        }
    }

    @Test func readsThatComeDuringAReadShareTheNextOneAndSeeTheWriteBeforeThem() async throws {
        try await TestApp.run { t in
            let sql = try t.db.sql()
            let id = UUID().uuidString.lowercased()
            try await sql.raw("INSERT INTO order_versions (order_id, version) VALUES (\(bind: id), 1)").run()
            let statements = NIOLockedValueBox(0)
            let release = sql.eventLoop.makePromise(of: Void.self)
            let held = HeldSQL(base: sql, statements: statements, release: release)
            let reads = VersionReads()
            let first = Task { try await reads.read(orderIDs: [id], on: held) }
            for _ in 0..<2_000 where statements.withLockedValue({ $0 }) == 0 {
                try await Task.sleep(for: .milliseconds(5))
            }
            // The first read has read version 1 and not answered yet; then the write commits, then ten reads come.
            try await sql.raw("UPDATE order_versions SET version = 2 WHERE order_id = \(bind: id)").run()
            let later = Task {
                try await withThrowingTaskGroup(of: Int64.self) { group in
                    for _ in 0..<10 {
                        group.addTask { try await reads.read(orderIDs: [id], on: held).sum([id]) }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
            }
            for _ in 0..<2_000 where reads.waitingCount < 10 { try await Task.sleep(for: .milliseconds(5)) }
            release.succeed()
            #expect(try await first.value.sum([id]) == 1)
            #expect(try await later.value == Array(repeating: 2, count: 10), "a read after the write got an older one")
            #expect(statements.withLockedValue { $0 } == 2, "ten reads that came together did not share one")
        }
    }

    @Test func countersAndManyOrdersInOneRead() async throws {
        try await TestApp.run { t in
            let sql = try t.db.sql()
            let ids = (0..<(VersionReads.idsPerQuery * 2 + 10)).map { _ in UUID().uuidString.lowercased() }
            for chunk in ids.chunked(2_000) {
                var insert = sql.insert(into: "order_versions").columns("order_id", "version")
                for (index, id) in chunk.enumerated() { insert = insert.values(SQLBind(id), SQLBind(index + 1)) }
                try await insert.run()
            }
            try await sql.raw("UPDATE data_versions SET value = 41 WHERE name = 'orders'").run()
            let found = try await VersionReads().read(orderIDs: ids + ["no-such-order"], on: sql)
            #expect(found.versions.count == ids.count)
            #expect(found.sum(Array(ids.prefix(3))) == 6)
            #expect(found.sum(["no-such-order"]) == 0)
            #expect(found.counter("orders") == 41)
        }
    }
}

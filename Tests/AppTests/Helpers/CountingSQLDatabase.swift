import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import SQLKit

@testable import App

/// Forwards to a real database and counts the statements it runs.
final class CountingSQLDatabase: SQLDatabase, Sendable {
    let base: any SQLDatabase
    private let counter = NIOLockedValueBox(0)

    init(_ base: any SQLDatabase) { self.base = base }

    var count: Int { counter.withLockedValue { $0 } }
    var logger: Logger { base.logger }
    var eventLoop: any EventLoop { base.eventLoop }
    var version: (any SQLDatabaseReportedVersion)? { base.version }
    var dialect: any SQLDialect { base.dialect }
    var queryLogLevel: Logger.Level? { base.queryLogLevel }

    func execute(
        sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void
    ) -> EventLoopFuture<Void> {
        counter.withLockedValue { $0 += 1 }
        return base.execute(sql: query, onRow)
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        counter.withLockedValue { $0 += 1 }
        try await base.execute(sql: query, onRow)
    }

    func withSession<R>(_ closure: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await closure(self)
    }
}

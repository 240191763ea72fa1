import Fluent
import Vapor

/// Runs writes one at a time inside this process.
///
/// SQLite has a single writer. A transaction that reads and then writes fails at once with "database is
/// locked" (instead of waiting) when another connection wrote in between, so on the embedded default every
/// write goes through this queue: each unsafe HTTP request as a whole (`SQLiteWriteGate`), and jobs and
/// deliveries through `run` or `transaction`. Nested calls from the task that holds the turn run directly.
/// PostgreSQL relies on its own locks and constraints, so this is a pass-through there (docs/security.md).
actor WriteSerializer {
    /// The turn the current task holds, if any; child tasks inherit it.
    @TaskLocal static var heldTurn: UInt64?

    private let enabled: Bool
    private var currentTurn: UInt64?
    private var lastTurn: UInt64 = 0
    private var waiters: [CheckedContinuation<UInt64, Never>] = []

    /// The embedded default's own writer connection (a SQLite file); nil elsewhere.
    nonisolated let writer: SQLiteWriter?

    init(enabled: Bool, writer: SQLiteWriter? = nil) {
        self.enabled = enabled
        self.writer = writer
    }

    var isEnabled: Bool { enabled }

    func run<T: Sendable>(_ work: @Sendable () async throws -> T) async throws -> T {
        guard enabled else { return try await work() }
        if let held = Self.heldTurn, held == currentTurn { return try await work() }
        let turn = await acquire()
        defer { release() }
        return try await Self.$heldTurn.withValue(turn) { try await work() }
    }

    /// `work` in one transaction of `db`, serialised like `run`: the shape of every multi-statement write. With a
    /// `writer` (a SQLite file) the transaction runs on the writer's connection, unless `db` is already in one.
    func transaction<T: Sendable>(
        on db: any Database, _ work: @escaping @Sendable (any Database) async throws -> T
    ) async throws -> T {
        let writer = self.writer
        return try await run {
            guard let writer, !db.inTransaction else { return try await db.transaction { try await work($0) } }
            return try await withTaskExecutorPreference(writer.executor) {
                try await writer.database(logger: db.logger).transaction { try await work($0) }
            }
        }
    }

    private func acquire() async -> UInt64 {
        guard currentTurn != nil else { return nextTurn() }
        return await withCheckedContinuation { waiters.append($0) }
    }

    /// Hands the turn straight to the next waiter, so that no newcomer can slip in between.
    private func release() {
        if waiters.isEmpty {
            currentTurn = nil
        } else {
            waiters.removeFirst().resume(returning: nextTurn())
        }
    }

    private func nextTurn() -> UInt64 {
        lastTurn &+= 1
        currentTurn = lastTurn
        return lastTurn
    }
}

extension Application {
    private struct WriteSerializerKey: StorageKey { typealias Value = WriteSerializer }

    var writeSerializer: WriteSerializer {
        get {
            guard let serializer = storage[WriteSerializerKey.self] else {
                fatalError("configure(_:config:) was not called")
            }
            return serializer
        }
        set { storage[WriteSerializerKey.self] = newValue }
    }
}

/// On SQLite, every request that may write (any method but GET, HEAD and OPTIONS) takes the write turn for
/// its whole handling, so no handler can write beside another. `RequestBodyLimit` has read the body before,
/// so a slow client never holds the turn. Two kinds of route serialise their own writes instead: photo uploads
/// (large bodies) and the routes marked `serialisingItsWrites()` (the order API's writes: its sign-in check
/// and the rendering of its answer need no turn, and under a busy office's reads they were most of it).
struct SQLiteWriteGate: AsyncMiddleware {
    let serializer: WriteSerializer

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard request.method.mayWrite, !RequestBodyLimit.isUpload(request.url.path),
            request.route?.userInfo[Route.serialisesItsWrites] == nil
        else {
            return try await next.respond(to: request)
        }
        return try await serializer.run { try await next.respond(to: request) }
    }
}

extension Route {
    fileprivate static let serialisesItsWrites = "ringo.serialisesItsWrites"

    /// Leaves this route out of `SQLiteWriteGate`: its handler writes only inside `Request.serialisedWrites`,
    /// and its middleware (`IdempotencyMiddleware`) through `WriteSerializer.run`.
    @discardableResult
    func serialisingItsWrites() -> Route {
        userInfo[Self.serialisesItsWrites] = true
        return self
    }
}

extension Request {
    /// `work`, which may write, in the write turn on SQLite (at once on PostgreSQL): for the handlers of routes
    /// marked `serialisingItsWrites()`.
    func serialisedWrites<T: Sendable>(_ work: @Sendable () async throws -> T) async throws -> T {
        try await application.writeSerializer.run(work)
    }
}

extension HTTPMethod {
    /// Every method but GET, HEAD and OPTIONS.
    var mayWrite: Bool { self != .GET && self != .HEAD && self != .OPTIONS }
}

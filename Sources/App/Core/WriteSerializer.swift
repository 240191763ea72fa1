import Fluent
import Vapor

/// Runs write transactions one at a time inside this process.
///
/// SQLite has a single writer; two transactions that read and then write would fail with "database is
/// locked" instead of waiting. On the embedded default there is one process, so an in-process queue makes
/// the check-then-insert of order numbers and bookings atomic. PostgreSQL relies on its own locks and
/// constraints, so this is a pass-through there.
actor WriteSerializer {
    private let enabled: Bool
    private var busy = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    init(enabled: Bool) { self.enabled = enabled }

    func run<T: Sendable>(_ work: @Sendable () async throws -> T) async throws -> T {
        guard enabled else { return try await work() }
        await acquire()
        defer { release() }
        return try await work()
    }

    /// `work` in one transaction of `db`, serialised like `run`: the shape of every multi-statement write.
    func transaction<T: Sendable>(
        on db: any Database, _ work: @escaping @Sendable (any Database) async throws -> T
    ) async throws -> T {
        try await run { try await db.transaction { try await work($0) } }
    }

    private func acquire() async {
        if !busy {
            busy = true
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    private func release() {
        if waiters.isEmpty {
            busy = false
        } else {
            waiters.removeFirst().resume()
        }
    }
}

extension Application {
    private struct WriteSerializerKey: StorageKey { typealias Value = WriteSerializer }

    var writeSerializer: WriteSerializer {
        get {
            guard let serializer = storage[WriteSerializerKey.self] else { fatalError("configure(_:config:) was not called") }
            return serializer
        }
        set { storage[WriteSerializerKey.self] = newValue }
    }
}

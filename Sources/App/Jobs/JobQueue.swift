import Fluent
import Foundation
import SQLKit

/// Puts jobs into the `jobs` table. Runs on whatever database (or transaction) it is given, and takes no lock
/// of its own: callers outside a transaction on SQLite go through `app.writeSerializer`.
struct JobQueue {
    let db: any Database

    /// Enqueues `job` to run at `runAt`. With a `uniqueKey`, a second job with the same key is not added
    /// (the schedule uses this so that several workers enqueue each slot once); returns `nil` then.
    @discardableResult
    func enqueue<J: Job>(_ job: J, runAt: Date = Date(), uniqueKey: String? = nil) async throws -> Int? {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let payload = String(decoding: try encoder.encode(job), as: UTF8.self)
        return try await enqueue(
            name: J.name, payload: payload, maxAttempts: J.maxAttempts, runAt: runAt, uniqueKey: uniqueKey)
    }

    @discardableResult
    func enqueue(name: String, payload: String, maxAttempts: Int, runAt: Date, uniqueKey: String?) async throws -> Int?
    {
        let now = Date()
        let row = try await (try db.sql()).raw(
            """
            INSERT INTO jobs (name, payload, status, attempts, max_attempts, run_at, last_error, unique_key,
                              created_at, updated_at)
            VALUES (\(bind: name), \(bind: payload), \(bind: JobStatus.queued.rawValue), 0,
                    \(bind: max(maxAttempts, 1)), \(bind: runAt), '', \(bind: uniqueKey), \(bind: now), \(bind: now))
            ON CONFLICT (unique_key) DO NOTHING
            RETURNING id
            """
        ).first()
        return try row?.decode(column: "id", as: Int.self)
    }
}

/// Where a job is: waiting (`queued`, also between retries), leased by a worker (`running`), done
/// (`succeeded`), or given up after its last attempt (`dead`, listed for admins).
enum JobStatus: String, CaseIterable, Sendable {
    case queued
    case running
    case succeeded
    case dead
}

import Fluent
import Foundation
import NIOConcurrencyHelpers
import SQLKit
import Vapor

/// The time a runner works with; tests move it by hand to expire leases and back-off delays.
struct JobClock: Sendable {
    var now: @Sendable () -> Date

    static let system = JobClock { Date() }
}

struct JobRunnerSettings: Sendable {
    /// Names the worker in `jobs.locked_by` (host, process and a random part by default).
    var workerID: String = JobRunnerSettings.defaultWorkerID()
    /// How long a claim holds a job. A running job renews it every third of this; a job whose worker died
    /// is claimed again once it has run out.
    var leaseDuration: TimeInterval = 60
    /// The first retry waits this long; each further one twice as long as the last…
    var backoffBase: TimeInterval = 15
    /// …but never longer than this.
    var backoffLimit: TimeInterval = 3600

    static func defaultWorkerID() -> String {
        let host = ProcessInfo.processInfo.hostName.split(separator: ".").first.map(String.init) ?? "host"
        return "\(host):\(ProcessInfo.processInfo.processIdentifier):\(UUID().uuidString.prefix(8).lowercased())"
    }
}

/// A job this runner has leased: only the holder of `token` may finish it.
struct ClaimedJob: Sendable {
    var id: Int
    var name: String
    var payload: String
    /// This run's number (1 for the first).
    var attempt: Int
    var maxAttempts: Int
    var token: String
}

/// Claims, runs and settles jobs from the `jobs` table.
///
/// Claiming is one atomic statement: `UPDATE … WHERE id = (SELECT … FOR UPDATE SKIP LOCKED) RETURNING …` on
/// PostgreSQL, so any number of workers in any number of processes never lease the same job twice; on SQLite the
/// same `UPDATE … RETURNING` without the lock clause, under the application's write serializer (SQLite has one
/// writer). A lease that runs out (the worker died) makes the job claimable again, counting as an attempt;
/// failures are retried with exponential back-off until `max_attempts`, then the job is `dead`.
struct JobRunner: Sendable {
    let application: Application
    var settings = JobRunnerSettings()
    var clock = JobClock.system

    private var logger: Logger { application.logger }

    /// The wait before retry number `attempt` (1-based): base, 2 × base, 4 × base, … capped at the limit.
    static func backoff(afterAttempt attempt: Int, base: TimeInterval, limit: TimeInterval) -> TimeInterval {
        let exponent = Double(min(max(attempt - 1, 0), 30))
        return min(base * pow(2, exponent), limit)
    }

    /// Claims and runs the next due job; false when none was due.
    @discardableResult
    func runNext() async throws -> Bool {
        guard let job = try await claim() else { return false }
        await execute(job)
        return true
    }

    // MARK: - Claiming

    /// Leases the next due job (oldest `run_at` first), or returns `nil`.
    func claim() async throws -> ClaimedJob? {
        let now = clock.now()
        let token = UUID().uuidString.lowercased()
        return try await serialized { sql in
            try await buryExpired(now: now, sql: sql)
            let lock: SQLQueryString = sql.dialect.name == "postgresql" ? " FOR UPDATE SKIP LOCKED" : ""
            var query: SQLQueryString = """
                UPDATE jobs SET status = \(bind: JobStatus.running.rawValue), attempts = attempts + 1,
                       locked_by = \(bind: settings.workerID), lock_token = \(bind: token),
                       locked_until = \(bind: now.addingTimeInterval(settings.leaseDuration)), updated_at = \(bind: now)
                WHERE id = (
                    SELECT id FROM jobs
                    WHERE (status = \(bind: JobStatus.queued.rawValue) AND run_at <= \(bind: now))
                       OR (status = \(bind: JobStatus.running.rawValue) AND locked_until < \(bind: now)
                           AND attempts < max_attempts)
                    ORDER BY run_at, id
                    LIMIT 1
                """
            query += lock
            query += ") RETURNING id, name, payload, attempts, max_attempts"
            guard let row = try await sql.raw(query).first() else { return nil }
            return ClaimedJob(
                id: try row.decode(column: "id", as: Int.self), name: try row.decode(column: "name", as: String.self),
                payload: try row.decode(column: "payload", as: String.self),
                attempt: try row.decode(column: "attempts", as: Int.self),
                maxAttempts: try row.decode(column: "max_attempts", as: Int.self), token: token)
        }
    }

    /// Jobs whose worker died during their last allowed attempt will not be claimed again: mark them dead.
    private func buryExpired(now: Date, sql: any SQLDatabase) async throws {
        try await sql.raw(
            """
            UPDATE jobs SET status = \(bind: JobStatus.dead.rawValue),
                   last_error = \(bind: "the worker stopped responding (its lease ran out) on the last attempt"),
                   locked_by = NULL, lock_token = NULL, locked_until = NULL, finished_at = \(bind: now),
                   updated_at = \(bind: now)
            WHERE status = \(bind: JobStatus.running.rawValue) AND locked_until < \(bind: now)
              AND attempts >= max_attempts
            """
        ).run()
    }

    // MARK: - Running

    /// Runs the handler while renewing the lease, then records success, a retry, or death.
    func execute(_ job: ClaimedJob) async {
        let start = clock.now()
        var jobLogger = logger
        jobLogger[metadataKey: "job_id"] = "\(job.id)"
        jobLogger[metadataKey: "job"] = .string(job.name)
        guard let entry = application.jobs.entry(named: job.name) else {
            await settle(
                job, outcome: .failure(JobFailure.permanent("no handler is registered for job \"\(job.name)\"")),
                logger: jobLogger)
            return
        }
        let context = JobContext(
            application: application, jobID: job.id, attempt: job.attempt, now: start, logger: jobLogger)
        let heartbeat = Task { await renewLease(of: job) }
        let outcome: Result<JSONValue?, any Error>
        do {
            outcome = .success(try await entry.handler(job.payload, context))
        } catch {
            outcome = .failure(error)
        }
        heartbeat.cancel()
        await settle(job, outcome: outcome, logger: jobLogger)
    }

    private func renewLease(of job: ClaimedJob) async {
        let interval = max(settings.leaseDuration / 3, 0.05)
        while !Task.isCancelled {
            do {
                try await Task.sleep(nanoseconds: UInt64(interval * 1_000_000_000))
            } catch {
                return
            }
            let now = clock.now()
            do {
                try await serialized { sql in
                    try await sql.raw(
                        """
                        UPDATE jobs SET locked_until = \(bind: now.addingTimeInterval(settings.leaseDuration))
                        WHERE id = \(bind: job.id) AND lock_token = \(bind: job.token)
                          AND status = \(bind: JobStatus.running.rawValue)
                        """
                    ).run()
                }
            } catch {
                logger.warning("job lease renewal failed", metadata: ["job_id": "\(job.id)", "error": "\(error)"])
            }
        }
    }

    private func settle(_ job: ClaimedJob, outcome: Result<JSONValue?, any Error>, logger: Logger) async {
        let now = clock.now()
        do {
            let settled: Bool
            switch outcome {
            case .success(let result):
                settled = try await finish(
                    job, status: .succeeded, result: result?.jsonText, error: "", runAt: nil, now: now)
                if settled { logger.info("job succeeded", metadata: ["attempt": "\(job.attempt)"]) }
            case .failure(let error):
                let message = String(String(describing: error).prefix(2000))
                let permanent = error is JobFailure
                if permanent || job.attempt >= job.maxAttempts {
                    settled = try await finish(job, status: .dead, result: nil, error: message, runAt: nil, now: now)
                    if settled {
                        logger.error("job is dead", metadata: ["attempt": "\(job.attempt)", "error": .string(message)])
                    }
                } else {
                    let delay = Self.backoff(
                        afterAttempt: job.attempt, base: settings.backoffBase, limit: settings.backoffLimit)
                    settled = try await finish(
                        job, status: .queued, result: nil, error: message, runAt: now.addingTimeInterval(delay),
                        now: now)
                    if settled {
                        logger.warning(
                            "job failed, will retry",
                            metadata: [
                                "attempt": "\(job.attempt)", "retry_in_s": "\(Int(delay))", "error": .string(message),
                            ])
                    }
                }
            }
            if !settled {
                logger.warning(
                    "job finished after its lease was taken over; result dropped",
                    metadata: ["attempt": "\(job.attempt)"])
            }
        } catch {
            // The lease runs out and the job is retried.
            logger.error("cannot record job outcome", metadata: ["error": "\(error)"])
        }
    }

    /// Writes the outcome if this runner still holds the job; false when the lease was lost.
    private func finish(
        _ job: ClaimedJob, status: JobStatus, result: String?, error: String, runAt: Date?, now: Date
    ) async throws -> Bool {
        try await serialized { sql in
            var query: SQLQueryString = """
                UPDATE jobs SET status = \(bind: status.rawValue), last_error = \(bind: error),
                       locked_by = NULL, lock_token = NULL, locked_until = NULL, updated_at = \(bind: now)
                """
            if let result { query += ", result = \(bind: result)" }
            if let runAt { query += ", run_at = \(bind: runAt)" }
            if status == .succeeded || status == .dead { query += ", finished_at = \(bind: now)" }
            query += """
                 WHERE id = \(bind: job.id) AND lock_token = \(bind: job.token)
                   AND status = \(bind: JobStatus.running.rawValue)
                 RETURNING id
                """
            return try await !sql.raw(query).all().isEmpty
        }
    }

    /// Runs a write on SQLite one at a time with the application's other writers; straight through on PostgreSQL.
    private func serialized<T: Sendable>(
        _ work: @escaping @Sendable (any SQLDatabase) async throws -> T
    ) async throws -> T {
        let application = self.application
        return try await application.writeSerializer.run {
            try await work(try application.db.sql())
        }
    }
}

import Domain
import Foundation
import NIOConcurrencyHelpers
import SQLKit
import Testing
import Vapor

@testable import App

/// A clock tests move by hand.
final class ManualClock: Sendable {
    private let current: NIOLockedValueBox<Date>

    init(_ start: Date = Date(timeIntervalSince1970: 1_750_000_000)) { current = NIOLockedValueBox(start) }

    var now: Date { current.withLockedValue { $0 } }
    func advance(_ seconds: TimeInterval) { current.withLockedValue { $0 = $0.addingTimeInterval(seconds) } }
    var jobClock: JobClock { JobClock { self.now } }
}

/// Counts runs per job id.
final class RunLog: Sendable {
    private let runs = NIOLockedValueBox<[Int: Int]>([:])
    func record(_ id: Int) { runs.withLockedValue { $0[id, default: 0] += 1 } }
    var counts: [Int: Int] { runs.withLockedValue { $0 } }
}

struct FlakyJob: Job {
    static let name = "test.flaky"
    static let maxAttempts = 3
    /// Fails on attempts below this.
    var succeedOnAttempt: Int
}

struct CountingJob: Job {
    static let name = "test.counting"
    var index: Int
}

@Suite("Jobs: retries with back-off, leases, no double runs, schedule, API")
struct JobRunnerTests {
    private func runner(_ t: TestApp, clock: ManualClock, worker: String = "w1", lease: TimeInterval = 60) -> JobRunner
    {
        JobRunner(
            application: t.app,
            settings: JobRunnerSettings(workerID: worker, leaseDuration: lease, backoffBase: 10, backoffLimit: 3600),
            clock: clock.jobClock)
    }

    private func job(
        _ t: TestApp, _ id: Int
    ) async throws -> (status: String, attempts: Int, runAt: Date, error: String) {
        let row = try #require(
            try await (try t.db.sql()).select().columns("status", "attempts", "run_at", "last_error")
                .from("jobs").where("id", .equal, id).first())
        return (
            try row.decode(column: "status", as: String.self), try row.decode(column: "attempts", as: Int.self),
            try row.decode(column: "run_at", as: Date.self), try row.decode(column: "last_error", as: String.self)
        )
    }

    @Test func backoffDoublesUpToTheLimit() {
        #expect(JobRunner.backoff(afterAttempt: 1, base: 10, limit: 3600) == 10)
        #expect(JobRunner.backoff(afterAttempt: 2, base: 10, limit: 3600) == 20)
        #expect(JobRunner.backoff(afterAttempt: 4, base: 10, limit: 3600) == 80)
        #expect(JobRunner.backoff(afterAttempt: 20, base: 10, limit: 3600) == 3600)
    }

    @Test func failuresAreRetriedWithBackoffThenSucceed() async throws {
        try await TestApp.run { t in
            let clock = ManualClock()
            let log = RunLog()
            t.app.jobs.register(FlakyJob.self) { job, context in
                log.record(context.jobID)
                if context.attempt < job.succeedOnAttempt { throw TestFailure("boom \(context.attempt)") }
                return .object(["attempt": .number(Decimal(context.attempt))])
            }
            let id = try #require(try await JobQueue(db: t.db).enqueue(FlakyJob(succeedOnAttempt: 3), runAt: clock.now))
            let runner = runner(t, clock: clock)

            #expect(try await runner.runNext())
            var state = try await job(t, id)
            #expect(state.status == "queued")
            #expect(state.attempts == 1)
            #expect(state.error.contains("boom 1"))
            #expect(abs(state.runAt.timeIntervalSince(clock.now) - 10) < 0.01)
            // Not due yet.
            #expect(try await runner.runNext() == false)
            clock.advance(10)
            #expect(try await runner.runNext())
            state = try await job(t, id)
            #expect(state.attempts == 2)
            #expect(abs(state.runAt.timeIntervalSince(clock.now) - 20) < 0.01)
            clock.advance(19)
            #expect(try await runner.runNext() == false)
            clock.advance(1)
            #expect(try await runner.runNext())
            state = try await job(t, id)
            #expect(state.status == "succeeded")
            #expect(state.attempts == 3)
            #expect(log.counts[id] == 3)
            let result = try await (try t.db.sql()).select().column("result").from("jobs").where("id", .equal, id)
                .first()
            #expect(try result?.decode(column: "result", as: String?.self) == "{\"attempt\":3}")
        }
    }

    @Test func aJobThatKeepsFailingIsDeadAndListedForAdmins() async throws {
        try await TestApp.run { t in
            let clock = ManualClock()
            t.app.jobs.register(FlakyJob.self) { _, _ in throw TestFailure("always") }
            let id = try #require(
                try await JobQueue(db: t.db).enqueue(FlakyJob(succeedOnAttempt: 99), runAt: clock.now))
            let runner = runner(t, clock: clock)
            for _ in 0..<3 {
                #expect(try await runner.runNext())
                clock.advance(3600)
            }
            #expect(try await runner.runNext() == false)
            let state = try await job(t, id)
            #expect(state.status == "dead")
            #expect(state.attempts == 3)

            let (_, admin) = try await t.user(.admin)
            let (_, manager) = try await t.user(.manager)
            let dead = try await t.send(.GET, "/api/v1/jobs/?status=dead", token: admin)
            #expect(dead.status == .ok)
            #expect(dead["count"]?.intValue == 1)
            #expect(dead.results.first?["name"]?.stringValue == "test.flaky")
            #expect(dead.results.first?["last_error"]?.stringValue?.contains("always") == true)
            #expect(dead.results.first?["payload"]?["succeedOnAttempt"]?.intValue == 99)
            let denied = try await t.send(.GET, "/api/v1/jobs/?status=dead", token: manager)
            #expect(denied.status == .forbidden)
            #expect(try await t.send(.GET, "/api/v1/jobs/").status == .unauthorized)
            #expect(try await t.send(.GET, "/api/v1/jobs/?status=zombie", token: admin).status == .badRequest)
            #expect(try await t.send(.POST, "/api/v1/jobs/\(id)/retry/", token: manager).status == .forbidden)
            #expect(try await t.send(.GET, "/api/v1/jobs/\(id)/", token: manager).status == .forbidden)
            #expect(try await t.send(.GET, "/api/v1/jobs/\(id)/").status == .unauthorized)
            #expect(try await t.send(.POST, "/api/v1/jobs/\(id)/retry/").status == .unauthorized)
            #expect(try await t.send(.GET, "/api/v1/jobs/999999/", token: admin).status == .notFound)

            let retried = try await t.send(.POST, "/api/v1/jobs/\(id)/retry/", token: admin)
            #expect(retried.status == .ok)
            #expect(retried.string("status") == "queued")
            #expect(retried["attempts"]?.intValue == 0)
            #expect(try await t.send(.POST, "/api/v1/jobs/\(id)/retry/", token: admin).status == .badRequest)
            #expect(try await t.send(.GET, "/api/v1/jobs/\(id)/", token: admin).string("status") == "queued")
        }
    }

    @Test func unknownJobsAndBadPayloadsDieAtOnce() async throws {
        try await TestApp.run { t in
            let clock = ManualClock()
            let queue = JobQueue(db: t.db)
            let unknown = try #require(
                try await queue.enqueue(
                    name: "test.nobody", payload: "{}", maxAttempts: 5, runAt: clock.now, uniqueKey: nil))
            t.app.jobs.register(FlakyJob.self) { _, _ in nil }
            let garbled = try #require(
                try await queue.enqueue(
                    name: FlakyJob.name, payload: "{\"x\":1}", maxAttempts: 5, runAt: clock.now, uniqueKey: nil))
            let runner = runner(t, clock: clock)
            while try await runner.runNext() {}
            #expect(try await job(t, unknown).status == "dead")
            #expect(try await job(t, unknown).error.contains("no handler"))
            #expect(try await job(t, garbled).status == "dead")
            #expect(try await job(t, garbled).attempts == 1)
        }
    }

    @Test func aJobWhoseWorkerDiedIsRetriedAfterTheLeaseRunsOut() async throws {
        try await TestApp.run { t in
            let clock = ManualClock()
            let log = RunLog()
            t.app.jobs.register(CountingJob.self) { _, context in
                log.record(context.jobID)
                return nil
            }
            let id = try #require(try await JobQueue(db: t.db).enqueue(CountingJob(index: 1), runAt: clock.now))
            let dying = runner(t, clock: clock, worker: "dying", lease: 60)
            let survivor = runner(t, clock: clock, worker: "survivor", lease: 60)
            // The first worker claims the job and dies without finishing it.
            let lost = try #require(try await dying.claim())
            #expect(lost.id == id)
            #expect(try await survivor.claim() == nil)
            clock.advance(59)
            #expect(try await survivor.claim() == nil)
            clock.advance(2)
            let reclaimed = try #require(try await survivor.claim())
            #expect(reclaimed.id == id)
            #expect(reclaimed.attempt == 2)
            await survivor.execute(reclaimed)
            #expect(try await job(t, id).status == "succeeded")
            // The dead worker's late report is ignored.
            await dying.execute(lost)
            #expect(try await job(t, id).status == "succeeded")
            #expect(try await job(t, id).attempts == 2)
        }
    }

    @Test func aLeaseThatRunsOutOnTheLastAttemptBuriesTheJob() async throws {
        try await TestApp.run { t in
            let clock = ManualClock()
            t.app.jobs.register(FlakyJob.self) { _, _ in nil }
            let id = try #require(try await JobQueue(db: t.db).enqueue(FlakyJob(succeedOnAttempt: 1), runAt: clock.now))
            let runner = runner(t, clock: clock, lease: 30)
            for _ in 0..<3 {
                #expect(try await runner.claim() != nil)
                clock.advance(31)
            }
            #expect(try await runner.claim() == nil)
            let state = try await job(t, id)
            #expect(state.status == "dead")
            #expect(state.error.contains("lease"))
        }
    }

    @Test func aRunningJobRenewsItsLease() async throws {
        try await TestApp.run { t in
            t.app.jobs.register(CountingJob.self) { _, _ in
                try await Task.sleep(nanoseconds: 2_400_000_000)
                return nil
            }
            let id = try #require(try await JobQueue(db: t.db).enqueue(CountingJob(index: 1)))
            // A lease renewed every 0.5 s: the check below has over a second of slack for a loaded machine.
            let runner = JobRunner(application: t.app, settings: JobRunnerSettings(workerID: "w", leaseDuration: 1.5))
            let claimed = try #require(try await runner.claim())
            let running = Task { await runner.execute(claimed) }
            try await Task.sleep(nanoseconds: 1_800_000_000)
            // Past the original lease, but renewed: nobody else may take it.
            let other = JobRunner(application: t.app, settings: JobRunnerSettings(workerID: "x", leaseDuration: 1.5))
            #expect(try await other.claim() == nil)
            await running.value
            #expect(try await job(t, id).status == "succeeded")
        }
    }

    @Test func concurrentClaimersNeverRunAJobTwice() async throws {
        try await TestApp.run { t in
            let log = RunLog()
            t.app.jobs.register(CountingJob.self) { _, context in
                log.record(context.jobID)
                try await Task.sleep(nanoseconds: UInt64.random(in: 0...2_000_000))
                return nil
            }
            let total = 200
            var ids: [Int] = []
            for index in 0..<total {
                ids.append(try #require(try await JobQueue(db: t.db).enqueue(CountingJob(index: index))))
            }
            let runners = (0..<8).map { number in
                JobRunner(application: t.app, settings: JobRunnerSettings(workerID: "w\(number)", leaseDuration: 60))
            }
            let perWorker = try await withThrowingTaskGroup(of: Int.self) { group in
                for runner in runners {
                    group.addTask {
                        var ran = 0
                        while try await runner.runNext() { ran += 1 }
                        return ran
                    }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(perWorker.reduce(0, +) == total)
            let counts = log.counts
            #expect(counts.count == total)
            #expect(counts.values.allSatisfy { $0 == 1 })
            #expect(Set(counts.keys) == Set(ids))
            #expect(try await t.count("jobs", where: "status", equals: "succeeded") == total)
            if TestApp.usesPostgres {
                // More than one worker really took part.
                #expect(perWorker.filter { $0 > 0 }.count > 1)
            }
        }
    }

    @Test func theWorkerLoopRunsJobsInProcessAndStopsCleanly() async throws {
        try await TestApp.run { t in
            let log = RunLog()
            t.app.jobs.register(CountingJob.self) { _, context in
                log.record(context.jobID)
                return nil
            }
            t.app.jobSchedule = JobSchedule(entries: [])
            var settings = JobWorker.Settings()
            settings.pollInterval = 0.02
            settings.concurrency = 3
            let worker = JobWorker(application: t.app, settings: settings)
            worker.start()
            for index in 0..<20 { try await JobQueue(db: t.db).enqueue(CountingJob(index: index)) }
            // Returns as soon as all 20 ran; the long deadline is for a loaded machine (the whole suite runs in
            // parallel on 2 cores, where 4 s was sometimes not enough for the in-process worker).
            let deadline = Date().addingTimeInterval(30)
            while log.counts.count < 20, Date() < deadline { try await Task.sleep(nanoseconds: 20_000_000) }
            await worker.stop()
            #expect(log.counts.count == 20)
            #expect(log.counts.values.allSatisfy { $0 == 1 })
        }
    }

    @Test func scheduleEnqueuesEachSlotOnceHoweverManyWorkersLook() async throws {
        try await TestApp.run { t in
            let moscow = try #require(TimeZone(identifier: "Europe/Moscow"))
            let schedule = JobSchedule.standard
            // 2025-06-10 01:30 MSK: the daily jobs' current slots are the 9th's (02:00 and 08:00 have not come yet).
            let night = try #require(ISOTime.parse("2025-06-10T01:30:00+03:00", defaultTimeZone: moscow))
            let backup = try #require(schedule.entries.first { $0.name == "backup.nightly" })
            #expect(JobSchedule.slot(of: backup, at: night, timeZone: moscow)?.key == "backup.nightly@2025-06-09")
            let later = night.addingTimeInterval(3600)
            #expect(JobSchedule.slot(of: backup, at: later, timeZone: moscow)?.key == "backup.nightly@2025-06-10")
            let cleanup = try #require(schedule.entries.first { $0.name == "maintenance.cleanup" })
            #expect(
                JobSchedule.slot(of: cleanup, at: night, timeZone: moscow)?.key
                    == JobSchedule.slot(of: cleanup, at: night.addingTimeInterval(1799), timeZone: moscow)?.key)

            let added = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<4 { group.addTask { try await schedule.enqueueDue(on: t.app, now: later) } }
                return try await group.reduce(0, +)
            }
            #expect(added == 3)
            #expect(try await t.count("jobs") == 3)
            #expect(try await schedule.enqueueDue(on: t.app, now: later.addingTimeInterval(60)) == 0)
            #expect(try await schedule.enqueueDue(on: t.app, now: later.addingTimeInterval(3600)) == 1)
            #expect(
                Set(t.app.jobs.names).isSuperset(of: ["maintenance.cleanup", "finance.debt_digest", "backup.nightly"]))
        }
    }

    @Test func cleanupRemovesOnlyWhatExpired() async throws {
        try await TestApp.run { t in
            let (user, _) = try await t.user(.manager)
            let userID = try #require(user.id)
            let sql = try t.db.sql()
            let now = Date()
            for (id, expires) in [("old", now.addingTimeInterval(-60)), ("live", now.addingTimeInterval(3600))] {
                try await sql.insert(into: "refresh_tokens").columns("id", "user_id", "expires_at", "created_at")
                    .values(SQLBind(id), SQLBind(userID), SQLBind(expires), SQLBind(now)).run()
            }
            for (phone, age) in [("+79000000001", 90_000.0), ("+79000000002", 3600.0)] {
                try await sql.insert(into: "login_attempts").columns("phone", "ip", "succeeded", "created_at")
                    .values(SQLBind(phone), SQLBind("127.0.0.1"), SQLBind(false), SQLBind(now.addingTimeInterval(-age)))
                    .run()
            }
            for (key, age) in [("stale", 49 * 3600.0), ("fresh", 3600.0)] {
                try await sql.insert(into: "idempotency_keys")
                    .columns("user_id", "key", "method", "path", "request_hash", "status", "created_at")
                    .values(
                        SQLBind(userID), SQLBind(key), SQLBind("POST"), SQLBind("/x"), SQLBind("h"), SQLBind(200),
                        SQLBind(now.addingTimeInterval(-age))
                    ).run()
            }
            let tokensBefore = try await t.count("refresh_tokens")
            let id = try #require(try await JobQueue(db: t.db).enqueue(MaintenanceCleanupJob()))
            #expect(try await JobRunner(application: t.app).runNext())
            #expect(try await job(t, id).status == "succeeded")
            #expect(try await t.count("refresh_tokens", where: "id", equals: "old") == 0)
            #expect(try await t.count("refresh_tokens", where: "id", equals: "live") == 1)
            #expect(try await t.count("refresh_tokens") == tokensBefore - 1)
            #expect(try await t.count("login_attempts", where: "phone", equals: "+79000000001") == 0)
            #expect(try await t.count("login_attempts", where: "phone", equals: "+79000000002") == 1)
            #expect(try await t.count("idempotency_keys", where: "key", equals: "stale") == 0)
            #expect(try await t.count("idempotency_keys", where: "key", equals: "fresh") == 1)
        }
    }

    @Test func debtDigestReachesAdminsAndTheNightlyBackupRuns() async throws {
        try await TestApp.run { t in
            let data = try await t.buildWorkedExample()
            _ = try await t.send(
                .POST, "/api/v1/payments/", token: data.accountant,
                json: [
                    "order": data.orderB, "amount": "21700", "status": "success",
                ])
            let queue = JobQueue(db: t.db)
            let digest = try #require(try await queue.enqueue(DebtDigestJob()))
            let backup = try #require(try await queue.enqueue(NightlyBackupJob()))
            let runner = JobRunner(application: t.app)
            while try await runner.runNext() {}
            let reply = try await t.send(.GET, "/api/v1/jobs/\(digest)/", token: data.admin)
            #expect(reply.string("status") == "succeeded")
            let result = try #require(reply["result"])
            #expect(result["total_debt"]?.stringValue == "88615.00")
            #expect(result["clients"]?.arrayValue.count == 1)
            #expect(result["clients"]?.arrayValue.first?["debt"]?.stringValue == "88615.00")
            #expect(result["clients"]?.arrayValue.first?["ageing"]?["90_plus"]?.stringValue == "88615.00")
            #expect(result["recipients"]?.arrayValue.count == 1)
            let backupReply = try await t.send(.GET, "/api/v1/jobs/\(backup)/", token: data.admin)
            #expect(backupReply.string("status") == "succeeded")
            #expect(backupReply["result"]?["status"]?.stringValue == "ok")
            let file = try #require(backupReply["result"]?["file"]?.stringValue)
            #expect(FileManager.default.fileExists(atPath: file))
            // The digest also reached the admins' in-app inbox.
            #expect(try await t.count("notifications") >= 1)
        }
    }
}

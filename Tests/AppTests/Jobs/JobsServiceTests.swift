import Foundation
import SQLKit
import Testing

@testable import App

/// `JobsService` without HTTP: only a dead job is run again, from zero attempts, and the retry is audited.
@Suite("Jobs: retrying dead jobs (service)")
struct JobsServiceTests {
    static func job(_ t: TestApp, status: String) async throws -> Int {
        let now = Date()
        let row = try await t.db.sql().insert(into: "jobs")
            .columns("name", "status", "attempts", "run_at", "last_error", "created_at", "updated_at")
            .values(
                SQLBind("test.counting"), SQLBind(status), SQLBind(3), SQLBind(now), SQLBind("boom"), SQLBind(now),
                SQLBind(now)
            )
            .returning("id").first()
        return try #require(try row?.decode(column: "id", as: Int.self))
    }

    @Test func onlyADeadJobIsRetried() async throws {
        try await TestApp.run { t in
            // setup
            let (admin, _) = try await t.user(.admin)
            let service = JobsService(context: try t.services(as: admin))
            let dead = try await Self.job(t, status: "dead")
            let running = try await Self.job(t, status: "running")
            // MUT + validate
            let retried = try await service.retry(dead)
            #expect(retried.status == "queued")
            #expect(retried.attempts == 0)
            await #expect(throws: JobsError.notDead) { try await service.retry(running) }
            await #expect(throws: JobsError.notFound) { try await service.retry(running + 100) }
            #expect(try await service.job(running).status == "running")
            #expect(try await service.count(.init(status: .queued)) == 1)
            #expect(try await t.count("audit_entries", where: "entity_type", equals: "job") == 1)
        }
    }
}

import Foundation
import SQLKit
import Vapor

/// What the background workers did, for admins: jobs by status and name, and running a dead job again.
struct JobsService {
    let context: ServiceContext

    struct Filter: Sendable {
        var status: JobStatus?
        var name: String?
    }

    /// One job, as stored.
    struct Job: Decodable, Sendable {
        var id: Int
        var name: String
        var payload: String
        var status: String
        var attempts: Int
        var max_attempts: Int
        var run_at: Date?
        var locked_by: String?
        var locked_until: Date?
        var last_error: String
        var result: String?
        var unique_key: String?
        var created_at: Date?
        var updated_at: Date?
        var finished_at: Date?
    }

    private static let columns = """
        id, name, payload, status, attempts, max_attempts, run_at, locked_by, locked_until, last_error, result, \
        unique_key, created_at, updated_at, finished_at
        """

    private func condition(_ filter: Filter) -> SQLQueryString {
        var condition: SQLQueryString = "1 = 1"
        if let status = filter.status { condition += " AND status = \(bind: status.rawValue)" }
        if let name = filter.name { condition += " AND name = \(bind: name)" }
        return condition
    }

    func count(_ filter: Filter) async throws -> Int {
        var query: SQLQueryString = "SELECT COUNT(*) AS n FROM jobs WHERE "
        query += condition(filter)
        return try await context.db.sql().raw(query).first()?.decode(column: "n", as: Int.self) ?? 0
    }

    /// Most recently changed first.
    func jobs(_ filter: Filter, limit: Int, offset: Int) async throws -> [Job] {
        var query: SQLQueryString = "SELECT \(unsafeRaw: Self.columns) FROM jobs WHERE "
        query += condition(filter)
        query += " ORDER BY updated_at DESC, id DESC LIMIT \(literal: limit) OFFSET \(literal: offset)"
        return try await context.db.sql().raw(query).all(decoding: Job.self)
    }

    func job(_ id: Int) async throws -> Job {
        let query: SQLQueryString = "SELECT \(unsafeRaw: Self.columns) FROM jobs WHERE id = \(bind: id)"
        guard let job = try await context.db.sql().raw(query).first(decoding: Job.self) else {
            throw JobsError.notFound
        }
        return job
    }

    /// A dead job starts over (attempts from zero), now; only dead jobs can be retried.
    func retry(_ id: Int) async throws -> Job {
        let (db, now) = (context.db, context.now())
        let retried = try await context.writes.run {
            try await db.sql().raw(
                """
                UPDATE jobs SET status = \(bind: JobStatus.queued.rawValue), attempts = 0, run_at = \(bind: now),
                       finished_at = NULL, updated_at = \(bind: now)
                WHERE id = \(bind: id) AND status = \(bind: JobStatus.dead.rawValue) RETURNING id
                """
            ).all()
        }
        if retried.isEmpty {
            _ = try await job(id)
            throw JobsError.notDead
        }
        try await context.audit().record(
            .update, entity: "job", id: String(id),
            changes: ["status": .object(["from": .string("dead"), "to": .string("queued")])])
        return try await job(id)
    }
}

/// What the jobs rules refuse.
enum JobsError: APIMappedError, Sendable, Equatable {
    case notFound
    /// Only a dead job can be run again.
    case notDead

    var apiError: any Error {
        switch self {
        case .notFound: APIError.notFound()
        case .notDead: APIError.badRequest("Повторить можно только задачу в статусе dead.")
        }
    }
}

extension Request {
    var jobsAdmin: JobsService {
        get throws { JobsService(context: try services) }
    }
}

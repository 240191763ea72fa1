import Foundation
import SQLKit
import Vapor

/// `/api/v1/jobs/` for admins: what the background workers did, above all the dead jobs
/// (`?status=dead`), and a way to run a dead job again.
struct JobsAPIController {
    @Sendable func list(req: Request) async throws -> Response {
        let page = try PageRequest(request: req)
        var errors: [String: [String]] = [:]
        var filter: SQLQueryString = "1 = 1"
        if let raw: String = req.queryValues["status"], !raw.isEmpty {
            if let status = JobStatus(rawValue: raw.lowercased()) {
                filter += " AND status = \(bind: status.rawValue)"
            } else {
                errors["status", default: []].append(FieldMessage.choice(raw))
            }
        }
        if let name: String = req.queryValues["name"], !name.isEmpty { filter += " AND name = \(bind: name)" }
        if !errors.isEmpty { throw FieldErrors(errors) }
        let sql = try req.db.sql()
        var countQuery: SQLQueryString = "SELECT COUNT(*) AS n FROM jobs WHERE "
        countQuery += filter
        let count = try await sql.raw(countQuery).first()?.decode(column: "n", as: Int.self) ?? 0
        try PageLinks.checkInRange(page, count: count)
        var query: SQLQueryString = "SELECT \(unsafeRaw: Self.columns) FROM jobs WHERE "
        query += filter
        query += " ORDER BY updated_at DESC, id DESC LIMIT \(literal: page.size) OFFSET \(literal: page.offset)"
        let rows = try await sql.raw(query).all()
        let links = PageLinks.links(for: req, page: page, count: count)
        let timeZone = req.application.config.timeZone
        var writer = JSONWriter(capacity: 16 * 1024)
        writer.beginPage(count: count, links: links)
        for row in rows { try Self.write(row, timeZone: timeZone, into: &writer) }
        writer.endPage()
        return FinanceJSON.response(writer)
    }

    @Sendable func show(req: Request) async throws -> Response {
        let id = try req.intParameter()
        guard
            let row = try await (try req.db.sql()).raw(
                "SELECT \(unsafeRaw: Self.columns) FROM jobs WHERE id = \(bind: id)"
            ).first()
        else { throw APIError.notFound() }
        var writer = JSONWriter()
        try Self.write(row, timeZone: req.application.config.timeZone, into: &writer)
        return FinanceJSON.response(writer)
    }

    /// `POST /jobs/{id}/retry/`: a dead job starts over (attempts from zero), now.
    @Sendable func retry(req: Request) async throws -> Response {
        let id = try req.intParameter()
        let now = Date()
        let retried = try await req.application.writeSerializer.run {
            try await (try req.db.sql()).raw(
                """
                UPDATE jobs SET status = \(bind: JobStatus.queued.rawValue), attempts = 0, run_at = \(bind: now),
                       finished_at = NULL, updated_at = \(bind: now)
                WHERE id = \(bind: id) AND status = \(bind: JobStatus.dead.rawValue) RETURNING id
                """
            ).all()
        }
        if retried.isEmpty {
            guard try await (try req.db.sql()).raw("SELECT id FROM jobs WHERE id = \(bind: id)").first() != nil else {
                throw APIError.notFound()
            }
            throw APIError.badRequest("Повторить можно только задачу в статусе dead.")
        }
        try await AuditRecorder(request: req).record(
            .update, entity: "job", id: String(id),
            changes: ["status": .object(["from": .string("dead"), "to": .string("queued")])])
        return try await show(req: req)
    }

    private static let columns = """
        id, name, payload, status, attempts, max_attempts, run_at, locked_by, locked_until, last_error, result, \
        unique_key, created_at, updated_at, finished_at
        """

    private static func write(_ row: any SQLRow, timeZone: TimeZone, into writer: inout JSONWriter) throws {
        func time(_ column: String) throws -> String? {
            try row.decode(column: column, as: Date?.self).map { ISOTime.format($0, in: timeZone) }
        }
        writer.beginObject()
        writer.field("id", try row.decode(column: "id", as: Int.self))
        writer.field("name", try row.decode(column: "name", as: String.self))
        writer.field("status", try row.decode(column: "status", as: String.self))
        writer.field("attempts", try row.decode(column: "attempts", as: Int.self))
        writer.field("max_attempts", try row.decode(column: "max_attempts", as: Int.self))
        writer.field("run_at", try time("run_at"))
        writer.field("locked_by", try row.decode(column: "locked_by", as: String?.self))
        writer.field("locked_until", try time("locked_until"))
        writer.field("last_error", try row.decode(column: "last_error", as: String.self))
        writer.rawField("payload", try row.decode(column: "payload", as: String.self), fallback: "{}")
        writer.rawField("result", try row.decode(column: "result", as: String?.self) ?? "null")
        writer.field("unique_key", try row.decode(column: "unique_key", as: String?.self))
        writer.field("created_at", try time("created_at"))
        writer.field("updated_at", try time("updated_at"))
        writer.field("finished_at", try time("finished_at"))
        writer.endObject()
    }
}

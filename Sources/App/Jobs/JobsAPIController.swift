import Foundation
import SQLKit
import Vapor

/// `/api/v1/jobs/` for admins: what the background workers did, above all the dead jobs
/// (`?status=dead`), and a way to run a dead job again.
struct JobsAPIController {
    @Sendable func list(req: Request) async throws -> Response {
        let service = try req.jobsAdmin
        let page = try PageRequest(request: req)
        var filter = JobsService.Filter()
        if let raw: String = req.queryValues["status"], !raw.isEmpty {
            guard let status = JobStatus(rawValue: raw.lowercased()) else {
                throw FieldErrors("status", FieldMessage.choice(raw))
            }
            filter.status = status
        }
        if let name: String = req.queryValues["name"], !name.isEmpty { filter.name = name }
        let count = try await service.count(filter)
        try PageLinks.checkInRange(page, count: count)
        let jobs = try await service.jobs(filter, limit: page.size, offset: page.offset)
        let links = PageLinks.links(for: req, page: page, count: count)
        let timeZone = req.application.config.timeZone
        var writer = JSONWriter(capacity: 16 * 1024)
        writer.beginPage(count: count, links: links)
        for job in jobs { Self.write(job, timeZone: timeZone, into: &writer) }
        writer.endPage()
        return FinanceJSON.response(writer)
    }

    @Sendable func show(req: Request) async throws -> Response {
        let service = try req.jobsAdmin
        let id = try req.intParameter()
        return Self.response(try await service.job(id), req: req)
    }

    /// `POST /jobs/{id}/retry/`: a dead job starts over (attempts from zero), now.
    @Sendable func retry(req: Request) async throws -> Response {
        let service = try req.jobsAdmin
        let id = try req.intParameter()
        return Self.response(try await service.retry(id), req: req)
    }

    private static func response(_ job: JobsService.Job, req: Request) -> Response {
        var writer = JSONWriter()
        write(job, timeZone: req.application.config.timeZone, into: &writer)
        return FinanceJSON.response(writer)
    }

    private static func write(_ job: JobsService.Job, timeZone: TimeZone, into writer: inout JSONWriter) {
        func time(_ date: Date?) -> String? { date.map { ISOTime.format($0, in: timeZone) } }
        writer.beginObject()
        writer.field("id", job.id)
        writer.field("name", job.name)
        writer.field("status", job.status)
        writer.field("attempts", job.attempts)
        writer.field("max_attempts", job.max_attempts)
        writer.field("run_at", time(job.run_at))
        writer.field("locked_by", job.locked_by)
        writer.field("locked_until", time(job.locked_until))
        writer.field("last_error", job.last_error)
        writer.rawField("payload", job.payload, fallback: "{}")
        writer.rawField("result", job.result ?? "null")
        writer.field("unique_key", job.unique_key)
        writer.field("created_at", time(job.created_at))
        writer.field("updated_at", time(job.updated_at))
        writer.field("finished_at", time(job.finished_at))
        writer.endObject()
    }
}

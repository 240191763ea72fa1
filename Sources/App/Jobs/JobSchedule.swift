import Foundation
import Vapor

/// Jobs that run on a timetable. Every worker checks the schedule now and then and enqueues the current slot
/// of each entry with a unique key (`<name>@<slot>`), so however many workers run, each slot runs once; a slot
/// missed while nothing was running is enqueued when a worker next looks.
struct JobSchedule: Sendable {
    enum Cadence: Sendable, Equatable {
        /// Every `interval` seconds, slots aligned to the Unix epoch (hourly jobs run at :00).
        case every(TimeInterval)
        /// Once a day at this local time in the company time zone.
        case daily(hour: Int, minute: Int)
    }

    struct Entry: Sendable {
        var name: String
        var cadence: Cadence
        var payload: String = "{}"
        var maxAttempts: Int = 5
    }

    var entries: [Entry]

    /// The standard timetable (DEPLOY.md, «5. Schedules», lists the original's, which had no periodic jobs
    /// at all).
    static let standard = JobSchedule(entries: [
        Entry(name: MaintenanceCleanupJob.name, cadence: .every(3600), maxAttempts: MaintenanceCleanupJob.maxAttempts),
        Entry(name: DebtDigestJob.name, cadence: .daily(hour: 8, minute: 0), maxAttempts: DebtDigestJob.maxAttempts),
        Entry(
            name: NightlyBackupJob.name, cadence: .daily(hour: 2, minute: 0),
            maxAttempts: NightlyBackupJob.maxAttempts),
    ])

    /// The standard timetable and, on PostgreSQL, the refresh of the stored order JSON
    /// (docs/architecture.md#stored-order-json).
    static func standard(usesPostgres: Bool) -> JobSchedule {
        guard usesPostgres else { return standard }
        let refresh = Entry(
            name: StoredOrderJSONRefreshJob.name, cadence: .every(600),
            maxAttempts: StoredOrderJSONRefreshJob.maxAttempts)
        return JobSchedule(entries: standard.entries + [refresh])
    }

    /// The slot of `entry` current at `now`: its unique key and when it was due.
    static func slot(of entry: Entry, at now: Date, timeZone: TimeZone) -> (key: String, dueAt: Date)? {
        switch entry.cadence {
        case .every(let interval):
            guard interval > 0 else { return nil }
            let index = (now.timeIntervalSince1970 / interval).rounded(.down)
            return ("\(entry.name)@\(Int64(index))", Date(timeIntervalSince1970: index * interval))
        case .daily(let hour, let minute):
            let today = ISOTime.day(of: now, in: timeZone)
            guard let due = time(hour: hour, minute: minute, on: today, timeZone: timeZone) else { return nil }
            if now >= due { return ("\(entry.name)@\(today)", due) }
            guard let parts = ISOTime.parseDay(today) else { return nil }
            let (year, month, day) = ISOTime.civilDate(
                fromDays: ISOTime.daysFromCivil(year: parts.year, month: parts.month, day: parts.day) - 1)
            let yesterday = String(format: "%04d-%02d-%02d", year, month, day)
            guard let previous = time(hour: hour, minute: minute, on: yesterday, timeZone: timeZone) else { return nil }
            return ("\(entry.name)@\(yesterday)", previous)
        }
    }

    private static func time(hour: Int, minute: Int, on day: String, timeZone: TimeZone) -> Date? {
        ISOTime.parse(String(format: "%@T%02d:%02d:00", day, hour, minute), defaultTimeZone: timeZone)
    }

    /// Enqueues every entry's current slot that is not queued yet; returns how many were added.
    @discardableResult
    func enqueueDue(on application: Application, now: Date) async throws -> Int {
        var added = 0
        let timeZone = application.config.timeZone
        for entry in entries {
            guard let slot = Self.slot(of: entry, at: now, timeZone: timeZone) else { continue }
            let id = try await application.writeSerializer.run {
                try await JobQueue(db: application.db).enqueue(
                    name: entry.name, payload: entry.payload, maxAttempts: entry.maxAttempts, runAt: slot.dueAt,
                    uniqueKey: slot.key)
            }
            if id != nil { added += 1 }
        }
        return added
    }
}

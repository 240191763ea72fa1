import Fluent
import Foundation
import SQLKit
import Vapor

/// Backups of the configured database, written into `RINGO_BACKUP_DIR`:
/// a `pg_dump --format=custom` archive on PostgreSQL, a `VACUUM INTO` copy on SQLite. Both are consistent
/// snapshots taken while the application keeps serving.
public enum Backup {
    /// Writes a backup of the configured database, prunes old backups of the same kind and returns the new file.
    /// `ringo backup` calls this, and so can a nightly job running inside `ringo worker`.
    @discardableResult
    public static func run(app: Application) async throws -> URL {
        try await run(app: app, prune: true)
    }

    static func run(app: Application, prune: Bool, now: Date = Date()) async throws -> URL {
        let config = app.config
        let directory = URL(fileURLWithPath: config.backupDirectory, isDirectory: true)
        // A backup of an empty database would look good and, through retention, push out the real ones.
        guard try await DatabaseContents.tables(try app.db.sql()).contains("_fluent_migrations") else {
            throw OperationsError(
                "the configured database has no Ringo tables (no _fluent_migrations): nothing to back up; "
                    + "check DATABASE_URL / RINGO_DATA_DIR")
        }
        let file: URL
        switch config.database {
        case .postgres(let url):
            file = try await writePostgresDump(
                connection: try PostgresConnectionParameters(url: url), schema: config.postgresSchema,
                serverMajor: try await PostgresTools.serverMajorVersion(on: try app.db.sql()),
                into: directory, at: now)
        case .sqliteFile, .sqliteMemory:
            file = try await writeSQLiteCopy(of: try app.db.sql(), into: directory, at: now)
        }
        var removed: [String] = []
        if prune, let kind = BackupFile(fileName: file.lastPathComponent)?.kind {
            removed = try self.prune(
                directory: directory, kind: kind, keepDaily: config.backupKeepDaily,
                keepWeekly: config.backupKeepWeekly)
        }
        app.logger.info(
            "backup written",
            metadata: [
                "file": "\(file.lastPathComponent)", "bytes": "\(fileSize(file))", "pruned": "\(removed.count)",
            ])
        return file
    }

    // MARK: - Writing

    /// `VACUUM INTO` writes a consistent, compacted copy of the database while others keep reading and writing.
    static func writeSQLiteCopy(of sql: any SQLDatabase, into directory: URL, at date: Date) async throws -> URL {
        try await write(kind: .sqlite, into: directory, at: date) { partial in
            try await sql.raw("VACUUM INTO \(literal: partial.path)").run()
        }
    }

    static func writePostgresDump(
        connection: PostgresConnectionParameters, schema: String?, serverMajor: Int, into directory: URL, at date: Date
    ) async throws -> URL {
        let pgDump = try await PostgresTools.find("pg_dump", serverMajor: serverMajor)
        return try await write(kind: .postgresDump, into: directory, at: date) { partial in
            var arguments = ["--format=custom", "--no-password", "--file=\(partial.path)"]
            if let schema { arguments.append("--schema=\(schema)") }
            arguments.append("--dbname=\(connection.connectionString)")
            try await PostgresTools.run(pgDump, arguments: arguments, environment: connection.environment)
        }
    }

    /// Runs `produce` into a hidden partial file and renames it to its final name only when complete, so a
    /// failed or interrupted backup never looks like a good one (the backup loop picks the newest visible file).
    private static func write(
        kind: BackupFile.Kind, into directory: URL, at date: Date, produce: (URL) async throws -> Void
    ) async throws -> URL {
        let manager = FileManager.default
        do {
            try manager.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw OperationsError("cannot create the backup directory \(directory.path): \(error.localizedDescription)")
        }
        var sequence = 0
        var name = BackupFile(date: date, sequence: sequence, kind: kind).fileName
        while manager.fileExists(atPath: directory.appendingPathComponent(name).path) {
            sequence += 1
            name = BackupFile(date: date, sequence: sequence, kind: kind).fileName
        }
        let final = directory.appendingPathComponent(name)
        let partial = directory.appendingPathComponent(".\(name).partial")
        try? manager.removeItem(at: partial)
        do {
            try await produce(partial)
            try manager.moveItem(at: partial, to: final)
        } catch {
            try? manager.removeItem(at: partial)
            throw error
        }
        return final
    }

    private static func fileSize(_ file: URL) -> Int {
        (try? FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int) ?? 0
    }

    // MARK: - Retention

    /// Deletes backups of `kind` in `directory` that the retention rule does not keep; returns the deleted names.
    /// Files that are not named like a backup are never touched.
    static func prune(directory: URL, kind: BackupFile.Kind, keepDaily: Int, keepWeekly: Int) throws -> [String] {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        let backups = names.compactMap(BackupFile.init(fileName:)).filter { $0.kind == kind }
        let doomed = BackupRetention.filesToDelete(backups, keepDaily: keepDaily, keepWeekly: keepWeekly)
        for file in doomed {
            try FileManager.default.removeItem(at: directory.appendingPathComponent(file.fileName))
        }
        return doomed.map(\.fileName)
    }
}

/// A backup's file name: `ringo-YYYYMMDD-HHMMSS.dump` (PostgreSQL) or `.sqlite`, in UTC; a second backup in
/// the same second gets `-1`, `-2`, … before the extension.
struct BackupFile: Hashable, Sendable {
    enum Kind: String, Sendable { case postgresDump = "dump", sqlite }

    var date: Date
    var sequence: Int
    var kind: Kind

    init(date: Date, sequence: Int = 0, kind: Kind) {
        self.date = date
        self.sequence = sequence
        self.kind = kind
    }

    init?(fileName: String) {
        guard fileName.hasPrefix("ringo-"), let dot = fileName.lastIndex(of: ".") else { return nil }
        guard let kind = Kind(rawValue: String(fileName[fileName.index(after: dot)...])) else { return nil }
        let parts = fileName[fileName.index(fileName.startIndex, offsetBy: 6)..<dot].split(
            separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2 || parts.count == 3, parts[0].count == 8, parts[1].count == 6,
            parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
            let date = Self.stampFormatter.date(from: "\(parts[0])\(parts[1])")
        else { return nil }
        let sequence = parts.count == 3 ? Int(parts[2]) : 0
        guard let sequence else { return nil }
        self.init(date: date, sequence: sequence, kind: kind)
    }

    var fileName: String {
        let stamp = Self.stampFormatter.string(from: date)
        let day = stamp.prefix(8)
        let time = stamp.suffix(6)
        return "ringo-\(day)-\(time)" + (sequence > 0 ? "-\(sequence)" : "") + ".\(kind.rawValue)"
    }

    private static var stampFormatter: DateFormatter {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.calendar = Calendar(identifier: .gregorian)
        formatter.dateFormat = "yyyyMMddHHmmss"
        formatter.isLenient = false
        return formatter
    }
}

/// Which backups to keep: the newest backup of each of the `keepDaily` most recent days that have one, and the
/// newest of each of the `keepWeekly` most recent ISO weeks that have one (days and weeks in UTC, like the
/// names). The two rules are applied independently and a file kept by either stays.
enum BackupRetention {
    static func filesToDelete(
        _ files: [BackupFile], keepDaily: Int, keepWeekly: Int, calendar: Calendar = utcISOCalendar
    ) -> [BackupFile] {
        let newestFirst = files.sorted { ($0.date, $0.sequence) > ($1.date, $1.sequence) }
        var kept = Set<BackupFile>()
        func keepNewest(perPeriod components: Set<Calendar.Component>, count: Int) {
            var periods = Set<DateComponents>()
            for file in newestFirst where periods.count < count {
                if periods.insert(calendar.dateComponents(components, from: file.date)).inserted {
                    kept.insert(file)
                }
            }
        }
        keepNewest(perPeriod: [.year, .month, .day], count: keepDaily)
        keepNewest(perPeriod: [.yearForWeekOfYear, .weekOfYear], count: keepWeekly)
        return newestFirst.filter { !kept.contains($0) }
    }

    static var utcISOCalendar: Calendar {
        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        return calendar
    }
}

/// A failure of an operator command (backup, restore), with a message meant for the operator.
/// Logged at `error`: a failed backup must show up in the logs as one.
public struct OperationsError: DebuggableError, CustomStringConvertible, LocalizedError, Sendable {
    public var description: String
    public var errorDescription: String? { description }
    public var identifier: String { "failed" }
    public var reason: String { description }
    public var logLevel: Logger.Level { .error }
    init(_ description: String) { self.description = description }
}

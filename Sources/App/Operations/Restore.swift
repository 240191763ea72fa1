import Fluent
import FluentSQLiteDriver
import Foundation
import SQLKit
import Vapor

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `ringo restore FILE [--force]`: puts a backup written by `ringo backup` into the configured database, and
/// only into that one. A database that already holds rows is replaced only with `force`, and then a backup of
/// it is written first. Afterwards the migrations run, so an older backup is brought up to this release.
///
/// Stop `ringo serve` and `ringo worker` first. On SQLite the caller must not have opened the application's
/// database yet: the file is replaced underneath, and a pooled connection would keep the old one.
public enum Restore {
    public struct Report: Sendable {
        /// The backup of the replaced database, when it held rows.
        public var safetyBackup: URL?
        /// Migrations recorded in the backup that this release does not know: the backup comes from a newer
        /// release, and this one may not understand all of its data.
        public var unknownMigrations: [String]
    }

    public static func run(app: Application, file: URL, force: Bool) async throws -> Report {
        let kind = try detectKind(of: file)
        var report = Report(safetyBackup: nil, unknownMigrations: [])
        switch app.config.database {
        case .postgres(let url):
            guard kind == .postgresDump else { throw mismatch(kind, database: "PostgreSQL") }
            report.safetyBackup = try await restorePostgres(
                app: app, file: file, connection: try PostgresConnectionParameters(url: url), force: force)
        case .sqliteFile(let path):
            guard kind == .sqlite else { throw mismatch(kind, database: "SQLite") }
            report.safetyBackup = try await restoreSQLite(app: app, file: file, databasePath: path, force: force)
        case .sqliteMemory:
            throw OperationsError("an in-memory database cannot be restored into; configure a database file")
        }
        try await app.migrateWithLock()
        let applied = try await MigrationListing.applied(on: app.db)
        report.unknownMigrations = applied.subtracting(AppMigrations.all.map(\.name)).sorted()
        app.logger.info(
            "backup restored",
            metadata: [
                "file": "\(file.lastPathComponent)",
                "safety_backup": "\(report.safetyBackup?.lastPathComponent ?? "-")",
            ])
        return report
    }

    /// What a backup file holds, from its first bytes (not its name).
    static func detectKind(of file: URL) throws -> BackupFile.Kind {
        let handle: FileHandle
        do {
            handle = try FileHandle(forReadingFrom: file)
        } catch {
            throw OperationsError("cannot read \(file.path): \(error.localizedDescription)")
        }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: 16)) ?? Data()
        if head.starts(with: Data("SQLite format 3\0".utf8)) { return .sqlite }
        if head.starts(with: Data("PGDMP".utf8)) { return .postgresDump }
        throw OperationsError(
            "\(file.lastPathComponent) is not a backup written by `ringo backup` "
                + "(a pg_dump custom-format archive or a SQLite database)")
    }

    private static func mismatch(_ kind: BackupFile.Kind, database: String) -> OperationsError {
        let source = kind == .sqlite ? "a SQLite database" : "a PostgreSQL dump"
        return OperationsError("the backup is \(source), but the configured database is \(database)")
    }

    private static func refusal(_ tablesWithRows: [String]) -> OperationsError {
        let shown = tablesWithRows.prefix(5).joined(separator: ", ") + (tablesWithRows.count > 5 ? ", …" : "")
        return OperationsError(
            "the configured database already holds data (tables with rows: \(shown)); "
                + "run again with --force to replace it (a backup of it is written first)")
    }

    // MARK: - PostgreSQL

    private static func restorePostgres(
        app: Application, file: URL, connection: PostgresConnectionParameters, force: Bool
    ) async throws -> URL? {
        let sql = try app.db.sql()
        let contents = try await DatabaseContents.inspect(sql)
        if !contents.tablesWithRows.isEmpty, !force { throw refusal(contents.tablesWithRows) }
        guard app.config.postgresSchema == nil else {
            throw OperationsError("restoring into a private test schema is not supported")
        }

        // Check the archive before anything is dropped.
        let serverMajor = try await PostgresTools.serverMajorVersion(on: sql)
        let pgRestore = try await PostgresTools.find("pg_restore", serverMajor: serverMajor)
        let listing = try await PostgresTools.run(
            pgRestore, arguments: ["--list", file.path], environment: connection.environment)
        let plan = RestorePlan(listing: listing)
        guard plan.hasMigrationTable else {
            throw OperationsError("\(file.lastPathComponent) holds no _fluent_migrations table: not a Ringo backup")
        }

        var safetyBackup: URL?
        if !contents.tablesWithRows.isEmpty {
            safetyBackup = try await Backup.writePostgresDump(
                connection: connection, schema: nil, serverMajor: serverMajor,
                into: URL(fileURLWithPath: app.config.backupDirectory, isDirectory: true), at: Date())
        }
        // Extensions are shared objects that may belong to another role: they are created when missing, never
        // dropped, and their entries are left out of the archive's table of contents.
        for name in plan.extensions {
            try await sql.raw("CREATE EXTENSION IF NOT EXISTS \(ident: name)").run()
        }
        // Tables of a newer release (not in the backup) would keep --clean from dropping the ones they reference.
        if !contents.tables.isEmpty {
            try await app.db.transaction { db in
                try await db.sql().raw("DROP TABLE IF EXISTS \(idents: contents.tables, joinedBy: ", ") CASCADE").run()
            }
        }

        let listFile = FileManager.default.temporaryDirectory
            .appendingPathComponent("ringo-restore-\(UUID().uuidString).list")
        try Data(plan.tableOfContents.utf8).write(to: listFile)
        defer { try? FileManager.default.removeItem(at: listFile) }
        try await PostgresTools.run(
            pgRestore,
            arguments: [
                "--clean", "--if-exists", "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
                "--no-password", "--use-list=\(listFile.path)", "--dbname=\(connection.connectionString)", file.path,
            ],
            environment: connection.environment)
        return safetyBackup
    }

    /// The table of contents of a custom-format archive (`pg_restore --list`), minus extensions and their comments.
    struct RestorePlan {
        var tableOfContents: String
        var extensions: [String]
        var hasMigrationTable: Bool

        init(listing: String) {
            var kept: [Substring] = []
            var extensions: [String] = []
            var hasMigrationTable = false
            for line in listing.split(separator: "\n", omittingEmptySubsequences: false) {
                // "3; 3079 16385 EXTENSION - btree_gist " / "4201; 0 0 COMMENT - EXTENSION btree_gist "
                // "215; 1259 16386 TABLE public _fluent_migrations postgres"
                let fields = line.split(separator: " ")
                if !line.hasPrefix(";"), fields.count >= 6 {
                    if fields[3] == "EXTENSION" {
                        extensions.append(String(fields[5]))
                        continue
                    }
                    if fields[3] == "COMMENT", fields[5] == "EXTENSION" { continue }
                    if fields[3] == "TABLE", fields[5] == "_fluent_migrations" { hasMigrationTable = true }
                }
                kept.append(line)
            }
            self.tableOfContents = kept.joined(separator: "\n")
            self.extensions = extensions
            self.hasMigrationTable = hasMigrationTable
        }
    }

    // MARK: - SQLite

    private static func restoreSQLite(
        app: Application, file: URL, databasePath: String, force: Bool
    ) async throws
        -> URL?
    {
        let manager = FileManager.default
        let target = URL(fileURLWithPath: databasePath)
        let directory = target.deletingLastPathComponent()
        try manager.createDirectory(at: directory, withIntermediateDirectories: true)

        // The application's own pool is not used: it would keep the replaced file open.
        var existing: SQLiteConnection?
        if manager.fileExists(atPath: target.path) { existing = try await SQLiteFile.open(target, app: app) }
        let staged = directory.appendingPathComponent(".ringo-restore-\(UUID().uuidString).sqlite")
        do {
            var safetyBackup: URL?
            if let existing {
                let contents = try await DatabaseContents.inspect(existing.sql())
                if !contents.tablesWithRows.isEmpty {
                    guard force else { throw refusal(contents.tablesWithRows) }
                }
                try await stageCopy(of: file, at: staged, app: app)
                if !contents.tablesWithRows.isEmpty {
                    safetyBackup = try await Backup.writeSQLiteCopy(
                        of: existing.sql(), into: URL(fileURLWithPath: app.config.backupDirectory, isDirectory: true),
                        at: Date())
                }
                try await existing.close()
            } else {
                try await stageCopy(of: file, at: staged, app: app)
            }
            // rename(2) replaces the file in one step: a reader sees the old database or the new one.
            guard rename(staged.path, target.path) == 0 else {
                throw OperationsError("cannot move the restored database into place at \(target.path)")
            }
            for suffix in ["-wal", "-shm", "-journal"] {
                try? manager.removeItem(atPath: target.path + suffix)  // they belonged to the replaced file
            }
            return safetyBackup
        } catch {
            try? await existing?.close()
            try? manager.removeItem(at: staged)
            throw error
        }
    }

    /// Copies the backup next to the database and checks the copy: an intact SQLite file with Ringo's tables.
    private static func stageCopy(of file: URL, at staged: URL, app: Application) async throws {
        try FileManager.default.copyItem(at: file, to: staged)
        let copy = try await SQLiteFile.open(staged, app: app)
        do {
            let check = try await copy.sql().raw("PRAGMA integrity_check").all()
            let verdict = try check.first?.decode(column: "integrity_check", as: String.self)
            guard check.count == 1, verdict == "ok" else {
                throw OperationsError("\(file.lastPathComponent) is damaged (SQLite integrity check failed)")
            }
            guard try await DatabaseContents.tables(copy.sql()).contains("_fluent_migrations") else {
                throw OperationsError("\(file.lastPathComponent) holds no _fluent_migrations table: not a Ringo backup")
            }
        } catch {
            try? await copy.close()
            throw error
        }
        try await copy.close()
    }
}

/// A connection of its own to a SQLite file, outside the application's pool.
private enum SQLiteFile {
    static func open(_ file: URL, app: Application) async throws -> SQLiteConnection {
        try await SQLiteConnection.open(
            storage: .file(path: file.path), threadPool: app.threadPool, logger: app.logger,
            on: app.eventLoopGroup.any())
    }
}

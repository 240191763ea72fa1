import Foundation
import Vapor

/// `ringo backup`: a consistent snapshot of the configured database into `RINGO_BACKUP_DIR`, then retention
/// (`RINGO_BACKUP_KEEP_DAILY` / `RINGO_BACKUP_KEEP_WEEKLY`). Prints the new file's path.
struct BackupCommand: AsyncCommand {
    struct Signature: CommandSignature {}

    var help: String {
        "Backs up the configured database into RINGO_BACKUP_DIR (pg_dump or a SQLite copy) and prunes old backups."
    }

    func run(using context: CommandContext, signature: Signature) async throws {
        let file = try await Backup.run(app: context.application)
        context.console.print(file.path)
    }
}

/// `ringo restore FILE [--force]`: restores a backup into the configured database (and no other), then migrates.
struct RestoreCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "file", help: "A file written by `ringo backup` (.dump for PostgreSQL, .sqlite for SQLite)")
        var file: String
        @Flag(name: "force", help: "Replace a database that already holds data (a backup of it is written first)")
        var force: Bool
    }

    var help: String {
        "Restores a backup into the configured database, then applies migrations. Stop `ringo serve` first."
    }

    func run(using context: CommandContext, signature: Signature) async throws {
        let file = URL(fileURLWithPath: signature.file)
        let report = try await Restore.run(app: context.application, file: file, force: signature.force)
        if let safety = report.safetyBackup {
            context.console.print("the replaced database was backed up to \(safety.path)")
        }
        if !report.unknownMigrations.isEmpty {
            context.console.warning(
                "the backup comes from a newer release (unknown migrations: "
                    + report.unknownMigrations.joined(separator: ", ") + "); deploy that release")
        }
        context.console.print("restored \(file.lastPathComponent); migrations are up to date")
    }
}

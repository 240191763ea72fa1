import Domain
import FluentPostgresDriver
import Vapor

/// Spreadsheet import on the web («Каталог» → «Импорт», «Клиенты» → «Импорт»; issue #18, docs/import.md),
/// registered by `registerWebRoutes`.
func registerImportPages(_ signedIn: any RoutesBuilder) {
    let imports = ImportWebController()
    let editors = signedIn.grouped(RequireRole(.admin, .manager))
    editors.get("import", ":kind", use: imports.form)
    editors.get("import", ":kind", "template", use: imports.template)
    editors.get("import", ":kind", "export", use: imports.export)
    editors.on(.POST, "import", ":kind", body: .collect(maxSize: "10mb"), use: imports.preview)
    editors.post("import", ":kind", "commit", use: imports.commit)
}

/// `ringo import-original --from postgres://…`: the original system's database into ours (docs/import.md).
struct ImportOriginalCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "from", help: "The original system's PostgreSQL URL")
        var from: String?
        @Option(name: "media", help: "The original's MEDIA_ROOT: the photos' files are copied into our storage")
        var media: String?
    }

    var help: String { "Imports a running original system's PostgreSQL database." }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard let from = signature.from, !from.isEmpty else {
            context.console.error("--from postgres://user@host:port/database is required")
            throw ImportCommandError.usage
        }
        var isFolder: ObjCBool = false
        if let media = signature.media,
            !FileManager.default.fileExists(atPath: media, isDirectory: &isFolder)
                || !isFolder.boolValue
        {
            context.console.error("--media \(media): no such folder")
            throw ImportCommandError.usage
        }
        let app = context.application
        try await app.migrateWithLock()
        let console = context.console
        let report = try await OriginalImport.run(app: app, from: from, media: signature.media) { line in
            console.print(line)
        }
        for line in report.summaryLines { console.print(line) }
    }
}

enum ImportCommandError: Error, CustomStringConvertible {
    case usage

    var description: String { "wrong arguments (see --help)" }
}

/// Connects to the original's database and runs `OriginalImporter` against the application's database.
enum OriginalImport {
    static func run(
        app: Application, from url: String, media: String? = nil, pageSize: Int = 500,
        progress: @escaping @Sendable (String) -> Void
    ) async throws -> ImportReport {
        let settings = try SQLPostgresConfiguration(url: url)
        let connection = try await PostgresConnection.connect(
            on: app.eventLoopGroup.any(), configuration: settings.coreConfiguration, id: 2, logger: app.logger)
        do {
            let importer = OriginalImporter(
                source: FastRows(sql: connection.sql(), postgres: connection), target: app.db,
                writes: app.writeSerializer, timeZone: app.config.timeZone,
                media: media.map {
                    OriginalMedia(
                        directory: URL(fileURLWithPath: $0, isDirectory: true), files: app.fileStorage,
                        maxBytes: app.config.uploadMaxBytes)
                },
                pageSize: pageSize, progress: progress)
            let report = try await importer.run()
            try await AuditRecorder(db: app.db, caller: nil, origin: .system).record(
                .create, entity: "import", id: "original",
                changes: [
                    "read": .number(Decimal(report.readCount)), "imported": .number(Decimal(report.importedCount)),
                ])
            try await connection.close()
            return report
        } catch {
            try? await connection.close()
            throw error
        }
    }
}

/// `ringo import-table KIND FILE`: equipment, services, materials or clients from XLSX or CSV (docs/import.md).
/// Prints every bad row with its reason; saves the good ones in one transaction, as the first active admin.
struct ImportTableCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "kind", help: "equipment, services, materials or clients")
        var kind: String
        @Argument(name: "file", help: "An .xlsx or .csv file")
        var file: String
        @Flag(name: "dry-run", help: "Only check the file: print the bad rows and what would be saved")
        var dryRun: Bool
    }

    var help: String { "Imports equipment, services, materials or clients from a spreadsheet." }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard let kind = ImportKind(rawValue: signature.kind) else {
            context.console.error("KIND is one of: " + ImportKind.allCases.map(\.rawValue).joined(separator: ", "))
            throw ImportCommandError.usage
        }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: signature.file))
        } catch {
            context.console.error("cannot read \(signature.file)")
            throw ImportCommandError.usage
        }
        let app = context.application
        try await app.migrateWithLock()
        guard
            let admin = try await User.query(on: app.db).filter(\.$roleValue == Role.admin.rawValue).filter(
                \.$isActive == true
            )
            .sort(\.$id).first(), let adminID = admin.id
        else {
            context.console.error("no active admin: create one first (ringo create-admin)")
            throw ImportCommandError.usage
        }
        let service = TableImportService(
            context: ServiceContext(app: app, caller: Caller(id: adminID, role: .admin, fullName: admin.fullName)))
        let prepared = try await service.prepare(kind, data: data)
        for problem in prepared.problems { context.console.print("line \(problem.line): \(problem.message)") }
        if signature.dryRun {
            context.console.print(
                "\(kind.rawValue): would create \(prepared.created), update \(prepared.updated); nothing saved")
            return
        }
        let (created, updated) = try await service.commit(prepared)
        context.console.print(
            "\(kind.rawValue): \(created) created, \(updated) updated, "
                + "\(Set(prepared.problems.map(\.line)).count) rows with errors not saved")
    }
}

import Domain
import Vapor

/// Spreadsheet import on the web («Каталог» → «Импорт», «Клиенты» → «Импорт»; issue #18, docs/import.md),
/// registered by `registerWebRoutes`.
func registerImportPages(_ signedIn: any RoutesBuilder) {
}

/// `ringo import-original --from postgres://…`: the original system's database into ours (docs/import.md).
struct ImportOriginalCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "from", help: "The original system's PostgreSQL URL")
        var from: String?
    }

    var help: String { "Imports a running original system's PostgreSQL database." }

    func run(using context: CommandContext, signature: Signature) async throws {
        context.console.print("not yet available")
    }
}

/// `ringo import-table KIND FILE`: equipment, services, materials or clients from XLSX or CSV (docs/import.md).
struct ImportTableCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "kind", help: "equipment, services, materials or clients")
        var kind: String
        @Argument(name: "file", help: "An .xlsx or .csv file")
        var file: String
    }

    var help: String { "Imports equipment, services, materials or clients from a spreadsheet." }

    func run(using context: CommandContext, signature: Signature) async throws {
        context.console.print("not yet available")
    }
}

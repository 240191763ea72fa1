import Fluent
import SQLKit

/// Which row of ours each imported row of the original became (docs/import.md#re-import): a second
/// `ringo import-original` finds every row here and changes nothing.
struct CreateImportMappings: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("import_mappings")
            .field("source_table", .string, .required)
            .field("source_id", .string, .required)
            .field("target_id", .string, .required)
            .field("created_at", .datetime, .required)
            .compositeIdentifier(over: "source_table", "source_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("import_mappings").delete()
    }
}

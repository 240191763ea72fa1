import Fluent
import SQLKit

/// What each imported row of the original looked like (a hash of it, computed by the original's PostgreSQL), so a
/// later `ringo import-original` updates the rows that changed there since (docs/import.md#re-import). Rows
/// imported before this have none; the next run records theirs without changing them.
struct AddImportFingerprints: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("import_mappings").field("fingerprint", .string).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("import_mappings").deleteField("fingerprint").update()
    }
}

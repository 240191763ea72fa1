import Fluent

/// The photo of an expense's receipt kept in the file storage (docs/ui.md#expenses-and-salaries): its key and
/// content type. `attachment_url` stays for a link to a photo kept elsewhere (the original's field).
struct AddExpenseReceipts: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("expenses").field("receipt_key", .string).update()
        try await database.schema("expenses").field("receipt_type", .string).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("expenses").deleteField("receipt_type").update()
        try await database.schema("expenses").deleteField("receipt_key").update()
    }
}

import Fluent

/// Document numbers drawn from gap-free sequences per kind and year (`document_numbers`), and the issued acts
/// with the figures they show (`acts.content`, JSON), so that an act re-renders identically (docs/documents.md).
struct CreateActs: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("document_numbers")
            .field("kind", .string, .required)
            .field("year", .int, .required)
            .field("last", .int, .required)
            .unique(on: "kind", "year")
            .create()
        try await database.schema("acts")
            .field("id", .int, .identifier(auto: true))
            .field("order_id", .string, .required, .references("orders", "id", onDelete: .cascade))
            .field("number", .int, .required)
            .field("year", .int, .required)
            .field("issued_at", .datetime, .required)
            .field("content", .string, .required)
            .unique(on: "order_id")
            .unique(on: "year", "number")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("acts").delete()
        try await database.schema("document_numbers").delete()
    }
}

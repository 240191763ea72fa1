import Fluent

/// The company's requisites for documents: one row per field (`company_profile.field` → `value`), so adding a
/// requisite needs no migration.
struct CreateCompanyProfile: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("company_profile")
            .field("field", .string, .identifier(auto: false))
            .field("value", .string, .required)
            .field("updated_at", .datetime, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("company_profile").delete()
    }
}

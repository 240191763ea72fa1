import Testing

@testable import App

/// Fluent records a migration under its type name (`String(reflecting:)`), so renaming or moving a type into
/// another module would make existing databases run it again. The files are named after the run order
/// (`M001_CreateUsers.swift` …); the names below are the ones databases already hold.
@Suite("Migrations: registered names never change")
struct MigrationNamesTests {
    static let registered = [
        "App.CreateUsers", "App.CreateRefreshTokens", "App.CreateLoginAttempts", "App.CreateAuditEntries",
        "App.CreateCatalog", "App.CreateClients", "App.CreateOrders", "App.AddBookingExclusion",
        "App.CreateFinanceRecords", "App.CreateIdempotencyKeys", "App.CreateOrderPhotos",
        "App.CreateNotificationTables", "App.AddDataVersions", "App.AddOrderItemReportFigures",
        "App.CreateInvoicesAndPayments", "App.CreateJobQueue", "App.AddOrderItemDisplayFigures",
        "App.AddReportIndexes", "App.AddTokenRevocation", "App.CreateAttemptThrottles", "App.CreateCompanyProfile",
        "App.CreateActs", "App.AddMoneyListIndexes", "App.AddExpenseAndSalaryListIndexes",
        "App.AddClientBalances", "App.AddExpenseReceipts", "App.AddOrderStatusTotalsIndex",
        "App.AddOrderVersions",
        "App.CreateCalendarFeeds", "App.AddPlanningIndexes",
        "App.CreateImportMappings",
        "App.AddImportFingerprints",
        "App.AddOrderCounts",
        "App.AddStoredOrderJSON",
    ]

    @Test func theRegisteredNamesAreExactlyTheMergedOnes() {
        let names = AppMigrations.all.map(\.name)
        // A new migration is appended here too; anything else in this diff is a rename or a reorder.
        #expect(names == Self.registered)
    }
}

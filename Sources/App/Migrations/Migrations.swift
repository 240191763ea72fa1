import Fluent

/// Every migration, in the order it runs. A merged migration is never edited; add a new one.
enum AppMigrations {
    static var all: [any Migration] {
        [
            CreateUsers(),
            CreateRefreshTokens(),
            CreateLoginAttempts(),
            CreateAuditEntries(),
            CreateCatalog(),
            CreateClients(),
            CreateOrders(),
            AddBookingExclusion(),
            CreateFinanceRecords(),
            CreateIdempotencyKeys(),
            CreateOrderPhotos(),
            CreateNotificationTables(),
            AddDataVersions(),
            AddOrderItemReportFigures(),
            CreateInvoicesAndPayments(),
            CreateJobQueue(),
            AddOrderItemDisplayFigures(),
            AddReportIndexes(),
            AddTokenRevocation(),
            CreateAttemptThrottles(),
            CreateCompanyProfile(),
            CreateActs(),
            AddMoneyListIndexes(),
            AddExpenseAndSalaryListIndexes(),
            AddClientBalances(),
            AddExpenseReceipts(),
            AddOrderStatusTotalsIndex(),
            AddOrderVersions(),
            CreateCalendarFeeds(),
            AddPlanningIndexes(),
            CreateImportMappings(),
            AddImportFingerprints(),
            AddOrderCounts(),
            AddStoredOrderJSON(),
        ]
    }
}

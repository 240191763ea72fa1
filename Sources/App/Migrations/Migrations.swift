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
            // the lead's next ones (M026–M029) go here
            // planning (M030–M034) here
            CreateCalendarFeeds(),
            AddPlanningIndexes(),
            // import (M035–M039) here
            CreateImportMappings(),
        ]
    }
}

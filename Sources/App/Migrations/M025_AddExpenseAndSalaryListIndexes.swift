import Fluent
import SQLKit

/// Indexes for the office's «Расходы» and «Зарплаты» lists (docs/ui.md#expenses-and-salaries): a category with
/// its period, the sort by amount, the totals by category of a period read from the index alone, and the salary
/// records newest first, so a page is read from an index instead of sorting the whole table.
struct AddExpenseAndSalaryListIndexes: AsyncMigration {
    static let statements = [
        "CREATE INDEX ix_expenses_category_date ON expenses (category, date, id)",
        "CREATE INDEX ix_expenses_amount ON expenses (amount)",
        "CREATE INDEX ix_expenses_day_totals ON expenses (date, category, amount)",
        "CREATE INDEX ix_salary_records_created ON salary_records (created_at, id)",
    ]

    func prepare(on database: any Database) async throws {
        let sql = try database.sql()
        for statement in Self.statements { try await sql.raw(SQLQueryString(statement)).run() }
    }

    func revert(on database: any Database) async throws {
        let sql = try database.sql()
        for index in [
            "ix_salary_records_created", "ix_expenses_day_totals", "ix_expenses_amount", "ix_expenses_category_date",
        ] {
            try await sql.raw("DROP INDEX IF EXISTS \(ident: index)").run()
        }
    }
}

import Domain
import Fluent
import Foundation
import SQLKit

/// Invoices (one per order, numbered `INV-YYYYMM-NNNN`) and payments (several per order: partial payments and
/// prepayments). Money in kopecks.
struct CreateInvoicesAndPayments: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("invoices")
            .field("id", .int, .identifier(auto: true))
            .field("order_id", .string, .required, .references("orders", "id", onDelete: .cascade))
            .field("number", .string, .required)
            .field("payment_status", .string, .required, .sql(.default("pending")))
            .field("amount", .int64, .required, .sql(.default(0)))
            .field("currency", .string, .required, .sql(.default("RUB")))
            .field("issued_at", .datetime, .required)
            .field("due_date", .string)
            .field("pdf_url", .string, .required, .sql(.default("")))
            .field("metadata", .string, .required, .sql(.default("{}")))
            .field("created_by_id", .int, .references("users", "id", onDelete: .setNull))
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "order_id", name: "uq_invoices_order")
            .unique(on: "number", name: "uq_invoices_number")
            .create()

        try await database.schema("payments")
            .field("id", .int, .identifier(auto: true))
            .field("order_id", .string, .required, .references("orders", "id", onDelete: .cascade))
            .field("invoice_id", .int, .references("invoices", "id", onDelete: .setNull))
            .field("method", .string, .required, .sql(.default("bank_transfer")))
            .field("status", .string, .required, .sql(.default("pending")))
            .field("amount", .int64, .required)
            .field("currency", .string, .required, .sql(.default("RUB")))
            .field("transaction_id", .string, .required, .sql(.default("")))
            .field("is_prepayment", .bool, .required, .sql(.default(false)))
            .field("paid_at", .datetime)
            .field("comment", .string, .required, .sql(.default("")))
            .field("metadata", .string, .required, .sql(.default("{}")))
            .field("created_by_id", .int, .references("users", "id", onDelete: .setNull))
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .create()
        let sql = try database.sql()
        for statement in [
            "CREATE INDEX ix_payments_order ON payments (order_id, status)",
            "CREATE INDEX ix_payments_paid_at ON payments (paid_at)",
            "CREATE INDEX ix_invoices_created ON invoices (created_at)",
            "CREATE INDEX ix_expenses_equipment ON expenses (equipment_id, date)",
            "CREATE INDEX ix_salary_records_user ON salary_records (user_id, created_at)",
            "CREATE INDEX ix_order_items_ref ON order_items (item_type, ref_id)",
            "CREATE INDEX ix_orders_status_start ON orders (status, start_at)",
        ] {
            try await sql.raw(SQLQueryString(statement)).run()
        }
    }

    func revert(on database: any Database) async throws {
        let sql = try database.sql()
        for index in [
            "ix_expenses_equipment", "ix_salary_records_user", "ix_order_items_ref", "ix_orders_status_start",
        ] {
            try await sql.raw("DROP INDEX IF EXISTS \(ident: index)").run()
        }
        try await database.schema("payments").delete()
        try await database.schema("invoices").delete()
    }
}

import Domain
import Vapor

/// «Расходы» and the office's «Зарплаты» (docs/ui.md#expenses-and-salaries): registered by `registerWebRoutes`.
/// The writers are the API's (routes.swift): expenses for admins, managers and accountants, the payout workflow
/// for admins and accountants.
func registerExpenseAndSalaryPages(_ signedIn: any RoutesBuilder, uploadBodyLimit: ByteCount) {
    let expenses = ExpensesWebController()
    let expenseSection = signedIn.grouped(RequireSection(section: .expenses))
    expenseSection.get("expenses", use: expenses.list)
    let expenseWriters = expenseSection.grouped(RequireRole(.admin, .manager, .accountant))
    expenseWriters.get("expenses", "new", use: expenses.newForm)
    expenseWriters.post("expenses", "new", use: expenses.create)
    expenseWriters.get("expenses", ":id", "edit", use: expenses.editForm)
    expenseWriters.post("expenses", ":id", "edit", use: expenses.update)
    expenseWriters.post("expenses", ":id", "delete", use: expenses.delete)
    expenseWriters.on(
        .POST, "expenses", ":id", "receipt", body: .collect(maxSize: uploadBodyLimit),
        use: expenses.uploadReceipt)
    expenseWriters.post("expenses", ":id", "receipt", "delete", use: expenses.deleteReceipt)
    expenseSection.get("expenses", ":id", "receipt", use: expenses.receipt)

    let salaries = OfficeSalariesWebController()
    let payroll = signedIn.grouped(RequireSection(section: .salaries), RequireRole(.admin, .accountant))
    payroll.get("salaries", use: salaries.list)
    payroll.post("salaries", "bulk", use: salaries.bulk)
    payroll.post("salaries", ":id", "status", use: salaries.changeStatus)
}

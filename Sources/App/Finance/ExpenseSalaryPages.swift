import Vapor

/// «Расходы» and the office's «Зарплаты» (docs/ui.md#expenses-and-salaries): registered by `registerWebRoutes`.
func registerExpenseAndSalaryPages(_ signedIn: any RoutesBuilder) {
}

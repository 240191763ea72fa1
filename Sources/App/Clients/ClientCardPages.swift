import Vapor

/// «Должники» and the client card (docs/ui.md#debts-and-the-client-card): registered by `registerWebRoutes`.
func registerDebtAndClientCardPages(_ signedIn: any RoutesBuilder) {
}

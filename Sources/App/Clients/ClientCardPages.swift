import Vapor

/// «Должники» and the client card (docs/ui.md#debts-and-the-client-card): registered by `registerWebRoutes`.
/// The sections' roles are the API's: the money roles read debts, the client roles read the card.
func registerDebtAndClientCardPages(_ signedIn: any RoutesBuilder) {
    signedIn.grouped(RequireSection(section: .debts)).get("debts", use: DebtsWebController().list)
    signedIn.grouped(RequireSection(section: .clients)).get("clients", ":id", use: ClientCardWebController().show)
}

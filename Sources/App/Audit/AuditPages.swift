import Vapor

/// «Журнал действий» (docs/ui.md#audit-log): registered by `registerWebRoutes`.
func registerAuditPages(_ signedIn: any RoutesBuilder) {
}

import Vapor

/// «Счета» and «Платежи» (docs/ui.md#invoices-and-payments): registered by `registerWebRoutes`.
func registerInvoiceAndPaymentPages(_ signedIn: any RoutesBuilder) {
}

import Vapor

/// `GET /api/v1/orders/{id}/receipt/`.
struct DocumentsAPIController {
    @Sendable func receipt(req: Request) async throws -> Response {
        try await req.documents.receipt(orderID: req.parameters.get("id") ?? "").response()
    }
}

extension DocumentsAPIController {
    /// `GET /api/v1/invoices/{id}/pdf/`.
    @Sendable func invoice(req: Request) async throws -> Response {
        try await req.documents.invoice(id: try req.intParameter()).response()
    }
}

/// `GET /orders/{id}/receipt`: the same document, opened in the browser.
struct DocumentsWebController {
    @Sendable func receipt(req: Request) async throws -> Response {
        try await req.documents.receipt(orderID: req.parameters.get("id") ?? "").response(inline: true)
    }
}

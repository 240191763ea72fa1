import Domain
import Foundation
import Vapor
import WebUI

/// The documents opened from the pages (docs/documents.md): PDFs shown in the browser, and
/// «Отправить клиенту», which queues the same letter as the API.
struct DocumentsWebController {
    /// GET `/orders/{id}/receipt`: the completed order's receipt.
    @Sendable func receipt(req: Request) async throws -> Response {
        try await req.documents.receipt(orderID: req.parameters.get("id") ?? "").response(inline: true)
    }

    /// GET `/orders/{id}/act`: the completed order's act, or the page naming the requisites to fill in.
    @Sendable func act(req: Request) async throws -> Response {
        try await Self.open(req) { try await req.documents.act(orderID: req.parameters.get("id") ?? "") }
    }

    /// GET `/clients/{id}/reconciliation?from=&to=`: the client's reconciliation statement as PDF.
    @Sendable func reconciliation(req: Request) async throws -> Response {
        let clientID = try req.intParameter()
        let period = try ReconciliationPeriod(query: req)
        return try await Self.open(req) {
            let statement = try await req.documents.reconciliation(clientID: clientID, from: period.from, to: period.to)
            return try await req.documents.reconciliationPDF(statement)
        }
    }

    /// POST `/orders/{id}/send` with `document` = `receipt`, `act` or `invoice`: e-mails it to the client.
    @Sendable func send(req: Request) async throws -> Response {
        let orderID = try OrdersWebController.orderID(req)
        let form = try await WebForm(request: req)
        do {
            let caller = try req.caller
            let service = DocumentMailService(
                db: req.db, caller: caller, mail: req.application.config.mail, writes: req.application.writeSerializer)
            switch form["document"] {
            case "act":
                _ = try await service.send(.act, documentID: orderID, email: nil)
            case "invoice":
                guard let invoiceID = try await InvoiceService.invoiceID(ofOrder: orderID, on: try req.db.sql()) else {
                    throw APIError.badRequest("Счёт по заявке ещё не выставлен.")
                }
                _ = try await service.send(.invoice, documentID: String(invoiceID), email: nil)
            default:
                _ = try await service.send(.receipt, documentID: orderID, email: nil)
            }
        } catch {
            let described = try WebErrors.describe(error)
            return try OrdersWebController.actionFailure(
                req, orderID: orderID, status: described.status, detail: described.detail ?? WebErrors.formRejected)
        }
        return WebReply.redirect(
            to: Paths.order(orderID), flash: Flash(.success, DocumentMailService.queued), on: req)
    }

    /// The document inline, or — when the company's requisites are incomplete — a page that says which to fill
    /// in (with the way to the form for admins, who fill them in).
    static func open(_ req: Request, _ render: () async throws -> RenderedDocument) async throws -> Response {
        do {
            return try await render().response(inline: true)
        } catch let error as APIError where error.extra["missing_fields"] != nil {
            let mayFill = CompanyService.mayChange(try req.caller.role)
            let model = ErrorPageModel(
                context: req.pageContext(), status: Int(error.status.code),
                message: error.detail + (mayFill ? "" : " Их заполняет администратор."),
                link: mayFill ? ErrorPageModel.Link(title: "Заполнить реквизиты", path: Paths.companyRequisites()) : nil
            )
            return WebReply.page(ErrorPage(model: model), status: error.status, on: req)
        }
    }
}

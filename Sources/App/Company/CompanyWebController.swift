import Domain
import Foundation
import Vapor
import WebUI

/// `/settings/company`: «Реквизиты компании». Staff and accountants read them (as `GET /api/v1/company/`);
/// admins save them through `CompanyService.save`, so the checks and messages are the API's.
struct CompanyWebController {
    @Sendable func show(req: Request) async throws -> Response {
        var values = CompanyRequisitesModel.Values()
        for (field, value) in CompanyService.values(of: try await req.company.requisites()) { values[field: field] = value }
        return try page(req, values: values)
    }

    @Sendable func save(req: Request) async throws -> Response {
        let form = try await WebForm(request: req)
        var values = CompanyRequisitesModel.Values()
        var input = CompanyInput(requiresName: true)
        for field in CompanyRequisitesModel.fieldNames {
            values[field: field] = form.raw(field) ?? ""
            input.values[field] = form[field]
        }
        do {
            _ = try await req.company.save(input)
        } catch {
            let described = try WebErrors.describe(error)
            if described.status == .forbidden { throw error }
            return try page(
                req, values: values, errors: described.fields, formError: described.detail ?? WebErrors.formRejected,
                status: .unprocessableEntity)
        }
        return WebReply.redirect(to: Paths.companyRequisites(), flash: Flash(.success, "Реквизиты сохранены"), on: req)
    }

    private func page(
        _ req: Request, values: CompanyRequisitesModel.Values, errors: FormErrors = [:], formError: String? = nil,
        status: HTTPResponseStatus = .ok
    ) throws -> Response {
        let model = CompanyRequisitesModel(
            context: req.pageContext(), values: values, errors: errors, formError: formError,
            canEdit: CompanyService.mayChange(try req.caller.role))
        return WebReply.page(CompanyRequisitesPage(model: model), status: status, on: req)
    }
}

/// «Выставить счёт» and «Счёт» on a completed order's page (docs/documents.md).
struct InvoicesWebController {
    /// POST `/orders/{id}/invoice`: issues the invoice as `POST /api/v1/orders/{id}/generate_invoice/` does.
    @Sendable func issue(req: Request) async throws -> Response {
        let orderID = try OrdersWebController.orderID(req)
        let issued: InvoiceService.Issued
        do {
            issued = try await req.invoices.issue(orderID: orderID)
        } catch {
            let described = try WebErrors.describe(error)
            return try OrdersWebController.actionFailure(
                req, orderID: orderID, status: described.status, detail: described.detail ?? WebErrors.formRejected)
        }
        let message = issued.created ? "Счёт \(issued.number) выставлен" : "Сумма счёта \(issued.number) обновлена"
        return WebReply.redirect(to: Paths.order(orderID), flash: Flash(.success, message), on: req)
    }

    /// GET `/invoices/{id}/pdf`: the invoice opened in the browser, or a page that says which requisites to fill in
    /// (with the way to the form for admins, who fill them in).
    @Sendable func pdf(req: Request) async throws -> Response {
        do {
            return try await req.documents.invoice(id: try req.intParameter()).response(inline: true)
        } catch let error as APIError where error.extra["missing_fields"] != nil {
            let mayFill = CompanyService.mayChange(try req.caller.role)
            let model = ErrorPageModel(
                context: req.pageContext(), status: Int(error.status.code),
                message: error.detail + (mayFill ? "" : " Их заполняет администратор."),
                link: mayFill ? ErrorPageModel.Link(title: "Заполнить реквизиты", path: Paths.companyRequisites()) : nil)
            return WebReply.page(ErrorPage(model: model), status: error.status, on: req)
        }
    }
}

import Domain
import Foundation
import Vapor
import WebUI

/// `/settings/company`: «Реквизиты компании». Staff and accountants read them (as `GET /api/v1/company/`);
/// admins save them through `CompanyService.save`, so the checks and messages are the API's.
struct CompanyWebController {
    @Sendable func show(req: Request) async throws -> Response {
        var values = CompanyRequisitesModel.Values()
        for (field, value) in CompanyService.values(of: try await req.company.requisites()) {
            values[field: field] = value
        }
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

import Domain
import Fluent
import Foundation
import SQLKit
import Vapor
import WebUI

/// `/users…` (admin only): list, add, edit, reset a password. The form becomes a `UserInput` for `UserService`,
/// so the rules and the field messages are the API's.
struct UsersWebController {
    @Sendable func list(req: Request) async throws -> Response {
        let q = (req.queryValues["q"] ?? "").trimmingCharacters(in: .whitespaces)
        let rows = try await UserQueries.list(q: q, on: try req.db.sql()).map(\.listRow)
        return WebReply.page(UserListPage(model: UserListModel(context: req.pageContext(), q: q, rows: rows)), on: req)
    }

    @Sendable func newForm(req: Request) async throws -> Response {
        form(req, id: nil, values: UserFormModel.Values())
    }

    @Sendable func create(req: Request) async throws -> Response {
        let form = try await WebForm(request: req)
        let values = Self.values(form)
        do {
            let user = try await req.users.create(Self.input(form, isNew: true))
            return WebReply.redirect(
                to: Paths.users(), flash: Flash(.success, "Пользователь \(user.fullName) добавлен"), on: req)
        } catch {
            return try failure(req, id: nil, values: values, error: error)
        }
    }

    @Sendable func editForm(req: Request) async throws -> Response {
        let user = try await load(req)
        let values = UserFormModel.Values(
            firstName: user.firstName, lastName: user.lastName, phone: user.phone, email: user.email, role: user.role,
            isActive: user.isActive)
        return form(req, id: String(user.id ?? 0), values: values)
    }

    @Sendable func update(req: Request) async throws -> Response {
        let user = try await load(req)
        let form = try await WebForm(request: req)
        do {
            _ = try await req.users.update(user.id ?? 0, Self.input(form, isNew: false))
        } catch {
            return try failure(req, id: String(user.id ?? 0), values: Self.values(form), error: error)
        }
        let message =
            form.raw("password").map { !$0.isEmpty } == true ? "Данные и пароль сохранены" : "Изменения сохранены"
        return WebReply.redirect(to: Paths.users(), flash: Flash(.success, message), on: req)
    }

    private func load(_ req: Request) async throws -> User {
        do {
            guard let id = req.parameters.get("id").flatMap(Int.init) else { throw UserError.notFound }
            return try await req.users.user(id)
        } catch UserError.notFound {
            throw APIError.notFound("Пользователь не найден.")
        }
    }

    private func form(
        _ req: Request, id: String?, values: UserFormModel.Values, errors: FormErrors = [:], formError: String? = nil,
        status: HTTPResponseStatus = .ok
    ) -> Response {
        let model = UserFormModel(
            context: req.pageContext(), id: id, values: values, errors: errors, formError: formError,
            minPasswordLength: ProfileWebController.minPasswordLength)
        return WebReply.page(UserFormPage(model: model), status: status, on: req)
    }

    private func failure(_ req: Request, id: String?, values: UserFormModel.Values, error: any Error) throws -> Response
    {
        let described = try WebErrors.describe(error)
        if req.wantsJSON {
            return WebReply.rejection(
                described.status, detail: described.detail ?? WebErrors.formRejected, errors: described.fields)
        }
        return form(
            req, id: id, values: values, errors: described.fields,
            formError: described.detail ?? WebErrors.formRejected,
            status: described.status)
    }

    static func values(_ form: WebForm) -> UserFormModel.Values {
        UserFormModel.Values(
            firstName: form["first_name"], lastName: form["last_name"], phone: form["phone"], email: form["email"],
            role: Role(rawValue: form["role"]) ?? .operator, isActive: form["is_active"] == "true")
    }

    /// The form as the service's input; an empty password on edit means «не менять».
    static func input(_ form: WebForm, isNew: Bool) -> UserInput {
        var input = UserInput()
        input.firstName = .set(form["first_name"])
        input.lastName = .set(form["last_name"])
        input.phone = .set(form["phone"])
        input.email = .set(form["email"])
        if let role = Role(rawValue: form["role"]) ?? Role(rawValue: form["role"].lowercased()) {
            input.role = .set(role)
        } else {
            input.unreadable["role"] = [FieldMessage.choice(form["role"])]
        }
        input.isActive = .set(form["is_active"] == "true")
        let password = form.raw("password") ?? ""
        if isNew || !password.isEmpty { input.password = .set(password) }
        return input
    }
}

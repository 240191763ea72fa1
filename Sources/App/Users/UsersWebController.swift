import Domain
import Fluent
import Foundation
import SQLKit
import Vapor
import WebUI

/// `/users…` (admin only): list, add, edit, reset a password. The rules are the API's
/// (`UsersAPIController.create` / `update`).
struct UsersWebController {
    @Sendable func list(req: Request) async throws -> Response {
        let q = (req.queryValues["q"] ?? "").trimmingCharacters(in: .whitespaces)
        var select = try req.db.sql().select()
            .columns("id", "first_name", "last_name", "phone", "email", "role", "is_active").from("users")
        for filter in SearchFilter.terms(q) { select = select.where(filter) }
        let rows = try await select.orderBy("first_name").orderBy("last_name").orderBy("id").limit(500).all()
            .map { row in
                let phone = try row.decode(column: "phone", as: String.self)
                return UserListModel.Row(
                    id: String(try row.decode(column: "id", as: Int.self)),
                    fullName: OrderPageData.fullName(
                        try row.decode(column: "first_name", as: String.self),
                        try row.decode(column: "last_name", as: String.self), phone: phone),
                    phone: phone, email: try row.decode(column: "email", as: String.self),
                    role: Role(rawValue: try row.decode(column: "role", as: String.self)) ?? .operator,
                    isActive: try row.decode(column: "is_active", as: Bool.self))
            }
        return WebReply.page(UserListPage(model: UserListModel(context: req.pageContext(), q: q, rows: rows)), on: req)
    }

    @Sendable func newForm(req: Request) async throws -> Response {
        form(req, id: nil, values: UserFormModel.Values())
    }

    @Sendable func create(req: Request) async throws -> Response {
        let form = try await WebForm(request: req)
        let values = Self.values(form)
        do {
            let user = try await UsersAPIController.create(Self.body(form, isNew: true), req: req)
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
            try await UsersAPIController.update(user, body: Self.body(form, isNew: false), isPut: false, req: req)
        } catch {
            return try failure(req, id: String(user.id ?? 0), values: Self.values(form), error: error)
        }
        let message = form.raw("password").map { !$0.isEmpty } == true ? "Данные и пароль сохранены" : "Изменения сохранены"
        return WebReply.redirect(to: Paths.users(), flash: Flash(.success, message), on: req)
    }

    private func load(_ req: Request) async throws -> User {
        guard let id = req.parameters.get("id").flatMap(Int.init), let user = try await User.find(id, on: req.db) else {
            throw APIError.notFound("Пользователь не найден.")
        }
        return user
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

    private func failure(_ req: Request, id: String?, values: UserFormModel.Values, error: any Error) throws -> Response {
        let described = try WebErrors.describe(error)
        if req.wantsJSON {
            return WebReply.rejection(described.status, detail: described.detail ?? WebErrors.formRejected, errors: described.fields)
        }
        return form(
            req, id: id, values: values, errors: described.fields, formError: described.detail ?? WebErrors.formRejected,
            status: described.status)
    }

    static func values(_ form: WebForm) -> UserFormModel.Values {
        UserFormModel.Values(
            firstName: form["first_name"], lastName: form["last_name"], phone: form["phone"], email: form["email"],
            role: Role(rawValue: form["role"]) ?? .operator, isActive: form["is_active"] == "true")
    }

    /// The form as the API body; an empty password on edit means «не менять».
    static func body(_ form: WebForm, isNew: Bool) -> [String: JSONValue] {
        var body: [String: JSONValue] = [
            "first_name": .string(form["first_name"]), "last_name": .string(form["last_name"]),
            "phone": .string(form["phone"]), "email": .string(form["email"]), "role": .string(form["role"]),
            "is_active": .bool(form["is_active"] == "true"),
        ]
        let password = form.raw("password") ?? ""
        if isNew || !password.isEmpty { body["password"] = .string(password) }
        return body
    }
}

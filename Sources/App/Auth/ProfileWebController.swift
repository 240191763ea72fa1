import Domain
import Foundation
import Vapor
import WebUI

/// `/profile` and `/profile/password`.
struct ProfileWebController {
    static let minPasswordLength = 8

    @Sendable func show(req: Request) async throws -> Response {
        try await page(req)
    }

    private func page(
        _ req: Request, errors: FormErrors = [:], changed: Bool = false, status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let user = try await currentUser(req)
        let model = ProfileModel(
            context: req.pageContext(), fullName: user.fullName, phone: user.phone, email: user.email, role: user.role,
            passwordErrors: errors, passwordChanged: changed, minPasswordLength: Self.minPasswordLength)
        return WebReply.page(ProfilePage(model: model), status: status, on: req)
    }

    private func currentUser(_ req: Request) async throws -> User {
        try await req.users.me()
    }

    /// `AuthService.changePassword`, as `POST /api/v1/users/change-password/`: the current password (wrong
    /// guesses are throttled like sign-in), `PasswordPolicy`, and every other session, refresh and access token of
    /// the user is revoked (this browser stays signed in). The form's own messages come first.
    @Sendable func changePassword(req: Request) async throws -> Response {
        let form = try await WebForm(request: req)
        let current = form.raw("current_password") ?? ""
        let new = form.raw("new_password") ?? ""
        let confirm = form.raw("new_password_confirm") ?? ""
        var errors: FormErrors = [:]
        if current.isEmpty { errors["current_password"] = "Заполните все поля" }
        if new.isEmpty { errors["new_password"] = "Заполните все поля" }
        if confirm.isEmpty { errors["new_password_confirm"] = "Заполните все поля" }
        if errors.isEmpty {
            if new.count < Self.minPasswordLength {
                errors["new_password"] = "Новый пароль должен содержать минимум \(Self.minPasswordLength) символов"
            } else if let problem = PasswordPolicy.problems(new).first {
                errors["new_password"] = problem
            } else if new.count > 128 {
                errors["new_password"] = FieldMessage.maxLength(128)
            } else if new != confirm {
                errors["new_password_confirm"] = "Пароли не совпадают"
            }
        }
        guard errors.isEmpty else { return try await page(req, errors: errors, status: .unprocessableEntity) }
        do {
            try await req.signIn.changePassword(
                PasswordChange(current: current, new: new, keptSessionID: req.webSessionID))
        } catch AuthError.throttled(let error) {
            let response = try await page(req, errors: ["current_password": error.detail], status: error.status)
            response.headers.add(contentsOf: error.headers)
            return response
        } catch AuthError.invalid(let problems) {
            var errors: FormErrors = [:]
            for (key, messages) in problems {
                errors[key == "old_password" ? "current_password" : key] = messages.joined(separator: " ")
            }
            return try await page(req, errors: errors, status: .unprocessableEntity)
        }
        return try await page(req, changed: true)
    }
}

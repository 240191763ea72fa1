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
        guard let user = try await User.find(try req.caller.id, on: req.db) else { throw APIError.unauthorized() }
        return user
    }

    /// Same rules as `POST /api/v1/users/change-password/`: the current password (wrong guesses are throttled
    /// like sign-in), `PasswordPolicy`, and every other session, refresh and access token of the user is revoked
    /// (this browser stays signed in).
    @Sendable func changePassword(req: Request) async throws -> Response {
        let user = try await currentUser(req)
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
        if errors.isEmpty {
            let attempt: AttemptThrottle.Reservation
            do {
                attempt = try await req.attemptThrottle.reserve([
                    .passwordChange(userID: user.id ?? 0, address: req.clientIP, config: req.application.config)
                ])
            } catch let error as APIError where error.status == .tooManyRequests {
                let response = try await page(req, errors: ["current_password": error.detail], status: error.status)
                response.headers.add(contentsOf: error.headers)
                return response
            }
            if try await req.password.async.verify(current, created: user.passwordHash) {
                try await attempt.succeeded()
            } else {
                errors["current_password"] = "Текущий пароль указан неверно"
            }
        }
        guard errors.isEmpty else { return try await page(req, errors: errors, status: .unprocessableEntity) }
        user.passwordHash = try await req.password.async.hash(new)
        let keep = req.webSessionID
        try await req.application.writeSerializer.transaction(on: req.db) { db in
            try await user.save(on: db)
            try await TokenService.revokeAll(of: user.id ?? 0, except: keep, on: db)
            try await AuditRecorder(request: req, db: db).record(
                .update, entity: "user", id: String(user.id ?? 0), changes: ["password_changed": .bool(true)])
        }
        req.application.userDirectory.forget(user.id ?? 0)
        return try await page(req, changed: true)
    }
}

import Domain
import Foundation
import Vapor
import WebUI

/// `/login`, `/logout`: the cookie session of the web UI.
struct AuthWebController {
    @Sendable func loginForm(req: Request) async throws -> Response {
        let next = (req.queryValues["next"]).flatMap(WebSafety.localPath)
        if req.auth.has(Caller.self) { return req.redirect(to: next ?? Paths.home(), redirectType: .normal) }
        let model = LoginModel(
            context: req.pageContext(), next: next, canRegister: req.application.config.allowRegistration)
        return WebReply.page(LoginPage(model: model), on: req)
    }

    @Sendable func login(req: Request) async throws -> Response {
        let form = try await WebForm(request: req)
        let phone = form["phone"]
        let password = form.raw("password") ?? ""
        let next = WebSafety.localPath(form["next"])
        func failure(_ status: HTTPResponseStatus, _ message: String) -> Response {
            let model = LoginModel(
                context: req.pageContext(), phone: phone, next: next, error: message,
                canRegister: req.application.config.allowRegistration)
            return WebReply.page(LoginPage(model: model), status: status, on: req)
        }
        guard !phone.isEmpty, !password.isEmpty else {
            return failure(.unprocessableEntity, "Заполните телефон и пароль")
        }
        let user: User
        do {
            user = try await req.signIn.authenticate(rawPhone: phone, password: password)
        } catch AuthError.badCredentials {
            return failure(.unauthorized, AuthError.badCredentialsMessage)
        } catch AuthError.throttled(let error) {
            let response = failure(error.status, error.detail)
            for (name, value) in error.headers where name.lowercased() == "retry-after" {
                response.headers.replaceOrAdd(name: name, value: value)
            }
            return response
        }
        let cookie = try await WebSession.start(for: user, on: req)
        req.logger.info("web login", metadata: ["user_id": .stringConvertible(user.id ?? 0)])
        let response = req.redirect(to: next ?? Paths.home(), redirectType: .normal)
        response.cookies[WebSession.cookieName] = cookie
        response.cookies[WebSession.preSessionCookie] = WebSession.expired(on: req)
        return response
    }

    @Sendable func logout(req: Request) async throws -> Response {
        try await WebSession.end(req)
        req.auth.logout(Caller.self)
        let response = WebReply.redirect(to: Paths.login(), flash: Flash(.info, "Вы вышли из системы."), on: req)
        response.cookies[WebSession.cookieName] = WebSession.expired(on: req)
        return response
    }

    // MARK: - Registration

    @Sendable func registerForm(req: Request) async throws -> Response {
        guard req.application.config.allowRegistration else { throw AuthError.registrationOff }
        if req.auth.has(Caller.self) { return req.redirect(to: Paths.home(), redirectType: .normal) }
        return Self.registerPage(
            req, RegisterModel(context: req.pageContext(), minPasswordLength: ProfileWebController.minPasswordLength))
    }

    /// Creates an inactive operator (`AuthService.registerOperator`, the API's rules) and says that an
    /// admin activates it; the visitor stays signed out. A phone that already has an account gets the same
    /// answer.
    @Sendable func register(req: Request) async throws -> Response {
        guard req.application.config.allowRegistration else { throw AuthError.registrationOff }
        let form = try await WebForm(request: req)
        let values = RegisterModel.Values(
            firstName: form["first_name"], lastName: form["last_name"], phone: form["phone"])
        let password = form.raw("password") ?? ""
        let confirmation = form.raw("password_confirm") ?? ""
        func failure(_ status: HTTPResponseStatus, _ errors: FormErrors, _ message: String?) -> Response {
            if req.wantsJSON {
                return WebReply.rejection(status, detail: message ?? WebErrors.formRejected, errors: errors)
            }
            let model = RegisterModel(
                context: req.pageContext(), values: values, errors: errors,
                formError: message ?? WebErrors.formRejected,
                minPasswordLength: ProfileWebController.minPasswordLength)
            return Self.registerPage(req, model, status: status)
        }
        var local: FormErrors = [:]
        for (name, value) in [
            ("first_name", values.firstName), ("last_name", values.lastName), ("phone", values.phone),
        ]
        where value.isEmpty {
            local[name] = FieldMessage.required
        }
        if password.isEmpty { local["password"] = FieldMessage.required }
        if confirmation.isEmpty {
            local["password_confirm"] = FieldMessage.required
        } else if !password.isEmpty, password != confirmation {
            local["password_confirm"] = "Пароли не совпадают"
        }
        if !password.isEmpty, local["password_confirm"] != nil {
            for problem in PasswordPolicy.problems(password) {
                local["password"] = [local["password"], problem].compactMap { $0 }.joined(separator: " ")
            }
        }
        if !local.isEmpty {
            let message = local.values.contains(FieldMessage.required) ? "Заполните все поля формы" : nil
            return failure(.unprocessableEntity, local, message)
        }
        let input = RegistrationInput(
            phone: values.phone, password: password, firstName: values.firstName, lastName: values.lastName)
        do {
            if let user = try await req.signIn.registerOperator(input) {
                req.logger.info("web registration", metadata: ["user_id": .stringConvertible(user.id ?? 0)])
            }
        } catch AuthError.throttled(let error) {
            let response = failure(error.status, [:], error.detail)
            response.headers.add(contentsOf: error.headers)
            return response
        } catch {
            let described = try WebErrors.describe(error)
            return failure(described.status, described.fields, described.detail)
        }
        return WebReply.redirect(
            to: Paths.login(), flash: Flash(.success, AuthService.registrationAccepted), on: req)
    }

    private static func registerPage(
        _ req: Request, _ model: RegisterModel, status: HTTPResponseStatus = .ok
    ) -> Response {
        WebReply.page(RegisterPage(model: model), status: status, on: req)
    }
}

import Domain
import Foundation
import Vapor
import WebUI

/// `/login`, `/logout`: the cookie session of the web UI.
struct AuthWebController {
    @Sendable func loginForm(req: Request) async throws -> Response {
        let next = (req.query[String.self, at: "next"]).flatMap(WebSafety.localPath)
        if req.auth.has(AuthUser.self) { return req.redirect(to: next ?? Paths.home(), redirectType: .normal) }
        return WebReply.page(LoginPage(model: LoginModel(context: req.pageContext(), next: next)), on: req)
    }

    @Sendable func login(req: Request) async throws -> Response {
        let form = try await WebForm(request: req)
        let phone = form["phone"]
        let password = form.raw("password") ?? ""
        let next = WebSafety.localPath(form["next"])
        func failure(_ status: HTTPResponseStatus, _ message: String) -> Response {
            let model = LoginModel(context: req.pageContext(), phone: phone, next: next, error: message)
            return WebReply.page(LoginPage(model: model), status: status, on: req)
        }
        guard !phone.isEmpty, !password.isEmpty else {
            return failure(.unprocessableEntity, "Заполните телефон и пароль")
        }
        let user: User
        do {
            user = try await AuthAPIController.authenticate(rawPhone: phone, password: password, req: req)
        } catch let error as APIError where error.status == .unauthorized || error.status == .tooManyRequests {
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
        req.auth.logout(AuthUser.self)
        let response = WebReply.redirect(to: Paths.login(), flash: Flash(.info, "Вы вышли из системы."), on: req)
        response.cookies[WebSession.cookieName] = WebSession.expired(on: req)
        return response
    }
}

import Domain
import Fluent
import Foundation
import SQLKit
import Vapor

/// `/api/v1/token/…` and `/api/v1/users/register/`.
struct AuthAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.post("token", use: login)
        routes.post("token", "refresh", use: refresh)
        routes.post("token", "blacklist", use: blacklist)
        routes.post("users", "register", use: register)
    }

    struct LoginResponse: Content {
        var access: String
        var refresh: String
        var user: UserResponse
    }

    @Sendable func login(req: Request) async throws -> LoginResponse {
        var input = try JSONInput(request: req)
        let rawPhone = input.string("phone", maxLength: 64) ?? input.string("username", maxLength: 64)
        let password = input.string("password", required: true, maxLength: 128, allowBlank: false)
        guard let rawPhone, let password else {
            if !input.has("phone") && !input.has("username") {
                input.fail("phone", FieldMessage.required)
            }
            try input.validate()
            throw AuthError.badCredentials
        }
        let user = try await req.signIn.authenticate(rawPhone: rawPhone, password: password)
        let pair = try await req.tokens.issue(for: user, on: req.db)
        return LoginResponse(
            access: pair.access, refresh: pair.refresh,
            user: UserResponse(user, timeZone: req.application.config.timeZone))
    }

    @Sendable func refresh(req: Request) async throws -> TokenService.Pair {
        var input = try JSONInput(request: req)
        let token = input.string("refresh", required: true, maxLength: 4096, allowBlank: false)
        try input.validate()
        let service = req.tokens
        let consumed = try await service.consume(token ?? "")
        return try await service.issue(for: consumed.user, family: consumed.family, on: req.db)
    }

    @Sendable func blacklist(req: Request) async throws -> Response {
        var input = try JSONInput(request: req)
        let token = input.string("refresh", required: true, maxLength: 4096, allowBlank: false)
        try input.validate()
        try await req.tokens.revoke(token ?? "")
        return try await [String: String]().encodeResponse(status: .ok, for: req)
    }

    struct RegisterResponse: Content {
        var detail: String
    }

    static var registrationAccepted: String { AuthService.registrationAccepted }

    /// 202 with the same body whether the phone was new or already registered, so the answer does not tell
    /// which phones have accounts.
    @Sendable func register(req: Request) async throws -> Response {
        guard req.application.config.allowRegistration else { throw AuthError.registrationOff }
        var json = JSONInput(try req.jsonObject(), timeZone: req.application.config.timeZone)
        var input = RegistrationInput()
        input.phone = json.string("phone", maxLength: .max)
        input.password = json.string("password", maxLength: .max)
        input.firstName = json.string("first_name", maxLength: .max)
        input.lastName = json.string("last_name", maxLength: .max)
        input.unreadable = json.errors
        try await req.signIn.registerOperator(input)
        return try await RegisterResponse(detail: AuthService.registrationAccepted)
            .encodeResponse(status: .accepted, for: req)
    }
}

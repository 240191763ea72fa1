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

    static let badCredentials = "Неверный телефон или пароль"

    @Sendable func login(req: Request) async throws -> LoginResponse {
        var input = try JSONInput(request: req)
        let rawPhone = input.string("phone", maxLength: 64) ?? input.string("username", maxLength: 64)
        let password = input.string("password", required: true, maxLength: 128, allowBlank: false)
        guard let rawPhone, let password else {
            if !input.has("phone") && !input.has("username") {
                input.fail("phone", FieldMessage.required)
            }
            try input.validate()
            throw APIError.unauthorized(Self.badCredentials)
        }
        let user = try await Self.authenticate(rawPhone: rawPhone, password: password, req: req)
        let pair = try await TokenService(request: req).issue(for: user, on: req.db)
        return LoginResponse(access: pair.access, refresh: pair.refresh, user: UserResponse(user, timeZone: req.application.config.timeZone))
    }

    /// Checks a phone and password for the API and the web login alike: an attempt is taken from the throttle
    /// first (429 when this phone from this address, the phone overall or this address overall is over its
    /// limit), then the password is checked (a dummy hash for unknown phones, so timing does not reveal
    /// users), then the active flag. A failure is the one generic 401 message.
    static func authenticate(rawPhone: String, password: String, req: Request) async throws -> User {
        let phoneKey = PhoneNumber(rawPhone)?.e164 ?? String(rawPhone.prefix(32))
        let config = req.application.config
        let address = req.clientIP
        let attempt = try await req.attemptThrottle.reserve([
            .account(phone: phoneKey, config: config), .address(address, config: config),
            .login(phone: phoneKey, address: address, config: config),
        ])

        let user = try await User.query(on: req.db).filter(\.$phone == phoneKey).first()
        let hash = user?.passwordHash ?? Self.dummyHash
        let matches = (try? await req.password.async.verify(password, created: hash)) ?? false
        guard let user, matches, user.isActive else {
            try await Self.recordAttempt(phone: phoneKey, succeeded: false, req: req)
            req.logger.info("login failed", metadata: ["phone": "\(PhoneNumber(rawPhone)?.masked ?? "invalid")"])
            throw APIError.unauthorized(Self.badCredentials)
        }
        try await attempt.succeeded()
        try await Self.recordAttempt(phone: phoneKey, succeeded: true, req: req)
        user.lastLoginAt = Date()
        try await user.save(on: req.db)
        return user
    }

    /// A bcrypt hash of a random string, checked when the phone is unknown so timing does not reveal users.
    static let dummyHash = "$2b$12$C6UzMDM.H6dfI/f/IKcEeO5pLjSGZ8GnXPZfAq6Y3DF5YXhXyM8uu"

    /// The sign-in history (`login_attempts`); the throttle keeps its own counters.
    private static func recordAttempt(phone: String, succeeded: Bool, req: Request) async throws {
        try await (try req.db.sql()).insert(into: "login_attempts")
            .columns("phone", "ip", "succeeded", "created_at")
            .values(SQLBind(phone), SQLBind(req.clientIP), SQLBind(succeeded), SQLBind(Date()))
            .run()
    }

    @Sendable func refresh(req: Request) async throws -> TokenService.Pair {
        var input = try JSONInput(request: req)
        let token = input.string("refresh", required: true, maxLength: 4096, allowBlank: false)
        try input.validate()
        let service = TokenService(request: req)
        let consumed = try await service.consume(token ?? "")
        return try await service.issue(for: consumed.user, family: consumed.family, on: req.db)
    }

    @Sendable func blacklist(req: Request) async throws -> Response {
        var input = try JSONInput(request: req)
        let token = input.string("refresh", required: true, maxLength: 4096, allowBlank: false)
        try input.validate()
        try await TokenService(request: req).revoke(token ?? "")
        return try await [String: String]().encodeResponse(status: .ok, for: req)
    }

    struct RegisterResponse: Content {
        var detail: String
    }

    static let registrationAccepted = "Заявка на регистрацию принята. Администратор активирует учётную запись."

    /// 202 with the same body whether the phone was new or already registered, so the answer does not tell
    /// which phones have accounts.
    @Sendable func register(req: Request) async throws -> Response {
        guard req.application.config.allowRegistration else { throw Self.registrationOff }
        try await Self.registerOperator(try req.jsonObject(), req: req)
        return try await RegisterResponse(detail: Self.registrationAccepted).encodeResponse(status: .accepted, for: req)
    }

    static let registrationOff = APIError.notFound("Регистрация отключена. Учётную запись создаёт администратор.")

    /// Self-registration for the API and the web form alike: an INACTIVE operator that an admin activates
    /// (`REGISTRATION=approval`). Field errors are thrown as the API's 400 (`input.validate()`); a phone that
    /// already has an account is not one of them: nothing is created and the caller gets the same answer,
    /// after the same bcrypt work. Each address has a few requests per hour (`AttemptThrottle`).
    /// Returns the new user, or nil when the phone was taken.
    @discardableResult
    static func registerOperator(_ body: [String: JSONValue], req: Request) async throws -> User? {
        var input = JSONInput(body, timeZone: req.application.config.timeZone)
        let phone = input.phone("phone", required: true)
        let password = input.string("password", required: true, maxLength: 128, allowBlank: false)
        let firstName = input.string("first_name", required: true, maxLength: 150, allowBlank: false)
        let lastName = input.string("last_name", required: true, maxLength: 150, allowBlank: false)
        if let password { for problem in PasswordPolicy.problems(password) { input.fail("password", problem) } }
        try input.validate()
        guard let phone, let password, let firstName, let lastName else { throw APIError.badRequest("Некорректные данные") }
        _ = try await req.attemptThrottle.reserve([.registration(address: req.clientIP)])
        let hash = try await req.password.async.hash(password)
        guard try await User.query(on: req.db).filter(\.$phone == phone.e164).count() == 0 else {
            req.logger.info("registration for a registered phone", metadata: ["phone": "\(phone.masked)"])
            return nil
        }
        let user = User(phone: phone, firstName: firstName, lastName: lastName, role: .operator, passwordHash: hash, isActive: false)
        do {
            try await user.save(on: req.db)
        } catch {
            // The same phone registered in parallel: the same answer as above.
            if try await User.query(on: req.db).filter(\.$phone == phone.e164).count() > 0 { return nil }
            throw error
        }
        try await AuditRecorder(request: req).record(
            .create, entity: "user", id: String(user.id ?? 0),
            changes: AuditRecorder.created(["phone": .string(user.phone), "role": .string("operator"), "is_active": .bool(false)]))
        return user
    }
}

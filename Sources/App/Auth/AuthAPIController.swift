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

    /// Checks a phone and password for the API and the web login alike: the throttle first (429), then the
    /// password (a dummy hash for unknown phones, so timing does not reveal users), then the active flag.
    /// Every attempt is recorded; a failure is the one generic 401 message.
    static func authenticate(rawPhone: String, password: String, req: Request) async throws -> User {
        let phoneKey = PhoneNumber(rawPhone)?.e164 ?? String(rawPhone.prefix(32))
        let throttle = LoginThrottle(request: req)
        try await throttle.check(phone: phoneKey)

        let user = try await User.query(on: req.db).filter(\.$phone == phoneKey).first()
        let hash = user?.passwordHash ?? LoginThrottle.dummyHash
        let matches = (try? await req.password.async.verify(password, created: hash)) ?? false
        guard let user, matches, user.isActive else {
            try await throttle.record(phone: phoneKey, succeeded: false)
            req.logger.info("login failed", metadata: ["phone": "\(PhoneNumber(rawPhone)?.masked ?? "invalid")"])
            throw APIError.unauthorized(Self.badCredentials)
        }
        try await throttle.record(phone: phoneKey, succeeded: true)
        user.lastLoginAt = Date()
        try await user.save(on: req.db)
        return user
    }

    @Sendable func refresh(req: Request) async throws -> TokenService.Pair {
        var input = try JSONInput(request: req)
        let token = input.string("refresh", required: true, maxLength: 4096, allowBlank: false)
        try input.validate()
        let service = TokenService(request: req)
        let user = try await service.consume(token ?? "")
        return try await service.issue(for: user, on: req.db)
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
        var user: UserResponse
    }

    static let registrationAccepted = "Заявка на регистрацию принята. Администратор активирует учётную запись."

    @Sendable func register(req: Request) async throws -> Response {
        guard req.application.config.allowRegistration else {
            throw APIError.notFound("Регистрация отключена.")
        }
        let user = try await Self.registerOperator(try req.jsonObject(), req: req)
        let body = RegisterResponse(
            detail: Self.registrationAccepted,
            user: UserResponse(user, timeZone: req.application.config.timeZone))
        return try await body.encodeResponse(status: .created, for: req)
    }

    /// Self-registration for the API and the web form alike: an INACTIVE operator that an admin activates.
    /// Field errors are thrown as the API's 422 (`input.validate()`).
    static func registerOperator(_ body: [String: JSONValue], req: Request) async throws -> User {
        var input = JSONInput(body, timeZone: req.application.config.timeZone)
        let phone = input.phone("phone", required: true)
        let password = input.string("password", required: true, maxLength: 128, allowBlank: false)
        let firstName = input.string("first_name", required: true, maxLength: 150, allowBlank: false)
        let lastName = input.string("last_name", required: true, maxLength: 150, allowBlank: false)
        if let password { for problem in PasswordPolicy.problems(password) { input.fail("password", problem) } }
        if let phone, try await User.query(on: req.db).filter(\.$phone == phone.e164).count() > 0 {
            input.fail("phone", "Пользователь с таким телефоном уже существует")
        }
        try input.validate()
        guard let phone, let password, let firstName, let lastName else { throw APIError.badRequest("Некорректные данные") }
        let hash = try await req.password.async.hash(password)
        let user = User(phone: phone, firstName: firstName, lastName: lastName, role: .operator, passwordHash: hash, isActive: false)
        try await user.save(on: req.db)
        try await AuditRecorder(request: req).record(
            .create, entity: "user", id: String(user.id ?? 0),
            changes: AuditRecorder.created(["phone": .string(user.phone), "role": .string("operator"), "is_active": .bool(false)]))
        return user
    }
}

/// 10 failed logins per phone or per IP within 15 minutes → 429. Successful logins are never throttled.
struct LoginThrottle {
    let request: Request

    /// A bcrypt hash of a random string, checked when the phone is unknown so timing does not reveal users.
    static let dummyHash = "$2b$12$C6UzMDM.H6dfI/f/IKcEeO5pLjSGZ8GnXPZfAq6Y3DF5YXhXyM8uu"

    func check(phone: String) async throws {
        let config = request.application.config
        let since = Date().addingTimeInterval(-config.loginFailureWindow)
        let sql = try request.db.sql()
        let rows = try await sql.raw(
            """
            SELECT
              (SELECT COUNT(*) FROM login_attempts WHERE phone = \(bind: phone) AND succeeded = \(bind: false) AND created_at > \(bind: since)) AS by_phone,
              (SELECT COUNT(*) FROM login_attempts WHERE ip = \(bind: request.clientIP) AND succeeded = \(bind: false) AND created_at > \(bind: since)) AS by_ip,
              (SELECT MIN(created_at) FROM login_attempts WHERE (phone = \(bind: phone) OR ip = \(bind: request.clientIP)) AND succeeded = \(bind: false) AND created_at > \(bind: since)) AS oldest
            """
        ).all()
        guard let row = rows.first else { return }
        let byPhone = try row.decode(column: "by_phone", as: Int.self)
        let byIP = try row.decode(column: "by_ip", as: Int.self)
        guard byPhone >= config.loginFailureLimit || byIP >= config.loginFailureLimit else { return }
        let oldest = (try? row.decode(column: "oldest", as: Date?.self)) ?? nil
        let retryAfter = max(1, Int(((oldest ?? Date()).addingTimeInterval(config.loginFailureWindow)).timeIntervalSinceNow.rounded(.up)))
        throw APIError(
            status: .tooManyRequests,
            detail: "Слишком много неудачных попыток входа. Повторите через \(retryAfter) с.",
            headers: ["Retry-After": String(retryAfter)])
    }

    func record(phone: String, succeeded: Bool) async throws {
        try await (try request.db.sql()).insert(into: "login_attempts")
            .columns("phone", "ip", "succeeded", "created_at")
            .values(SQLBind(phone), SQLBind(request.clientIP), SQLBind(succeeded), SQLBind(Date()))
            .run()
    }
}

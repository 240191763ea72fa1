import Domain
import Fluent
import Foundation
import SQLKit
import Vapor

/// What the sign-in service refuses.
enum AuthError: APIMappedError {
    /// A wrong phone or password, an unknown or inactive user: one message for all, so nothing leaks.
    case badCredentials
    /// Too many attempts: the throttle's 429 with its `Retry-After`.
    case throttled(APIError)
    case invalid([String: [String]])
    case registrationOff
    /// A caller is required (password change) and there is none.
    case signedOut

    static let badCredentialsMessage = "Неверный телефон или пароль"

    var apiError: any Error {
        switch self {
        case .badCredentials: APIError.unauthorized(Self.badCredentialsMessage)
        case .throttled(let error): error
        case .invalid(let problems): FieldErrors(problems)
        case .registrationOff: APIError.notFound("Регистрация отключена. Учётную запись создаёт администратор.")
        case .signedOut: APIError.unauthorized()
        }
    }
}

/// Self-registration of an operator.
struct RegistrationInput: Sendable {
    var phone: String?
    var password: String?
    var firstName: String?
    var lastName: String?
    var unreadable: [String: [String]] = [:]
}

/// A password change of the caller. Problems are keyed by the API's names (`old_password`, `new_password`).
struct PasswordChange: Sendable {
    var current: String?
    var new: String?
    /// The session (refresh-token id) that stays signed in: the browser's or the app's own.
    var keptSessionID: String?
    var unreadable: [String: [String]] = [:]
}

/// Sign-in, self-registration and password changes: everything that checks a password. Every check of a password
/// takes an attempt from `AttemptThrottle` first, so guessing is slowed the same way in the API and the web.
struct AuthService {
    let db: any Database
    let app: Application
    let origin: RequestOrigin
    let logger: Logger
    /// Who is signed in, if anyone (a password change needs one).
    let caller: Caller?

    init(db: any Database, app: Application, origin: RequestOrigin, logger: Logger, caller: Caller?) {
        self.db = db
        self.app = app
        self.origin = origin
        self.logger = logger
        self.caller = caller
    }

    init(context: ServiceContext) {
        self.init(
            db: context.db, app: context.app, origin: context.origin, logger: context.logger, caller: context.caller)
    }

    private var config: AppConfig { app.config }
    private var throttle: AttemptThrottle { AttemptThrottle(db: db, serializer: app.writeSerializer) }

    /// Takes an attempt on every key or throws `.throttled`.
    private func reserve(_ keys: [AttemptThrottle.Key]) async throws -> AttemptThrottle.Reservation {
        do {
            return try await throttle.reserve(keys)
        } catch let error as APIError where error.status == .tooManyRequests {
            throw AuthError.throttled(error)
        }
    }

    // MARK: - Sign-in

    /// Checks a phone and password: an attempt is taken from the throttle first (`.throttled` when this phone
    /// from this address, the phone overall or this address overall is over its limit), then the password is
    /// checked (a dummy hash for unknown phones, so timing does not reveal users), then the active flag.
    /// Every failure is the one `.badCredentials` and is written to `login_attempts`.
    func authenticate(rawPhone: String, password: String) async throws -> User {
        let phoneKey = PhoneNumber(rawPhone)?.e164 ?? String(rawPhone.prefix(32))
        let address = origin.ip
        let attempt = try await reserve([
            .account(phone: phoneKey, config: config), .address(address, config: config),
            .login(phone: phoneKey, address: address, config: config),
        ])
        let user = try await User.query(on: db).filter(\.$phone == phoneKey).first()
        let hash = user?.passwordHash ?? Self.dummyHash
        let matches = await checkPassword(password, against: hash)
        guard let user, matches, user.isActive else {
            try await recordAttempt(phone: phoneKey, succeeded: false)
            logger.info("login failed", metadata: ["phone": "\(PhoneNumber(rawPhone)?.masked ?? "invalid")"])
            throw AuthError.badCredentials
        }
        try await attempt.succeeded()
        try await recordAttempt(phone: phoneKey, succeeded: true)
        user.lastLoginAt = Date()
        if DjangoPasswordHash.isDjango(user.passwordHash) {
            // The original's hash has done its job: from now on the password is kept in our own format.
            user.passwordHash = try await app.password.async.hash(password)
        }
        try await user.save(on: db)
        return user
    }

    /// Our bcrypt hashes, and the Django hashes of users imported from the original (docs/import.md#passwords).
    private func checkPassword(_ password: String, against hash: String) async -> Bool {
        if DjangoPasswordHash.isDjango(hash) {
            return await DjangoPasswords.verify(password, against: hash, on: app.threadPool)
        }
        return (try? await app.password.async.verify(password, created: hash)) ?? false
    }

    /// A bcrypt hash of a random string, checked when the phone is unknown so timing does not reveal users.
    static let dummyHash = "$2b$12$C6UzMDM.H6dfI/f/IKcEeO5pLjSGZ8GnXPZfAq6Y3DF5YXhXyM8uu"

    /// The sign-in history (`login_attempts`); the throttle keeps its own counters.
    private func recordAttempt(phone: String, succeeded: Bool) async throws {
        try await (try db.sql()).insert(into: "login_attempts")
            .columns("phone", "ip", "succeeded", "created_at")
            .values(SQLBind(phone), SQLBind(origin.ip), SQLBind(succeeded), SQLBind(Date()))
            .run()
    }

    // MARK: - Registration

    /// Self-registration: an INACTIVE operator that an admin activates (`REGISTRATION=approval`). A phone that
    /// already has an account is not a field error: nothing is created and the caller gets the same answer,
    /// after the same bcrypt work. Each address has a few registrations per hour (`AttemptThrottle`).
    /// Returns the new user, or nil when the phone was taken.
    @discardableResult
    func registerOperator(_ input: RegistrationInput) async throws -> User? {
        guard config.allowRegistration else { throw AuthError.registrationOff }
        var check = FieldCheck(input.unreadable)
        func required(_ key: String, _ value: String?, maxLength: Int) -> String? {
            guard let value else {
                if check.problems[key] == nil { check.fail(key, FieldMessage.required) }
                return nil
            }
            return check.text(key, value, maxLength: maxLength, allowBlank: false)
        }
        var phone: PhoneNumber?
        if let text = input.phone {
            phone = check.phone("phone", text)
        } else if check.problems["phone"] == nil {
            check.fail("phone", FieldMessage.required)
        }
        let password = required("password", input.password, maxLength: 128)
        let firstName = required("first_name", input.firstName, maxLength: 150)
        let lastName = required("last_name", input.lastName, maxLength: 150)
        if let password { for problem in PasswordPolicy.problems(password) { check.fail("password", problem) } }
        guard check.isEmpty, let phone, let password, let firstName, let lastName else {
            throw AuthError.invalid(check.problems)
        }
        _ = try await reserve([.registration(address: origin.ip)])
        let hash = try await app.password.async.hash(password)
        guard try await User.query(on: db).filter(\.$phone == phone.e164).count() == 0 else {
            logger.info("registration for a registered phone", metadata: ["phone": "\(phone.masked)"])
            return nil
        }
        let user = User(
            phone: phone, firstName: firstName, lastName: lastName, role: .operator, passwordHash: hash,
            isActive: false)
        do {
            try await user.save(on: db)
        } catch {
            // The same phone registered in parallel: the same answer as above.
            if try await User.query(on: db).filter(\.$phone == phone.e164).count() > 0 { return nil }
            throw error
        }
        try await AuditRecorder(db: db, caller: caller, origin: origin).record(
            .create, entity: "user", id: String(user.id ?? 0),
            changes: AuditRecorder.created([
                "phone": .string(user.phone), "role": .string("operator"), "is_active": .bool(false),
            ]))
        return user
    }

    // MARK: - Password change

    /// Changes the caller's password: the new one must pass `PasswordPolicy`, the current one must be right (a
    /// wrong guess is counted like a failed sign-in); then every other session, refresh and access token of the
    /// user is revoked, except `keptSessionID`.
    func changePassword(_ change: PasswordChange) async throws {
        guard let caller else { throw AuthError.signedOut }
        guard let user = try await User.find(caller.id, on: db) else { throw AuthError.signedOut }
        var check = FieldCheck(change.unreadable)
        if let new = change.new {
            for problem in PasswordPolicy.problems(new) { check.fail("new_password", problem) }
        }
        if let current = change.current {
            let attempt = try await reserve([
                .passwordChange(userID: user.id ?? 0, address: origin.ip, config: config)
            ])
            if await checkPassword(current, against: user.passwordHash) {
                try await attempt.succeeded()
            } else {
                check.fail("old_password", Self.wrongPassword)
            }
        }
        guard check.isEmpty, let new = change.new else { throw AuthError.invalid(check.problems) }
        user.passwordHash = try await app.password.async.hash(new)
        let kept = change.keptSessionID
        let audit = AuditRecorder(db: db, caller: caller, origin: origin)
        try await app.writeSerializer.transaction(on: db) { db in
            try await user.save(on: db)
            try await TokenService.revokeAll(of: user.id ?? 0, except: kept, on: db)
            try await audit.on(db).record(
                .update, entity: "user", id: String(user.id ?? 0), changes: ["password_changed": .bool(true)])
        }
        app.userDirectory.forget(user.id ?? 0)
    }

    static let wrongPassword = "Текущий пароль указан неверно"

    /// The answer to every registration, new phone or taken: nothing tells which phones have accounts.
    static let registrationAccepted = "Заявка на регистрацию принята. Администратор активирует учётную запись."
}

extension Request {
    /// Sign-in, registration and password changes, for whoever is (or is not yet) signed in.
    var signIn: AuthService {
        AuthService(
            db: db, app: application, origin: RequestOrigin(self), logger: logger, caller: auth.get(Caller.self))
    }
}

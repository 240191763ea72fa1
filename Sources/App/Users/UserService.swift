import Domain
import Fluent
import Foundation
import SQLKit
import Vapor

/// A user as an admin writes it (and, for `ProfileInput`, as users write themselves).
struct UserInput: Sendable {
    /// As typed; the service checks it and stores it as E.164.
    var phone: Patch<String> = .keep
    /// A new password (checked by `PasswordPolicy`); a change signs the user out everywhere.
    var password: Patch<String> = .keep
    var firstName: Patch<String> = .keep
    var lastName: Patch<String> = .keep
    var email: Patch<String> = .keep
    var position: Patch<String> = .keep
    var avatar: Patch<String> = .keep
    var role: Patch<Role> = .keep
    var isActive: Patch<Bool> = .keep
    var unreadable: [String: [String]] = [:]
}

/// What users may change about themselves (`/users/me/`).
struct ProfileInput: Sendable {
    var firstName: Patch<String> = .keep
    var lastName: Patch<String> = .keep
    var email: Patch<String> = .keep
    var position: Patch<String> = .keep
    var avatar: Patch<String> = .keep
    var locale: Patch<String> = .keep
    var unreadable: [String: [String]] = [:]
}

/// What the user service refuses.
enum UserError: APIMappedError {
    case notFound
    case invalid([String: [String]])
    /// A refused delete (yourself, the last admin), answered as a 400 with a `detail`.
    case refused(String)

    var apiError: any Error {
        switch self {
        case .notFound: APIError.notFound()
        case .invalid(let problems): FieldErrors(problems)
        case .refused(let detail): APIError.badRequest(detail)
        }
    }
}

/// Users: the caller's own profile, the operators list, and admin management (admin-only routes). The rules that
/// keep the company able to work live here: nobody demotes, deactivates or deletes themselves or the last active
/// admin, and a new password or a deactivation signs the user out everywhere.
struct UserService {
    let context: ServiceContext

    var db: any Database { context.db }

    static let duplicatePhone = "Пользователь с таким телефоном уже существует"
    static let lastAdmin = "Нельзя понизить или деактивировать последнего активного администратора."

    func user(_ id: Int) async throws -> User {
        guard let user = try await User.find(id, on: db) else { throw UserError.notFound }
        return user
    }

    /// The caller's own row.
    func me() async throws -> User {
        guard let user = try await User.find(context.caller.id, on: db) else { throw APIError.unauthorized() }
        return user
    }

    /// Active operators, by name.
    func operators() async throws -> [User] {
        try await User.query(on: db)
            .filter(\.$roleValue == Role.operator.rawValue)
            .filter(\.$isActive == true)
            .sort(\.$firstName).sort(\.$lastName)
            .all()
    }

    func updateProfile(_ input: ProfileInput) async throws -> User {
        let user = try await me()
        let before = Self.auditFields(user)
        var check = FieldCheck(input.unreadable)
        if let value = check.text("first_name", input.firstName, required: false, maxLength: 150) {
            user.firstName = value
        }
        if let value = check.text("last_name", input.lastName, required: false, maxLength: 150) {
            user.lastName = value
        }
        if case .set(let text) = input.email, let value = check.email("email", text) { user.email = value }
        if let value = check.text("position", input.position, required: false, maxLength: 120) {
            user.position = value
        }
        if case .set(let text) = input.avatar, let value = check.url("avatar", text) { user.avatar = value }
        if let value = check.text("locale", input.locale, required: false, maxLength: 8, allowBlank: false) {
            user.locale = value
        }
        guard check.isEmpty else { throw UserError.invalid(check.problems) }
        let changes = AuditRecorder.diff(before: before, after: Self.auditFields(user))
        let context = context
        try await context.writes.transaction(on: context.db) { db in
            try await user.save(on: db)
            if !changes.isEmpty {
                try await context.audit(on: db).record(
                    .update, entity: "user", id: String(user.id ?? 0), changes: changes)
            }
        }
        return user
    }

    /// A new user: a unique phone and a password that passes `PasswordPolicy`; a manager unless told otherwise.
    func create(_ input: UserInput) async throws -> User {
        var check = FieldCheck(input.unreadable)
        var phone: PhoneNumber?
        check.require("phone", input.phone, if: true)
        if case .set(let text) = input.phone { phone = check.phone("phone", text) }
        let password = check.text("password", input.password, required: true, maxLength: 128, allowBlank: false)
        let firstName = check.text("first_name", input.firstName, required: false, maxLength: 150) ?? ""
        let lastName = check.text("last_name", input.lastName, required: false, maxLength: 150) ?? ""
        var email = ""
        if case .set(let text) = input.email { email = check.email("email", text) ?? "" }
        let position = check.text("position", input.position, required: false, maxLength: 120) ?? ""
        if let password { for problem in PasswordPolicy.problems(password) { check.fail("password", problem) } }
        if let phone, try await User.query(on: db).filter(\.$phone == phone.e164).count() > 0 {
            check.fail("phone", Self.duplicatePhone)
        }
        guard check.isEmpty, let phone, let password else { throw UserError.invalid(check.problems) }
        let user = User(
            phone: phone, firstName: firstName, lastName: lastName, role: input.role.value(or: .manager),
            passwordHash: try await context.app.password.async.hash(password), isActive: input.isActive.value(or: true))
        user.email = email
        user.position = position
        let context = context
        try await context.writes.transaction(on: context.db) { db in
            try await user.save(on: db)
            try await context.audit(on: db).record(
                .create, entity: "user", id: String(user.id ?? 0),
                changes: AuditRecorder.created(Self.auditFields(user)))
        }
        return user
    }

    /// Changes a user (`requireAll`, for PUT, requires the phone). Nobody takes admin rights from, or
    /// deactivates, themselves or the last active admin. A new password or a deactivation signs the user out
    /// everywhere.
    func update(_ id: Int, _ input: UserInput, requireAll: Bool = false) async throws -> User {
        let user = try await user(id)
        let before = Self.auditFields(user)
        var check = FieldCheck(input.unreadable)
        check.require("phone", input.phone, if: requireAll)
        if case .set(let text) = input.phone, let phone = check.phone("phone", text), phone.e164 != user.phone {
            if try await User.query(on: db).filter(\.$phone == phone.e164).count() > 0 {
                check.fail("phone", Self.duplicatePhone)
            } else {
                user.phone = phone.e164
            }
        }
        if let value = check.text("first_name", input.firstName, required: false, maxLength: 150) {
            user.firstName = value
        }
        if let value = check.text("last_name", input.lastName, required: false, maxLength: 150) {
            user.lastName = value
        }
        if case .set(let text) = input.email, let value = check.email("email", text) { user.email = value }
        if let value = check.text("position", input.position, required: false, maxLength: 120) {
            user.position = value
        }
        if case .set(let text) = input.avatar, let value = check.url("avatar", text) { user.avatar = value }
        let newRole: Role? = if case .set(let role) = input.role { role } else { nil }
        let newActive: Bool? = if case .set(let active) = input.isActive { active } else { nil }
        var newPassword: String?
        if let password = check.text("password", input.password, required: false, maxLength: 128, allowBlank: false) {
            for problem in PasswordPolicy.problems(password) { check.fail("password", problem) }
            newPassword = password
        }
        guard check.isEmpty else { throw UserError.invalid(check.problems) }
        let losesAdmin =
            user.role == .admin && user.isActive
            && ((newRole.map { $0 != .admin } ?? false) || newActive == false)
        if losesAdmin {
            let field = newRole != nil ? "role" : "is_active"
            if user.id == context.caller.id {
                throw UserError.invalid([field: ["Нельзя снять права администратора или деактивировать самого себя."]])
            }
            if try await activeAdminCount() <= 1 {
                throw UserError.invalid([field: [Self.lastAdmin]])
            }
        }
        if let newRole { user.role = newRole }
        if let newActive { user.isActive = newActive }
        if let newPassword { user.passwordHash = try await context.app.password.async.hash(newPassword) }
        let passwordChanged = newPassword != nil
        let context = context
        try await context.writes.transaction(on: context.db) { db in
            try await user.save(on: db)
            if newActive == false || passwordChanged {
                try await TokenService.revokeAll(of: user.id ?? 0, on: db)
            }
            var changes = AuditRecorder.diff(before: before, after: Self.auditFields(user))
            if passwordChanged { changes["password_changed"] = .bool(true) }
            try await context.audit(on: db).record(
                before["role"] != Self.auditFields(user)["role"] ? .roleChange : .update,
                entity: "user", id: String(user.id ?? 0), changes: changes)
        }
        context.app.userDirectory.forget(user.id ?? 0)
        return user
    }

    /// Deletes a user without history; a user with orders, pay or log entries is deactivated instead.
    /// Nobody deletes themselves or the last active admin.
    func delete(_ id: Int) async throws {
        let user = try await user(id)
        if user.id == context.caller.id {
            throw UserError.refused("Нельзя удалить самого себя.")
        }
        if user.role == .admin, user.isActive, try await activeAdminCount() <= 1 {
            throw UserError.refused("Нельзя удалить последнего активного администратора.")
        }
        let hasHistory = try await UserHistory.exists(id, on: db)
        let context = context
        try await context.writes.transaction(on: context.db) { db in
            let audit = context.audit(on: db)
            if hasHistory {
                user.isActive = false
                try await user.save(on: db)
                try await TokenService.revokeAll(of: id, on: db)
                try await audit.record(
                    .update, entity: "user", id: String(id),
                    changes: [
                        "is_active": .object(["from": .bool(true), "to": .bool(false)]),
                        "reason": .string("deleted with history"),
                    ])
            } else {
                try await user.delete(on: db)
                try await audit.record(
                    .delete, entity: "user", id: String(id),
                    changes: AuditRecorder.diff(before: Self.auditFields(user), after: [:]))
            }
        }
        context.app.userDirectory.forget(id)
    }

    private func activeAdminCount() async throws -> Int {
        try await User.query(on: db).filter(\.$roleValue == Role.admin.rawValue).filter(\.$isActive == true).count()
    }

    static func auditFields(_ user: User) -> [String: JSONValue] {
        [
            "phone": .string(user.phone), "first_name": .string(user.firstName), "last_name": .string(user.lastName),
            "email": .string(user.email), "role": .string(user.roleValue), "is_active": .bool(user.isActive),
            "position": .string(user.position),
        ]
    }
}

extension Request {
    /// Users, as the signed-in caller.
    var users: UserService { get throws { UserService(context: try services) } }
}

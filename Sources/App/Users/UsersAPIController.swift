import Domain
import Fluent
import Foundation
import SQLKit
import Vapor

/// `/api/v1/users/…`: the caller's own profile, the operators list, and admin user management.
struct UsersAPIController {
    // MARK: - Own profile

    @Sendable func me(req: Request) async throws -> UserResponse {
        let user = try await loadUser(try req.caller.id, on: req.db)
        return UserResponse(user, timeZone: req.application.config.timeZone)
    }

    @Sendable func updateMe(req: Request) async throws -> UserResponse {
        let user = try await loadUser(try req.caller.id, on: req.db)
        var input = try JSONInput(request: req)
        for key in ["role", "phone", "is_active", "password", "username"] where input.has(key) {
            input.fail(key, "Это поле нельзя изменить в профиле.")
        }
        let before = Self.auditFields(user)
        if let value = input.string("first_name", maxLength: 150) { user.firstName = value }
        if let value = input.string("last_name", maxLength: 150) { user.lastName = value }
        if let value = input.email("email") { user.email = value }
        if let value = input.string("position", maxLength: 120) { user.position = value }
        if let value = input.url("avatar") { user.avatar = value }
        if let value = input.string("locale", maxLength: 8, allowBlank: false) { user.locale = value }
        try input.validate()
        try await user.save(on: req.db)
        try await recordUpdate(req, user: user, before: before)
        return UserResponse(user, timeZone: req.application.config.timeZone)
    }

    @Sendable func changePassword(req: Request) async throws -> [String: String] {
        let user = try await loadUser(try req.caller.id, on: req.db)
        var input = try JSONInput(request: req)
        let old = input.string("old_password", required: true, maxLength: 128, allowBlank: false)
        let new = input.string("new_password", required: true, maxLength: 128, allowBlank: false)
        let confirm = input.string("confirm_password", maxLength: 128)
        // The caller's own session survives when it sends its current refresh token along.
        let keptSession = input.string("refresh", maxLength: 4096)
        if let new {
            for problem in PasswordPolicy.problems(new) { input.fail("new_password", problem) }
            if let confirm, confirm != new { input.fail("confirm_password", "Пароли не совпадают") }
        }
        if let old {
            let attempt = try await req.attemptThrottle.reserve([
                .passwordChange(userID: user.id ?? 0, address: req.clientIP, config: req.application.config)
            ])
            if try await req.password.async.verify(old, created: user.passwordHash) {
                try await attempt.succeeded()
            } else {
                input.fail("old_password", "Текущий пароль указан неверно")
            }
        }
        try input.validate()
        guard let new else { throw APIError.badRequest("Некорректные данные") }
        var keptSessionID: String?
        if let keptSession, let payload = try? await TokenService(request: req).verifiedRefresh(keptSession),
            payload.user_id == user.id
        {
            keptSessionID = payload.jti.value
        }
        let keptID = keptSessionID
        user.passwordHash = try await req.password.async.hash(new)
        try await req.application.writeSerializer.transaction(on: req.db) { db in
            try await user.save(on: db)
            try await TokenService.revokeAll(of: user.id ?? 0, except: keptID, on: db)
            try await AuditRecorder(request: req, db: db).record(
                .update, entity: "user", id: String(user.id ?? 0), changes: ["password_changed": .bool(true)])
        }
        req.application.userDirectory.forget(user.id ?? 0)
        return ["detail": "Пароль успешно изменён"]
    }

    @Sendable func operators(req: Request) async throws -> [UserResponse] {
        let timeZone = req.application.config.timeZone
        return try await User.query(on: req.db)
            .filter(\.$roleValue == Role.operator.rawValue)
            .filter(\.$isActive == true)
            .sort(\.$firstName).sort(\.$lastName)
            .all()
            .map { UserResponse($0, timeZone: timeZone) }
    }

    // MARK: - Admin CRUD

    static let orderingFields: [String: String] = [
        "first_name": "first_name", "last_name": "last_name", "username": "phone", "phone": "phone",
        "date_joined": "created_at", "role": "role", "id": "id",
    ]

    @Sendable func list(req: Request) async throws -> Page<UserResponse> {
        let page = try PageRequest(request: req)
        var filters: [any SQLExpression] = []
        var errors: [String: [String]] = [:]
        if let role: String = req.queryValues["role"], !role.isEmpty {
            if Role(rawValue: role) == nil { errors["role"] = [FieldMessage.choice(role)] }
            filters.append(SQLBinaryExpression(SQLColumn("role"), .equal, SQLBind(role)))
        }
        if let active: String = req.queryValues["is_active"], !active.isEmpty {
            guard let flag = QueryFlag.parse(active) else { throw FieldErrors("is_active", FieldMessage.boolean) }
            filters.append(SQLBinaryExpression(SQLColumn("is_active"), .equal, SQLBind(flag)))
        }
        if !errors.isEmpty { throw FieldErrors(errors) }
        if let search: String = req.queryValues["search"] {
            filters.append(contentsOf: SearchFilter.terms(search))
        }
        let ordering = OrderingParser.parse(
            req.queryValues["ordering"], allowed: Self.orderingFields, fallback: ["first_name", "last_name", "phone"])
        let sql = try req.db.sql()
        let count = try await SearchFilter.count(table: "users", filters: filters, on: sql)
        try PageLinks.checkInRange(page, count: count)
        var select = sql.select().column("id").from("users")
        for filter in filters { select = select.where(filter) }
        for (column, descending) in ordering { select = select.orderBy(column, descending ? .descending : .ascending) }
        let ids = try await select.orderBy("id").limit(page.size).offset(page.offset).all()
            .map { try $0.decode(column: "id", as: Int.self) }
        let users = try await User.query(on: req.db).filter(\.$id ~~ ids).all()
        let byID = Dictionary(uniqueKeysWithValues: users.compactMap { user in user.id.map { ($0, user) } })
        let timeZone = req.application.config.timeZone
        let links = PageLinks.links(for: req, page: page, count: count)
        return Page(
            count: count, next: links.next, previous: links.previous,
            results: ids.compactMap { byID[$0] }.map { UserResponse($0, timeZone: timeZone) })
    }

    @Sendable func show(req: Request) async throws -> UserResponse {
        let user = try await loadUser(try req.intParameter(), on: req.db)
        return UserResponse(user, timeZone: req.application.config.timeZone)
    }

    @Sendable func create(req: Request) async throws -> Response {
        let user = try await Self.create(try req.jsonObject(), req: req)
        return try await UserResponse(user, timeZone: req.application.config.timeZone)
            .encodeResponse(status: .created, for: req)
    }

    /// Creates a user from an API-shaped body (`phone`, `password`, names, `email`, `role`, `is_active`); the web
    /// admin pages call it too. Field problems are thrown as `FieldErrors`.
    static func create(_ body: [String: JSONValue], req: Request) async throws -> User {
        var input = JSONInput(body, timeZone: req.application.config.timeZone)
        let phone = input.phone("phone", required: true)
        let password = input.string("password", required: true, maxLength: 128, allowBlank: false)
        let firstName = input.string("first_name", maxLength: 150) ?? ""
        let lastName = input.string("last_name", maxLength: 150) ?? ""
        let email = input.email("email") ?? ""
        let role = input.choice("role", as: Role.self) ?? .manager
        let isActive = input.bool("is_active") ?? true
        let position = input.string("position", maxLength: 120) ?? ""
        if let password { for problem in PasswordPolicy.problems(password) { input.fail("password", problem) } }
        if let phone, try await User.query(on: req.db).filter(\.$phone == phone.e164).count() > 0 {
            input.fail("phone", "Пользователь с таким телефоном уже существует")
        }
        try input.validate()
        guard let phone, let password else { throw APIError.badRequest("Некорректные данные") }
        let user = User(
            phone: phone, firstName: firstName, lastName: lastName, role: role,
            passwordHash: try await req.password.async.hash(password), isActive: isActive)
        user.email = email
        user.position = position
        try await req.application.writeSerializer.transaction(on: req.db) { db in
            try await user.save(on: db)
            try await AuditRecorder(request: req, db: db).record(
                .create, entity: "user", id: String(user.id ?? 0), changes: AuditRecorder.created(Self.auditFields(user)))
        }
        return user
    }

    @Sendable func update(req: Request) async throws -> UserResponse {
        let user = try await loadUser(try req.intParameter(), on: req.db)
        try await Self.update(user, body: try req.jsonObject(), isPut: req.method == .PUT, req: req)
        return UserResponse(user, timeZone: req.application.config.timeZone)
    }

    /// Changes a user from an API-shaped body (PUT requires the phone); a new `password` resets it and a
    /// deactivation or reset signs the user out everywhere. Used by the API and the web admin pages.
    static func update(_ user: User, body: [String: JSONValue], isPut: Bool, req: Request) async throws {
        let caller = try req.caller
        let before = Self.auditFields(user)
        var input = JSONInput(body, timeZone: req.application.config.timeZone)
        if let phone = input.phone("phone", required: isPut), phone.e164 != user.phone {
            if try await User.query(on: req.db).filter(\.$phone == phone.e164).count() > 0 {
                input.fail("phone", "Пользователь с таким телефоном уже существует")
            } else {
                user.phone = phone.e164
            }
        }
        if let value = input.string("first_name", maxLength: 150) { user.firstName = value }
        if let value = input.string("last_name", maxLength: 150) { user.lastName = value }
        if let value = input.email("email") { user.email = value }
        if let value = input.string("position", maxLength: 120) { user.position = value }
        if let value = input.url("avatar") { user.avatar = value }
        let newRole = input.choice("role", as: Role.self)
        let newActive = input.bool("is_active")
        var newPassword: String?
        if let password = input.string("password", maxLength: 128, allowBlank: false) {
            for problem in PasswordPolicy.problems(password) { input.fail("password", problem) }
            newPassword = password
        }
        try input.validate()

        let losesAdmin = user.role == .admin && user.isActive && ((newRole.map { $0 != .admin } ?? false) || newActive == false)
        if losesAdmin {
            if user.id == caller.id {
                throw FieldErrors(newRole != nil ? "role" : "is_active", "Нельзя снять права администратора или деактивировать самого себя.")
            }
            if try await Self.activeAdminCount(on: req.db) <= 1 {
                throw FieldErrors(newRole != nil ? "role" : "is_active", "Нельзя понизить или деактивировать последнего активного администратора.")
            }
        }
        if let newRole { user.role = newRole }
        if let newActive { user.isActive = newActive }
        if let newPassword { user.passwordHash = try await req.password.async.hash(newPassword) }
        let passwordChanged = newPassword != nil
        try await req.application.writeSerializer.transaction(on: req.db) { db in
            try await user.save(on: db)
            if newActive == false || passwordChanged {
                try await TokenService.revokeAll(of: user.id ?? 0, on: db)
            }
            var changes = AuditRecorder.diff(before: before, after: Self.auditFields(user))
            if passwordChanged { changes["password_changed"] = .bool(true) }
            try await AuditRecorder(request: req, db: db).record(
                before["role"] != Self.auditFields(user)["role"] ? .roleChange : .update,
                entity: "user", id: String(user.id ?? 0), changes: changes)
        }
        req.application.userDirectory.forget(user.id ?? 0)
    }

    /// Deletes a user without history; a user with orders, pay or log entries is deactivated instead.
    @Sendable func delete(req: Request) async throws -> Response {
        let caller = try req.caller
        let user = try await loadUser(try req.intParameter(), on: req.db)
        if user.id == caller.id {
            throw APIError.badRequest("Нельзя удалить самого себя.")
        }
        if user.role == .admin, user.isActive, try await Self.activeAdminCount(on: req.db) <= 1 {
            throw APIError.badRequest("Нельзя удалить последнего активного администратора.")
        }
        let hasHistory = try await UserHistory.exists(user.id ?? 0, on: req.db)
        try await req.application.writeSerializer.transaction(on: req.db) { db in
            let audit = AuditRecorder(request: req, db: db)
            if hasHistory {
                user.isActive = false
                try await user.save(on: db)
                try await TokenService.revokeAll(of: user.id ?? 0, on: db)
                try await audit.record(.update, entity: "user", id: String(user.id ?? 0),
                    changes: ["is_active": .object(["from": .bool(true), "to": .bool(false)]), "reason": .string("deleted with history")])
            } else {
                try await user.delete(on: db)
                try await audit.record(.delete, entity: "user", id: String(user.id ?? 0), changes: AuditRecorder.diff(before: Self.auditFields(user), after: [:]))
            }
        }
        req.application.userDirectory.forget(user.id ?? 0)
        return Response(status: .noContent)
    }

    // MARK: - Helpers

    private func loadUser(_ id: Int, on db: any Database) async throws -> User {
        guard let user = try await User.find(id, on: db) else { throw APIError.notFound() }
        return user
    }

    private static func activeAdminCount(on db: any Database) async throws -> Int {
        try await User.query(on: db).filter(\.$roleValue == Role.admin.rawValue).filter(\.$isActive == true).count()
    }

    private func recordUpdate(_ req: Request, user: User, before: [String: JSONValue]) async throws {
        let changes = AuditRecorder.diff(before: before, after: Self.auditFields(user))
        guard !changes.isEmpty else { return }
        try await AuditRecorder(request: req).record(.update, entity: "user", id: String(user.id ?? 0), changes: changes)
    }

    static func auditFields(_ user: User) -> [String: JSONValue] {
        [
            "phone": .string(user.phone), "first_name": .string(user.firstName), "last_name": .string(user.lastName),
            "email": .string(user.email), "role": .string(user.roleValue), "is_active": .bool(user.isActive),
            "position": .string(user.position),
        ]
    }
}

/// Whether a user appears in any record that must keep pointing at them.
enum UserHistory {
    /// Tables (and columns) that reference users and carry history.
    static let references: [(table: String, column: String)] = [
        ("audit_entries", "actor_id"), ("orders", "manager_id"), ("orders", "created_by_id"),
        ("order_operators", "user_id"), ("order_status_logs", "actor_id"), ("salary_records", "user_id"),
        ("expenses", "reported_by_id"),
    ]

    static func exists(_ userID: Int, on db: any Database) async throws -> Bool {
        let sql = try db.sql()
        for reference in references {
            let rows = try await sql.raw(
                "SELECT 1 AS found FROM \(ident: reference.table) WHERE \(ident: reference.column) = \(bind: userID) LIMIT 1"
            ).all()
            if !rows.isEmpty { return true }
        }
        return false
    }
}

import Domain
import Fluent
import Foundation
import SQLKit
import Vapor

/// `/api/v1/users/…`: the caller's own profile, the operators list, and admin user management.
struct UsersAPIController {
    // MARK: - Own profile

    @Sendable func me(req: Request) async throws -> UserResponse {
        UserResponse(try await req.users.me(), timeZone: req.application.config.timeZone)
    }

    @Sendable func updateMe(req: Request) async throws -> UserResponse {
        var json = try JSONInput(request: req)
        for key in ["role", "phone", "is_active", "password", "username"] where json.has(key) {
            json.fail(key, "Это поле нельзя изменить в профиле.")
        }
        var input = ProfileInput()
        if let value = json.string("first_name", maxLength: .max) { input.firstName = .set(value) }
        if let value = json.string("last_name", maxLength: .max) { input.lastName = .set(value) }
        if let value = json.string("email", maxLength: .max, nullable: true) { input.email = .set(value) }
        if let value = json.string("position", maxLength: .max) { input.position = .set(value) }
        if let value = json.string("avatar", maxLength: .max, nullable: true) { input.avatar = .set(value) }
        if let value = json.string("locale", maxLength: .max) { input.locale = .set(value) }
        input.unreadable = json.errors
        let user = try await req.users.updateProfile(input)
        return UserResponse(user, timeZone: req.application.config.timeZone)
    }

    @Sendable func changePassword(req: Request) async throws -> [String: String] {
        let caller = try req.caller
        var input = try JSONInput(request: req)
        let old = input.string("old_password", required: true, maxLength: 128, allowBlank: false)
        let new = input.string("new_password", required: true, maxLength: 128, allowBlank: false)
        let confirm = input.string("confirm_password", maxLength: 128)
        // The caller's own session survives when it sends its current refresh token along.
        let keptSession = input.string("refresh", maxLength: 4096)
        if let new, let confirm, confirm != new { input.fail("confirm_password", "Пароли не совпадают") }
        var keptSessionID: String?
        if let keptSession, let payload = try? await req.tokens.verifiedRefresh(keptSession),
            payload.user_id == caller.id
        {
            keptSessionID = payload.jti.value
        }
        try await req.signIn.changePassword(
            PasswordChange(current: old, new: new, keptSessionID: keptSessionID, unreadable: input.errors))
        return ["detail": "Пароль успешно изменён"]
    }

    @Sendable func operators(req: Request) async throws -> [UserResponse] {
        let timeZone = req.application.config.timeZone
        return try await req.users.operators().map { UserResponse($0, timeZone: timeZone) }
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
        UserResponse(try await req.users.user(try req.intParameter()), timeZone: req.application.config.timeZone)
    }

    @Sendable func create(req: Request) async throws -> Response {
        let user = try await req.users.create(UserInput(json: try JSONInput(request: req)))
        return try await UserResponse(user, timeZone: req.application.config.timeZone)
            .encodeResponse(status: .created, for: req)
    }

    /// PUT requires the phone; PATCH changes the fields given.
    @Sendable func update(req: Request) async throws -> UserResponse {
        let id = try req.intParameter()
        let input = UserInput(json: try JSONInput(request: req))
        let user = try await req.users.update(id, input, requireAll: req.method == .PUT)
        return UserResponse(user, timeZone: req.application.config.timeZone)
    }

    /// Deletes a user without history; a user with orders, pay or log entries is deactivated instead.
    @Sendable func delete(req: Request) async throws -> Response {
        try await req.users.delete(try req.intParameter())
        return Response(status: .noContent)
    }
}

extension UserInput {
    /// The fields present in a JSON body; wrong types and unknown roles are kept in `unreadable`.
    init(json: JSONInput) {
        var json = json
        if let value = json.string("phone", maxLength: .max) { phone = .set(value) }
        if let value = json.string("password", maxLength: .max) { password = .set(value) }
        if let value = json.string("first_name", maxLength: .max) { firstName = .set(value) }
        if let value = json.string("last_name", maxLength: .max) { lastName = .set(value) }
        if let value = json.string("email", maxLength: .max, nullable: true) { email = .set(value) }
        if let value = json.string("position", maxLength: .max) { position = .set(value) }
        if let value = json.string("avatar", maxLength: .max, nullable: true) { avatar = .set(value) }
        if let value = json.choice("role", as: Role.self) { role = .set(value) }
        if let value = json.bool("is_active") { isActive = .set(value) }
        unreadable = json.errors
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
                """
                SELECT 1 AS found FROM \(ident: reference.table)
                WHERE \(ident: reference.column) = \(bind: userID) LIMIT 1
                """
            ).all()
            if !rows.isEmpty { return true }
        }
        return false
    }
}

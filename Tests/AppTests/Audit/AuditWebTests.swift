import Domain
import Foundation
import SQLKit
import Testing
import Vapor

@testable import App

@Suite("Web: «Журнал действий» — admins only, filters, before → after, never a secret")
struct AuditWebTests {
    /// An entry written as `actor` at `at`.
    static func entry(
        _ t: TestApp, actor: User?, action: AuditRecorder.Action, entity: String, id: String,
        changes: [String: JSONValue], at: Date? = nil
    ) async throws {
        let caller = actor.map { Caller(id: $0.id ?? 0, role: $0.role, fullName: $0.fullName) }
        let recorder = AuditRecorder(
            db: t.db, caller: caller, origin: RequestOrigin(ip: "127.0.0.1", requestID: "r", userAgent: "tests"))
        try await recorder.record(action, entity: entity, id: id, changes: changes)
        if let at {
            try await t.db.sql().update("audit_entries").set("created_at", to: at)
                .where("entity_id", .equal, id).where("entity_type", .equal, entity).run()
        }
    }

    @Test func onlyAdminsOpenTheLog() async throws {
        try await TestApp.run { t in
            let (admin, _, _) = try await WebClient.signedIn(t, .admin)
            let page = try await admin.get("/audit")
            #expect(page.status == .ok)
            #expect(page.contains("<h1") && page.contains("Журнал действий"))
            for role in [Role.manager, .accountant, .operator] {
                let (web, _, _) = try await WebClient.signedIn(t, role)
                let denied = try await web.get("/audit")
                #expect(denied.status == .forbidden, "\(role)")
                #expect(!denied.contains("audit-changes"))
            }
        }
    }

    @Test func filtersByUserEntityAndPeriodNewestFirst() async throws {
        try await TestApp.run { t in
            let (admin, adminUser, _) = try await WebClient.signedIn(t, .admin, firstName: "Анна", lastName: "Админова")
            let (manager, _) = try await t.user(.manager, firstName: "Мария", lastName: "Менеджерова")
            let march = try #require(ISOTime.parse("2025-03-10T12:00:00+03:00", defaultTimeZone: BusinessTime.timeZone))
            let april = try #require(ISOTime.parse("2025-04-02T12:00:00+03:00", defaultTimeZone: BusinessTime.timeZone))
            try await Self.entry(
                t, actor: manager, action: .payment, entity: "payment", id: "901",
                changes: ["amount": .object(["to": .string("1500.00")])], at: march)
            try await Self.entry(
                t, actor: adminUser, action: .update, entity: "client", id: "902",
                changes: ["name": .object(["from": .string("Старое имя"), "to": .string("Новое имя")])], at: april)
            let managerID = String(manager.id ?? 0)

            let byEntity = try await admin.get("/audit?entity=payment")
            #expect(byEntity.status == .ok)
            #expect(byEntity.contains("Платёж № 901"))
            #expect(!byEntity.contains("Новое имя"))

            let byUser = try await admin.get("/audit?user=\(managerID)")
            #expect(byUser.contains("Мария Менеджерова"))
            #expect(byUser.contains("Платёж № 901"))
            #expect(!byUser.contains("Новое имя"))

            let byPeriod = try await admin.get("/audit?from=2025-04-01&to=2025-04-30")
            #expect(byPeriod.contains("Новое имя"))
            #expect(!byPeriod.contains("Платёж № 901"))

            // Newest first; the times are the company's (12:00 Moscow).
            let all = try await admin.get("/audit?from=2025-03-01&to=2025-04-30")
            let newer = try #require(all.body.range(of: "Новое имя"))
            let older = try #require(all.body.range(of: "Платёж № 901"))
            #expect(newer.lowerBound < older.lowerBound)
            #expect(all.contains("10.03.2025 12:00"))

            let bad = try await admin.get("/audit?user=abc&from=31.03.2025")
            #expect(bad.status == .ok)
            #expect(bad.contains("Выберите пользователя из списка."))
            #expect(bad.contains("field__error"))
        }
    }

    @Test func aChangeShowsBeforeAndAfterWithRussianLabelsAndALink() async throws {
        try await TestApp.run { t in
            let (admin, _, token) = try await WebClient.signedIn(t, .admin)
            let created = try await t.send(
                .POST, "/api/v1/clients/", token: token, json: ["name": "ООО Ромашка", "phone": "+79001234567"])
            #expect(created.status == .created)
            let id = try #require(created["id"]?.intValue)
            let changed = try await t.send(
                .PATCH, "/api/v1/clients/\(id)/", token: token, json: ["name": "ООО Василёк", "phone": "+79001234567"])
            #expect(changed.status == .ok)
            let page = try await admin.get("/audit?entity=client")
            #expect(page.contains("Изменение"))
            #expect(page.contains("Создание"))
            #expect(page.contains("href=\"/clients/\(id)\""))
            #expect(page.contains("Название: "))
            #expect(page.contains("<span class=\"audit-changes__before\">ООО Ромашка</span> → "))
            #expect(page.contains("<span class=\"audit-changes__after\">ООО Василёк</span>"))
            // Only the changed field of the update: the phone did not change.
            let update = try #require(page.body.components(separatedBy: "<tr").first { $0.contains("Изменение") })
            #expect(!update.contains("Телефон"))
        }
    }

    @Test func creatingAUserAndChangingPasswordsLeavesNoSecretInTheTableOrOnThePage() async throws {
        try await TestApp.run { t in
            let (admin, _, token) = try await WebClient.signedIn(t, .admin)
            let secret = "Very-Secret-Pass-42"
            let created = try await t.send(
                .POST, "/api/v1/users/", token: token,
                json: ["phone": "+79005556677", "password": secret, "first_name": "Пётр", "role": "operator"])
            #expect(created.status == .created)
            let id = try #require(created["id"]?.intValue)
            let newSecret = "Another-Secret-Pass-43"
            let changed = try await t.send(.PATCH, "/api/v1/users/\(id)/", token: token, json: ["password": newSecret])
            #expect(changed.status == .ok)
            // The user's own change through the API, with the refresh token sent along.
            let login = try await t.send(
                .POST, "/api/v1/token/", json: ["phone": "+79005556677", "password": newSecret])
            let own = try #require(login.string("access"))
            let refresh = try #require(login.string("refresh"))
            let third = "Third-Secret-Pass-44"
            let ownChange = try await t.send(
                .POST, "/api/v1/users/change-password/", token: own,
                json: ["old_password": newSecret, "new_password": third, "confirm_password": third, "refresh": refresh])
            #expect(ownChange.status == .ok)

            let hash = try #require(
                try await t.db.sql().select().column("password_hash").from("users").where("id", .equal, id).first()?
                    .decode(column: "password_hash", as: String.self))
            let stored = try await t.db.sql().select().column("changes").from("audit_entries").all()
                .map { try $0.decode(column: "changes", as: String.self) }.joined(separator: "\n")
            #expect(stored.contains("password_changed"))
            for forbidden in [secret, newSecret, third, hash, "$2", refresh, "password_hash"] {
                #expect(!stored.contains(forbidden), "the audit table holds \(forbidden.prefix(8))…")
            }
            let page = try await admin.get("/audit?entity=user")
            #expect(page.status == .ok)
            #expect(page.contains("Пароль изменён"))
            for forbidden in [secret, newSecret, third, hash, refresh] {
                #expect(!page.contains(forbidden))
            }
            let api = try await t.send(.GET, "/api/v1/audit/?entity=user", token: token)
            #expect(api.status == .ok)
            #expect(!api.body.contains(hash) && !api.body.contains(secret))
        }
    }

    @Test func theRecorderRedactsSecretsByRuleAtAnyDepth() {
        let hash = "$2b$12$abcdefghijklmnopqrstuvABCDEFGHIJKLMNOPQRSTUVWXYZ01234"
        let jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl"
        let clean = AuditRecorder.redacted([
            "password": .string("plain"), "password_hash": .string(hash), "passwordHash": .string(hash),
            "password_changed": .bool(true), "refresh": .string(jwt), "accessToken": .string(jwt),
            "settings": .object([
                "telegram_bot_token": .string("123:ABC"), "vapid_private_key": .string("k"), "jwt_secret": .string("s"),
                "vapid_public_key": .string("public"), "chat": .string("42"),
            ]),
            "note": .string(hash), "session": .string(jwt), "name": .string("Пётр"),
            "list": .array([.string(hash), .string("ok")]),
        ])
        #expect(clean["password"] == nil && clean["password_hash"] == nil && clean["passwordHash"] == nil)
        #expect(clean["refresh"] == nil && clean["accessToken"] == nil)
        #expect(clean["password_changed"] == .bool(true))
        #expect(clean["note"] == nil && clean["session"] == nil)
        #expect(clean["name"] == .string("Пётр"))
        #expect(clean["list"] == .array([.string("ok")]))
        let settings = clean["settings"]?.objectValue ?? [:]
        #expect(settings.keys.sorted() == ["chat", "vapid_public_key"])
        #expect(AuditRecorder.isSecret(key: "TELEGRAM_BOT_TOKEN"))
        #expect(!AuditRecorder.isSecret(key: "position"))
        #expect(!AuditRecorder.isSecret(key: "code"))
    }
}

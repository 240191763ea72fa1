import Domain
import Foundation
import Testing
import Vapor

@testable import App

@Suite("Users: profile, password, admin CRUD, last-admin protection")
struct UsersTests {
    @Test func meShowsAndUpdatesOnlyOwnNames() async throws {
        try await TestApp.run { t in
            let (_, token) = try await t.user(.operator, phone: "+79990001111", firstName: "Сергей", lastName: "Осипов")
            let me = try await t.send(.GET, "/api/v1/users/me/", token: token)
            #expect(me.status == .ok)
            #expect(me.string("full_name") == "Сергей Осипов")
            #expect(me.string("role_display") == "Оператор")
            let patched = try await t.send(
                .PATCH, "/api/v1/users/me/", token: token, json: ["first_name": "Серёжа", "email": "s@example.ru"])
            #expect(patched.status == .ok)
            #expect(patched.string("first_name") == "Серёжа")
            let escalation = try await t.send(.PATCH, "/api/v1/users/me/", token: token, json: ["role": "admin"])
            #expect(escalation.status == .badRequest)
            #expect(escalation["role"] != nil)
            let badEmail = try await t.send(.PATCH, "/api/v1/users/me/", token: token, json: ["email": "nope"])
            #expect(badEmail.status == .badRequest)
            let again = try await t.send(.GET, "/api/v1/users/me/", token: token)
            #expect(again.string("role") == "operator")
            #expect(again.string("email") == "s@example.ru")
        }
    }

    @Test func anonymousCallsAre401() async throws {
        try await TestApp.run { t in
            for path in ["/api/v1/users/me/", "/api/v1/users/", "/api/v1/users/operators/"] {
                let reply = try await t.send(.GET, path)
                #expect(reply.status == .unauthorized, "\(path)")
                #expect(reply.headers.first(name: "WWW-Authenticate")?.contains("Bearer") == true)
            }
        }
    }

    @Test func changePasswordChecksOldAndPolicyAndRevokesOtherSessions() async throws {
        try await TestApp.run { t in
            let (_, token) = try await t.user(.manager, phone: "+79990002222")
            let other = try await t.send(
                .POST, "/api/v1/token/", json: ["phone": "+79990002222", "password": TestApp.password])
            let otherRefresh = try #require(other.string("refresh"))
            let mine = try await t.send(
                .POST, "/api/v1/token/", json: ["phone": "+79990002222", "password": TestApp.password])
            let myRefresh = try #require(mine.string("refresh"))
            let wrongOld = try await t.send(
                .POST, "/api/v1/users/change-password/", token: token,
                json: [
                    "old_password": "bad-bad-bad", "new_password": "new-password-1",
                    "confirm_password": "new-password-1",
                ])
            #expect(wrongOld.status == .badRequest)
            #expect(wrongOld["old_password"]?.arrayValue.first?.stringValue == "Текущий пароль указан неверно")
            let digits = try await t.send(
                .POST, "/api/v1/users/change-password/", token: token,
                json: ["old_password": TestApp.password, "new_password": "12345678"])
            #expect(digits.status == .badRequest)
            #expect(digits["new_password"] != nil)
            let short = try await t.send(
                .POST, "/api/v1/users/change-password/", token: token,
                json: ["old_password": TestApp.password, "new_password": "abc1"])
            #expect(short.status == .badRequest)
            let ok = try await t.send(
                .POST, "/api/v1/users/change-password/", token: token,
                json: [
                    "old_password": TestApp.password, "new_password": "new-password-1",
                    "confirm_password": "new-password-1",
                    "refresh": myRefresh,
                ])
            #expect(ok.status == .ok)
            #expect(
                try await t.send(.POST, "/api/v1/token/refresh/", json: ["refresh": otherRefresh]).status
                    == .unauthorized)
            #expect(try await t.send(.POST, "/api/v1/token/refresh/", json: ["refresh": myRefresh]).status == .ok)
            let login = try await t.send(
                .POST, "/api/v1/token/", json: ["phone": "+79990002222", "password": "new-password-1"])
            #expect(login.status == .ok)
        }
    }

    @Test func operatorsListIsForAdminsAndManagersOnly() async throws {
        try await TestApp.run { t in
            let (_, manager) = try await t.user(.manager)
            let (_, operatorToken) = try await t.user(.operator, firstName: "Борис")
            try await t.user(.operator, firstName: "Антон")
            try await t.user(.operator, firstName: "Выключенный", active: false)
            let list = try await t.send(.GET, "/api/v1/users/operators/", token: manager)
            #expect(list.status == .ok)
            #expect(list.array.map { $0["first_name"]?.stringValue } == ["Антон", "Борис"])
            #expect(try await t.send(.GET, "/api/v1/users/operators/", token: operatorToken).status == .forbidden)
        }
    }

    @Test func adminCrudWithFiltersSearchOrderingAndPagination() async throws {
        try await TestApp.run { t in
            let (_, admin) = try await t.user(.admin, firstName: "Админ")
            let (_, manager) = try await t.user(.manager)
            #expect(try await t.send(.GET, "/api/v1/users/", token: manager).status == .forbidden)
            for index in 0..<5 {
                let created = try await t.send(
                    .POST, "/api/v1/users/", token: admin,
                    json: [
                        "phone": "+7 999 700-00-0\(index)", "password": "pass-word-\(index)",
                        "first_name": "Оператор\(index)",
                        "last_name": "Тестов", "role": "operator",
                    ])
                #expect(created.status == .created)
                #expect(created.string("phone") == "+7999700000\(index)")
            }
            let duplicate = try await t.send(
                .POST, "/api/v1/users/", token: admin, json: ["phone": "89997000000", "password": "pass-word-9"])
            #expect(duplicate.status == .badRequest)
            #expect(duplicate["phone"] != nil)
            let badRole = try await t.send(
                .POST, "/api/v1/users/", token: admin,
                json: ["phone": "+79997000099", "password": "pass-word-9", "role": "boss"])
            #expect(badRole.status == .badRequest)

            let page = try await t.send(
                .GET, "/api/v1/users/?role=operator&page_size=2&ordering=-first_name", token: admin)
            #expect(page.status == .ok)
            #expect(page["count"]?.intValue == 5)
            #expect(page.results.count == 2)
            #expect(page.results.first?["first_name"]?.stringValue == "Оператор4")
            #expect(page.string("next")?.contains("page=2") == true)
            #expect(page["previous"] == .null)
            let last = try await t.send(.GET, "/api/v1/users/?role=operator&page_size=2&page=3", token: admin)
            #expect(last.results.count == 1)
            #expect(try await t.send(.GET, "/api/v1/users/?page=9", token: admin).status == .notFound)
            let search = try await t.send(.GET, "/api/v1/users/?search=оператор3", token: admin)
            #expect(search["count"]?.intValue == 1)
            let byPhone = try await t.send(.GET, "/api/v1/users/?search=7000002", token: admin)
            #expect(byPhone["count"]?.intValue == 1)
            let inactive = try await t.send(.GET, "/api/v1/users/?is_active=false", token: admin)
            #expect(inactive["count"]?.intValue == 0)
            let bigPage = try await t.send(.GET, "/api/v1/users/?page_size=1000", token: admin)
            #expect(bigPage.results.count == 7)
        }
    }

    @Test func adminCannotDemoteOrDeleteThemselfOrTheLastAdmin() async throws {
        try await TestApp.run { t in
            let (me, admin) = try await t.user(.admin)
            let myID = try #require(me.id)
            let demote = try await t.send(.PATCH, "/api/v1/users/\(myID)/", token: admin, json: ["role": "manager"])
            #expect(demote.status == .badRequest)
            #expect(demote["role"] != nil)
            let deactivate = try await t.send(
                .PATCH, "/api/v1/users/\(myID)/", token: admin, json: ["is_active": false])
            #expect(deactivate.status == .badRequest)
            #expect(try await t.send(.DELETE, "/api/v1/users/\(myID)/", token: admin).status == .badRequest)

            let (other, _) = try await t.user(.admin)
            let otherID = try #require(other.id)
            let demoteOther = try await t.send(
                .PATCH, "/api/v1/users/\(otherID)/", token: admin, json: ["role": "manager"])
            #expect(demoteOther.status == .ok)
            #expect(demoteOther.string("role") == "manager")
        }
    }

    @Test func deleteRemovesAUserWithoutHistoryAndDeactivatesOneWithHistory() async throws {
        try await TestApp.run { t in
            let (_, admin) = try await t.user(.admin)
            let (fresh, _) = try await t.user(.operator)
            let freshID = try #require(fresh.id)
            #expect(try await t.send(.DELETE, "/api/v1/users/\(freshID)/", token: admin).status == .noContent)
            #expect(try await t.send(.GET, "/api/v1/users/\(freshID)/", token: admin).status == .notFound)

            let (busy, busyToken) = try await t.user(.manager)
            let busyID = try #require(busy.id)
            // A profile change leaves an audit entry by this user: history to keep.
            _ = try await t.send(.PATCH, "/api/v1/users/me/", token: busyToken, json: ["first_name": "Занятой"])
            #expect(try await t.send(.DELETE, "/api/v1/users/\(busyID)/", token: admin).status == .noContent)
            let kept = try await t.send(.GET, "/api/v1/users/\(busyID)/", token: admin)
            #expect(kept.status == .ok)
            #expect(kept["is_active"]?.boolValue == false)
        }
    }
}

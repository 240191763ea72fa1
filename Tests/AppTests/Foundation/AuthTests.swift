import Domain
import Fluent
import Foundation
import Testing
import Vapor

@testable import App

@Suite("Auth: tokens, refresh rotation, blacklist, throttling")
struct AuthTests {
    @Test func loginAcceptsEveryPhoneSpellingAndReturnsUser() async throws {
        try await TestApp.run { t in
            try await t.user(.manager, phone: "+79991112233", firstName: "Анна")
            for spelling in ["+7 (999) 111-22-33", "89991112233", "+79991112233", "9991112233"] {
                let reply = try await t.send(
                    .POST, "/api/v1/token/", json: ["phone": spelling, "password": TestApp.password])
                #expect(reply.status == .ok, "spelling \(spelling)")
                #expect(reply.string("access")?.isEmpty == false)
                #expect(reply.string("refresh")?.isEmpty == false)
                #expect(reply["user"]?["phone"]?.stringValue == "+79991112233")
                #expect(reply["user"]?["role"]?.stringValue == "manager")
            }
        }
    }

    @Test func wrongPasswordUnknownPhoneAndInactiveUserGetTheSame401() async throws {
        try await TestApp.run { t in
            try await t.user(.operator, phone: "+79990000001")
            try await t.user(.operator, phone: "+79990000002", active: false)
            let wrong = try await t.send(
                .POST, "/api/v1/token/", json: ["phone": "+79990000001", "password": "nope-nope"])
            let unknown = try await t.send(
                .POST, "/api/v1/token/", json: ["phone": "+79990000009", "password": TestApp.password])
            let inactive = try await t.send(
                .POST, "/api/v1/token/", json: ["phone": "+79990000002", "password": TestApp.password])
            for reply in [wrong, unknown, inactive] {
                #expect(reply.status == .unauthorized)
                #expect(reply.string("detail") == "Неверный телефон или пароль")
            }
        }
    }

    @Test func missingFieldsAndMalformedJSONAre400() async throws {
        try await TestApp.run { t in
            let missing = try await t.send(.POST, "/api/v1/token/", json: ["phone": "+79990000001"])
            #expect(missing.status == .badRequest)
            #expect(missing["password"]?.arrayValue.first?.stringValue == FieldMessage.required)
            let malformed = try await t.send(.POST, "/api/v1/token/", json: "{\"phone\": ")
            #expect(malformed.status == .badRequest)
            #expect(malformed.string("detail")?.contains("JSON") == true)
            let notObject = try await t.send(.POST, "/api/v1/token/", json: "[1,2]")
            #expect(notObject.status == .badRequest)
        }
    }

    @Test func refreshRotatesAndTheUsedTokenStopsWorking() async throws {
        try await TestApp.run { t in
            try await t.user(.manager, phone: "+79990000003")
            let login = try await t.send(
                .POST, "/api/v1/token/", json: ["phone": "+79990000003", "password": TestApp.password])
            let first = try #require(login.string("refresh"))
            let rotated = try await t.send(.POST, "/api/v1/token/refresh/", json: ["refresh": first])
            #expect(rotated.status == .ok)
            let second = try #require(rotated.string("refresh"))
            #expect(second != first)
            let access = try #require(rotated.string("access"))
            #expect(try await t.send(.GET, "/api/v1/users/me/", token: access).status == .ok)
            let reused = try await t.send(.POST, "/api/v1/token/refresh/", json: ["refresh": first])
            #expect(reused.status == .unauthorized)
            #expect(reused.string("code") == "token_not_valid")
            // A reused token means a copy is about: the whole login is revoked (SignInSecurityTests).
            #expect(
                try await t.send(.POST, "/api/v1/token/refresh/", json: ["refresh": second]).status == .unauthorized)
        }
    }

    @Test func blacklistRevokesTheRefreshToken() async throws {
        try await TestApp.run { t in
            try await t.user(.manager, phone: "+79990000004")
            let login = try await t.send(
                .POST, "/api/v1/token/", json: ["phone": "+79990000004", "password": TestApp.password])
            let refresh = try #require(login.string("refresh"))
            let revoked = try await t.send(.POST, "/api/v1/token/blacklist/", json: ["refresh": refresh])
            #expect(revoked.status == .ok)
            #expect(
                try await t.send(.POST, "/api/v1/token/refresh/", json: ["refresh": refresh]).status == .unauthorized)
            #expect(
                try await t.send(.POST, "/api/v1/token/blacklist/", json: ["refresh": "garbage"]).status
                    == .unauthorized)
        }
    }

    @Test func accessTokenIsNotAcceptedAsRefreshAndGarbageTokenIs401() async throws {
        try await TestApp.run { t in
            let (_, access) = try await t.user(.manager)
            #expect(
                try await t.send(.POST, "/api/v1/token/refresh/", json: ["refresh": access]).status == .unauthorized)
            let garbage = try await t.send(.GET, "/api/v1/users/me/", token: "not.a.jwt")
            #expect(garbage.status == .unauthorized)
            #expect(garbage.string("code") == "token_not_valid")
        }
    }

    @Test func tenFailedLoginsPerPhoneAreThrottledWithRetryAfter() async throws {
        try await TestApp.run { t in
            try await t.user(.manager, phone: "+79990000005")
            for _ in 0..<10 {
                let reply = try await t.send(
                    .POST, "/api/v1/token/", json: ["phone": "+79990000005", "password": "wrong-pass"])
                #expect(reply.status == .unauthorized)
            }
            let blocked = try await t.send(
                .POST, "/api/v1/token/", json: ["phone": "+79990000005", "password": TestApp.password])
            #expect(blocked.status == .tooManyRequests)
            let retryAfter = Int(blocked.headers.first(name: "Retry-After") ?? "") ?? 0
            #expect(retryAfter > 0 && retryAfter <= 900)
            #expect(blocked.string("detail")?.isEmpty == false)
        }
    }

    @Test func successfulLoginsAreNeverThrottled() async throws {
        try await TestApp.run { t in
            try await t.user(.manager, phone: "+79990000006")
            for _ in 0..<15 {
                let reply = try await t.send(
                    .POST, "/api/v1/token/", json: ["phone": "+79990000006", "password": TestApp.password])
                #expect(reply.status == .ok)
            }
        }
    }

    @Test func registrationCreatesAnInactiveOperator() async throws {
        try await TestApp.run { t in
            let reply = try await t.send(
                .POST, "/api/v1/users/register/",
                json: [
                    "phone": "8 (999) 555-44-33", "password": "long-enough-1", "first_name": "Иван",
                    "last_name": "Иванов",
                ])
            #expect(reply.status == .accepted)
            #expect(reply.string("detail") == AuthAPIController.registrationAccepted)
            let user = try #require(try await User.query(on: t.db).filter(\.$phone == "+79995554433").first())
            #expect(user.role == .operator)
            #expect(!user.isActive)
            let login = try await t.send(
                .POST, "/api/v1/token/", json: ["phone": "+79995554433", "password": "long-enough-1"])
            #expect(login.status == .unauthorized)
            // A taken phone is not told apart from a new one (SignInSecurityTests).
            let duplicate = try await t.send(
                .POST, "/api/v1/users/register/",
                json: ["phone": "+79995554433", "password": "long-enough-1", "first_name": "И", "last_name": "И"])
            #expect(duplicate.status == .accepted)
            #expect(duplicate.body == reply.body)
            let weak = try await t.send(
                .POST, "/api/v1/users/register/",
                json: ["phone": "garbage", "password": "1234", "first_name": "", "last_name": "И"])
            #expect(weak.status == .badRequest)
            #expect(weak["phone"] != nil && weak["password"] != nil && weak["first_name"] != nil)
        }
    }

    @Test func registrationCanBeSwitchedOff() async throws {
        try await TestApp.run(adjust: { $0.allowRegistration = false }) { t in
            let reply: TestApp.Reply = try await t.send(
                .POST, "/api/v1/users/register/",
                json: [
                    "phone": "+79995554433", "password": "long-enough-1", "first_name": "Иван", "last_name": "Иванов",
                ])
            #expect(reply.status == .notFound)
        }
    }
}

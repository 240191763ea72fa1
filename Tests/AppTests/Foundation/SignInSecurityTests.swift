import Domain
import Fluent
import Foundation
import SQLKit
import Testing
import Vapor

@testable import App

@Suite("Auth: open redirects, sign-in throttling, registration, token revocation")
struct SignInSecurityTests {
    // MARK: - Open redirect after login

    static let foreignTargets = [
        "//evil.com", "/\\evil.com", "/%09/evil.com", "/%2F/evil.com", "/%2f%2fevil.com", "/%5Cevil.com",
        "https://evil.com", "http:/evil.com", "javascript:alert(1)", "/\t/evil", " //evil", "/%0d%0a/evil",
        "/\r\n/evil", "/%00/evil", "\\\\evil.com", "/.//evil.com", "evil.com", "", "/%E2%80%8B/evil",
    ]

    @Test(arguments: foreignTargets)
    func aForeignTargetIsNotFollowed(target: String) {
        #expect(WebSafety.localPath(target) == nil)
    }

    @Test(arguments: ["/orders/5?tab=x", "/", "/orders?status=CREATED&page=2", "/clients/%D0%90", "/profile#top"])
    func aLocalPathIsFollowed(target: String) {
        #expect(WebSafety.localPath(target) == target)
    }

    @Test func theLoginFormAndTheLoginFallBackToTheHomePage() async throws {
        try await TestApp.run { t in
            let (user, _) = try await t.user(.manager)
            for target in ["/%09/evil.example", "//evil.example", "/%5Cevil.example", "/%2F/evil.example"] {
                let web = WebClient(t)
                let form = try await web.get(
                    "/login?next=\(target.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")")
                #expect(form.status == .ok)
                #expect(!form.contains("evil.example"), "form for \(target)")
                let login = try await web.login(user.phone, next: target)
                #expect(login.location == "/", "login with \(target)")
                // Signed in, the form redirects at once: to the home page, not to the target.
                let again = try await web.get("/login?next=\(target)")
                #expect(again.location == "/", "signed-in form with \(target)")
            }
            let good = WebClient(t)
            #expect(try await good.login(user.phone, next: "/orders/5?tab=x").location == "/orders/5?tab=x")
        }
    }

    // MARK: - Sign-in throttling

    @Test func aBurstOfWrongPasswordsGetsTenGuessesAndTheOwnerStillSignsInElsewhere() async throws {
        // A pause longer than any run of the burst: with 30 s, a burst slowed past 30 s by a loaded machine
        // legitimately got an 11th guess once.
        try await TestApp.run(adjust: {
            $0.trustedProxies = ["127.0.0.1"]
            $0.loginFirstPause = 3600
        }) { t in
            let phone = "+79990007001"
            try await t.user(.manager, phone: phone)
            let attacker = ["X-Forwarded-For": "198.51.100.7"]
            // MUT: 30 wrong passwords at once from one address
            let burst = try await t.postConcurrently(
                "/api/v1/token/", Array(repeating: ["phone": phone, "password": "wrong-pass"], count: 30),
                headers: attacker)
            // validate
            let guessed = burst.filter { $0.status == .unauthorized }.count
            let refused = burst.filter { $0.status == .tooManyRequests }
            #expect(guessed <= 10, "\(guessed) guesses were checked, \(refused.count) refused")
            #expect(guessed + refused.count == 30)
            for reply in refused {
                #expect(Int(reply.headers.first(name: "Retry-After") ?? "") ?? 0 > 0)
                #expect(reply.string("detail")?.hasPrefix("Слишком много неудачных попыток входа") == true)
            }
            let fromAttacker = try await t.send(
                .POST, "/api/v1/token/", json: ["phone": phone, "password": TestApp.password], headers: attacker)
            #expect(fromAttacker.status == .tooManyRequests)
            let owner = try await t.send(
                .POST, "/api/v1/token/", json: ["phone": phone, "password": TestApp.password],
                headers: ["X-Forwarded-For": "203.0.113.20"])
            #expect(owner.status == .ok)
        }
    }

    @Test func forwardedForIsIgnoredUnlessThePeerIsATrustedProxy() async throws {
        try await TestApp.run { t in
            let phone = "+79990007002"
            try await t.user(.manager, phone: phone)
            for index in 0..<10 {
                let reply = try await t.send(
                    .POST, "/api/v1/token/", json: ["phone": phone, "password": "wrong-pass"],
                    headers: ["X-Forwarded-For": "198.51.100.\(index)"])
                #expect(reply.status == .unauthorized)
            }
            let next = try await t.send(
                .POST, "/api/v1/token/", json: ["phone": phone, "password": TestApp.password],
                headers: ["X-Forwarded-For": "203.0.113.20"])
            #expect(next.status == .tooManyRequests)
        }
    }

    @Test func theWebLoginIsThrottledLikeTheAPI() async throws {
        try await TestApp.run { t in
            let phone = "+79990007003"
            try await t.user(.manager, phone: phone)
            let web = WebClient(t)
            try await web.get("/login")
            for _ in 0..<10 {
                #expect(
                    try await web.post("/login", [("phone", phone), ("password", "wrong-pass")]).status == .unauthorized
                )
            }
            let refused = try await web.post("/login", [("phone", phone), ("password", TestApp.password)])
            #expect(refused.status == .tooManyRequests)
            #expect(refused.headers.first(name: "Retry-After") != nil)
            #expect(refused.contains("Слишком много неудачных попыток входа"))
        }
    }

    @Test func pausesDoubleAfterTheFreeAttempts() {
        let rule = AttemptThrottle.Rule.signIn(AppConfig.testing(), scale: 1)
        let now = Date()
        #expect(rule.blockedUntil(after: 9, from: now) == nil)
        #expect(rule.blockedUntil(after: 10, from: now) == now.addingTimeInterval(30))
        #expect(rule.blockedUntil(after: 11, from: now) == now.addingTimeInterval(60))
        #expect(rule.blockedUntil(after: 13, from: now) == now.addingTimeInterval(240))
        #expect(rule.blockedUntil(after: 100, from: now) == now.addingTimeInterval(3600))
    }

    @Test func wrongCurrentPasswordsAreThrottledOnTheAPIAndTheWebForm() async throws {
        try await TestApp.run { t in
            let (_, token) = try await t.user(.manager)
            let wrong: [String: String] = [
                "old_password": "wrong-pass", "new_password": "new-password-1", "confirm_password": "new-password-1",
            ]
            for _ in 0..<10 {
                #expect(
                    try await t.send(.POST, "/api/v1/users/change-password/", token: token, json: wrong).status
                        == .badRequest)
            }
            let refused = try await t.send(
                .POST, "/api/v1/users/change-password/", token: token,
                json: [
                    "old_password": TestApp.password, "new_password": "new-password-1",
                    "confirm_password": "new-password-1",
                ])
            #expect(refused.status == .tooManyRequests)
            #expect(Int(refused.headers.first(name: "Retry-After") ?? "") ?? 0 > 0)

            let (web, _, _) = try await WebClient.signedIn(t, .operator)
            try await web.get("/profile")
            let fields = [("new_password", "new-pass-123"), ("new_password_confirm", "new-pass-123")]
            for _ in 0..<10 {
                let reply = try await web.post("/profile/password", [("current_password", "nope-nope-1")] + fields)
                #expect(reply.status == .unprocessableEntity)
            }
            let blocked = try await web.post("/profile/password", [("current_password", TestApp.password)] + fields)
            #expect(blocked.status == .tooManyRequests)
            #expect(blocked.contains("Слишком много неверных попыток"))
        }
    }

    // MARK: - Registration

    @Test func aRegisteredPhoneGetsTheSameAnswerAsANewOne() async throws {
        try await TestApp.run { t in
            try await t.user(.manager, phone: "+79990007010")
            func register(_ phone: String) async throws -> TestApp.Reply {
                try await t.send(
                    .POST, "/api/v1/users/register/",
                    json: ["phone": phone, "password": "long-enough-1", "first_name": "Иван", "last_name": "Иванов"])
            }
            let taken = try await register("+79990007010")
            let new = try await register("+79990007011")
            #expect(taken.status == .accepted)
            #expect(taken.status == new.status)
            #expect(taken.body == new.body)
            let existing = try #require(try await User.query(on: t.db).filter(\.$phone == "+79990007010").first())
            #expect(existing.role == .manager && existing.isActive)
            let created = try #require(try await User.query(on: t.db).filter(\.$phone == "+79990007011").first())
            #expect(created.role == .operator && !created.isActive)
        }
    }

    @Test func registrationIsLimitedPerAddress() async throws {
        try await TestApp.run { t in
            var statuses: [HTTPResponseStatus] = []
            for index in 0..<6 {
                let reply = try await t.send(
                    .POST, "/api/v1/users/register/",
                    json: [
                        "phone": "+7999000702\(index)", "password": "long-enough-1", "first_name": "И",
                        "last_name": "И",
                    ])
                statuses.append(reply.status)
                if reply.status == .tooManyRequests {
                    #expect(reply.headers.first(name: "Retry-After") != nil)
                    #expect(reply.string("detail")?.contains("регистрацию") == true)
                }
            }
            #expect(statuses == Array(repeating: .accepted, count: 5) + [.tooManyRequests])
        }
    }

    @Test func theRegistrationSetting() throws {
        let secret: (String) throws -> String = { _ in String(repeating: "s", count: 40) }
        #expect(try AppConfig.load(from: [:], secretStore: secret).allowRegistration)
        #expect(try AppConfig.load(from: ["REGISTRATION": "approval"], secretStore: secret).allowRegistration)
        #expect(try !AppConfig.load(from: ["REGISTRATION": "off"], secretStore: secret).allowRegistration)
        #expect(try !AppConfig.load(from: ["RINGO_ALLOW_REGISTRATION": "false"], secretStore: secret).allowRegistration)
        #expect(throws: ConfigError.self) { try AppConfig.load(from: ["REGISTRATION": "open"], secretStore: secret) }
    }

    @Test func switchedOffRegistrationSaysSo() async throws {
        try await TestApp.run(adjust: { $0.allowRegistration = false }) { t in
            let reply = try await t.send(
                .POST, "/api/v1/users/register/",
                json: ["phone": "+79990007030", "password": "long-enough-1", "first_name": "И", "last_name": "И"])
            #expect(reply.status == .notFound)
            #expect(reply.string("detail")?.contains("Регистрация отключена") == true)
        }
    }

    // MARK: - Tokens after a password change, a deactivation, a reused refresh token

    @Test func aPasswordChangeEndsEarlierAccessTokensAndWebSessions() async throws {
        try await TestApp.run { t in
            let (web, user, token) = try await WebClient.signedIn(t, .manager)
            #expect(try await t.send(.GET, "/api/v1/users/me/", token: token).status == .ok)
            let changed = try await t.send(
                .POST, "/api/v1/users/change-password/", token: token,
                json: [
                    "old_password": TestApp.password, "new_password": "new-password-1",
                    "confirm_password": "new-password-1",
                ])
            #expect(changed.status == .ok)
            let stale = try await t.send(.GET, "/api/v1/users/me/", token: token)
            #expect(stale.status == .unauthorized)
            #expect(stale.string("code") == "token_not_valid")
            #expect(try await web.get("/profile").status == .seeOther)
            let login = try await t.send(
                .POST, "/api/v1/token/", json: ["phone": user.phone, "password": "new-password-1"])
            let fresh = try #require(login.string("access"))
            #expect(try await t.send(.GET, "/api/v1/users/me/", token: fresh).status == .ok)
        }
    }

    @Test func aDeactivatedUsersTokensStopAtOnce() async throws {
        try await TestApp.run { t in
            let (_, admin) = try await t.user(.admin)
            let (web, user, token) = try await WebClient.signedIn(t, .operator)
            #expect(try await t.send(.GET, "/api/v1/users/me/", token: token).status == .ok)
            let off = try await t.send(
                .PATCH, "/api/v1/users/\(user.id ?? 0)/", token: admin, json: ["is_active": false])
            #expect(off.status == .ok)
            #expect(try await t.send(.GET, "/api/v1/users/me/", token: token).status == .unauthorized)
            #expect(try await web.get("/profile").status == .seeOther)
            let on = try await t.send(.PATCH, "/api/v1/users/\(user.id ?? 0)/", token: admin, json: ["is_active": true])
            #expect(on.status == .ok)
            #expect(try await t.send(.GET, "/api/v1/users/me/", token: token).status == .unauthorized)
        }
    }

    @Test func aReusedRefreshTokenRevokesItsLogin() async throws {
        try await TestApp.run { t in
            let phone = "+79990007040"
            try await t.user(.manager, phone: phone)
            func login() async throws -> TestApp.Reply {
                try await t.send(.POST, "/api/v1/token/", json: ["phone": phone, "password": TestApp.password])
            }
            let phoneLogin = try await login()
            let laptopLogin = try await login()
            let first = try #require(phoneLogin.string("refresh"))
            let rotated = try await t.send(.POST, "/api/v1/token/refresh/", json: ["refresh": first])
            let second = try #require(rotated.string("refresh"))
            let access = try #require(rotated.string("access"))
            // MUT: the used token comes back (a copy of it was stolen)
            let reused = try await t.send(.POST, "/api/v1/token/refresh/", json: ["refresh": first])
            // validate: 401, and every token of that login is dead
            #expect(reused.status == .unauthorized)
            #expect(reused.string("code") == "token_not_valid")
            #expect(
                try await t.send(.POST, "/api/v1/token/refresh/", json: ["refresh": second]).status == .unauthorized)
            #expect(try await t.send(.GET, "/api/v1/users/me/", token: access).status == .unauthorized)
            // the other login goes on: its access token still works, and so does its refresh token
            let laptopAccess = try #require(laptopLogin.string("access"))
            #expect(try await t.send(.GET, "/api/v1/users/me/", token: laptopAccess).status == .ok)
            let laptop = try await t.send(
                .POST, "/api/v1/token/refresh/", json: ["refresh": try #require(laptopLogin.string("refresh"))])
            #expect(laptop.status == .ok)
            #expect(
                try await t.send(.GET, "/api/v1/users/me/", token: try #require(laptop.string("access"))).status == .ok)
        }
    }

    @Test func aBlacklistedRefreshTokenDoesNotRevokeItsLogin() async throws {
        try await TestApp.run { t in
            let phone = "+79990007041"
            try await t.user(.manager, phone: phone)
            let login = try await t.send(.POST, "/api/v1/token/", json: ["phone": phone, "password": TestApp.password])
            let access = try #require(login.string("access"))
            let refresh = try #require(login.string("refresh"))
            #expect(try await t.send(.POST, "/api/v1/token/blacklist/", json: ["refresh": refresh]).status == .ok)
            #expect(
                try await t.send(.POST, "/api/v1/token/refresh/", json: ["refresh": refresh]).status == .unauthorized)
            #expect(try await t.send(.GET, "/api/v1/users/me/", token: access).status == .ok)
        }
    }
}

extension TestApp {
    /// Posts JSON bodies at the same time to one running server, from 127.0.0.1 with the given headers.
    func postConcurrently(
        _ path: String, _ bodies: [[String: String]], headers extra: [String: String] = [:]
    ) async throws -> [Reply] {
        try await app.asyncBoot()
        try await app.server.start(address: .hostname("127.0.0.1", port: 0))
        do {
            guard let port = app.http.server.shared.localAddress?.port else { throw TestFailure("no port") }
            // One connection per request, and a long wait for it when the whole suite loads the machine
            // (the defaults, 8 connections and 10 s, made queued requests fail under load).
            app.http.client.configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = bodies.count
            app.http.client.configuration.timeout.connect = .seconds(120)
            let client = app.client
            let replies = try await withThrowingTaskGroup(of: Reply.self) { group in
                for body in bodies {
                    group.addTask {
                        var headers = HTTPHeaders()
                        for (name, value) in extra { headers.add(name: name, value: value) }
                        let response = try await client.post(
                            URI(string: "http://127.0.0.1:\(port)\(path)"), headers: headers
                        ) {
                            try $0.content.encode(body, as: .json)
                        }
                        let data = response.body.map { Data(buffer: $0) } ?? Data()
                        return Reply(
                            status: response.status, headers: response.headers,
                            body: String(decoding: data, as: UTF8.self),
                            data: data)
                    }
                }
                return try await group.reduce(into: [Reply]()) { $0.append($1) }
            }
            await app.server.shutdown()
            return replies
        } catch {
            await app.server.shutdown()
            throw error
        }
    }
}

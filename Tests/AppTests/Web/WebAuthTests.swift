import Domain
import Foundation
import SQLKit
import Testing
import Vapor

@testable import App

@Suite("Web: cookie session, CSRF, redirects, password change")
struct WebAuthTests {
    @Test func loginSetsAnHttpOnlyLaxCookieAndLandsOnTheRequestedPage() async throws {
        try await TestApp.run { t in
            let (user, _) = try await t.user(.manager, phone: "+79990000002")
            let web = WebClient(t)
            // setup: a signed-out visit is sent to the login page with the return path
            let denied = try await web.get("/orders?status=CREATED")
            #expect(denied.status == .seeOther)
            #expect(denied.location == "/login?next=%2Forders%3Fstatus%3DCREATED")
            // MUT
            let login = try await web.login(user.phone, next: "/orders?status=CREATED")
            // validate
            #expect(login.location == "/orders?status=CREATED")
            let cookie = try #require(login.setCookie(WebSession.cookieName))
            #expect(cookie.contains("HttpOnly"))
            #expect(cookie.contains("SameSite=Lax"))
            #expect(cookie.contains("Max-Age=43200"))
            #expect(!cookie.contains("Secure"))
            let page = try await web.get("/orders?status=CREATED")
            #expect(page.status == .ok)
            #expect(page.contains("<h1 class=\"page-title\">Заявки</h1>"))
        }
    }

    @Test func cookiesAreSecureBehindAnHTTPSProxy() async throws {
        try await TestApp.run(adjust: { $0.trustedProxies = ["*"] }) { t in
            // Over real HTTP from 127.0.0.1 (a trusted proxy here) that says the site is HTTPS.
            let secure = try await t.send(.GET, "/login", headers: ["X-Forwarded-Proto": "https"])
            let cookie = try #require(
                secure.headers[.setCookie].first { $0.hasPrefix(WebSession.preSessionCookie + "=") })
            #expect(cookie.contains("Secure"))
            #expect(cookie.contains("HttpOnly"))
            let plain = try await t.send(.GET, "/login")
            #expect(
                plain.headers[.setCookie].first { $0.hasPrefix(WebSession.preSessionCookie + "=") }?.contains("Secure")
                    == false)
        }
    }

    @Test func emptyAndWrongLoginsShowRussianErrorsAndForeignNextIsIgnored() async throws {
        try await TestApp.run { t in
            let (user, _) = try await t.user(.manager)
            let web = WebClient(t)
            try await web.get("/login")
            let empty = try await web.post("/login", [("phone", ""), ("password", "")])
            #expect(empty.status == .unprocessableEntity)
            #expect(empty.contains("Заполните телефон и пароль"))
            let wrong = try await web.post("/login", [("phone", user.phone), ("password", "not-the-password")])
            #expect(wrong.status == .unauthorized)
            #expect(wrong.contains("Неверный телефон или пароль"))
            #expect(wrong.setCookie(WebSession.cookieName) == nil)
            let foreign = try await web.post(
                "/login", [("phone", user.phone), ("password", TestApp.password), ("next", "//evil.example/x")])
            #expect(foreign.location == "/")
        }
    }

    @Test func postsWithoutAValidCSRFTokenAreRejected() async throws {
        try await TestApp.run { t in
            let (web, _, _) = try await WebClient.signedIn(t, .manager)
            try await web.get("/profile")
            let missing = try await web.post("/logout", [], addToken: false)
            #expect(missing.status == .forbidden)
            #expect(missing.contains("Сессия устарела"))
            let forged = try await web.post("/logout", [("_csrf", "forged-token")])
            #expect(forged.status == .forbidden)
            // Another user's token does not fit this session either.
            let (other, _, _) = try await WebClient.signedIn(t, .manager)
            try await other.get("/profile")
            let foreign = try await web.post("/logout", [("_csrf", other.csrf)])
            #expect(foreign.status == .forbidden)
            // The login form is protected too (pre-session token).
            let stranger = WebClient(t)
            let noToken = try await stranger.post(
                "/login", [("phone", "+79990000001"), ("password", "x")], addToken: false)
            #expect(noToken.status == .forbidden)
            // Still signed in: nothing was done.
            #expect(try await web.get("/profile").status == .ok)
        }
    }

    @Test func logoutRevokesTheSessionServerSide() async throws {
        try await TestApp.run { t in
            let (web, _, _) = try await WebClient.signedIn(t, .operator)
            try await web.get("/")
            let stolen = web.cookies
            let logout = try await web.post("/logout", [])
            #expect(logout.status == .seeOther)
            #expect(logout.location == "/login")
            #expect(logout.setCookie(WebSession.cookieName)?.contains("Max-Age=0") == true)
            let login = try await web.get("/login")
            #expect(login.contains("Вы вышли из системы."))
            // The old cookie, replayed, no longer opens anything.
            web.cookies = stolen
            let again = try await web.get("/")
            #expect(again.status == .seeOther)
            #expect(again.location?.hasPrefix("/login") == true)
        }
    }

    @Test func sessionCookieIsNotABearerTokenAndAPITokenIsNotACookie() async throws {
        try await TestApp.run { t in
            let (web, _, token) = try await WebClient.signedIn(t, .manager)
            let cookie = try #require(web.cookies[WebSession.cookieName])
            let api = try await t.send(.GET, "/api/v1/users/me/", token: cookie)
            #expect(api.status == .unauthorized)
            let other = WebClient(t)
            other.cookies[WebSession.cookieName] = token
            #expect(try await other.get("/").status == .seeOther)
        }
    }

    @Test func passwordChangeFollowsThePolicyAndSignsOutOtherSessions() async throws {
        try await TestApp.run { t in
            let (web, user, token) = try await WebClient.signedIn(t, .operator)
            let phone = user.phone
            let laptop = WebClient(t)
            try await laptop.login(phone)
            try await web.get("/profile")
            let short = try await web.post(
                "/profile/password",
                [
                    ("current_password", TestApp.password), ("new_password", "1234567"),
                    ("new_password_confirm", "1234567"),
                ])
            #expect(short.status == .unprocessableEntity)
            #expect(short.contains("Новый пароль должен содержать минимум 8 символов"))
            let mismatch = try await web.post(
                "/profile/password",
                [
                    ("current_password", TestApp.password), ("new_password", "new-pass-123"),
                    ("new_password_confirm", "new-pass-321"),
                ])
            #expect(mismatch.contains("Пароли не совпадают"))
            let wrongCurrent = try await web.post(
                "/profile/password",
                [
                    ("current_password", "nope-nope-1"), ("new_password", "new-pass-123"),
                    ("new_password_confirm", "new-pass-123"),
                ])
            #expect(wrongCurrent.contains("Текущий пароль указан неверно"))
            let done = try await web.post(
                "/profile/password",
                [
                    ("current_password", TestApp.password), ("new_password", "new-pass-123"),
                    ("new_password_confirm", "new-pass-123"),
                ])
            #expect(done.status == .ok)
            #expect(done.contains("Пароль успешно изменён"))
            // This browser stays in; the other session and the API refresh tokens are revoked.
            #expect(try await web.get("/profile").status == .ok)
            #expect(try await laptop.get("/profile").status == .seeOther)
            let old = try await t.send(.POST, "/api/v1/token/", json: ["phone": phone, "password": TestApp.password])
            #expect(old.status == .unauthorized)
            _ = token
            let fresh = WebClient(t)
            #expect(try await fresh.login(phone, password: "new-pass-123").location == "/")
        }
    }

    @Test func deactivatedUserLosesTheWebSession() async throws {
        try await TestApp.run { t in
            let (web, user, _) = try await WebClient.signedIn(t, .operator)
            #expect(try await web.get("/").status == .ok)
            user.isActive = false
            try await user.save(on: t.db)
            t.app.userDirectory.forget(user.id ?? 0)
            #expect(try await web.get("/").status == .seeOther)
        }
    }
}

import Domain
import Fluent
import Foundation
import Testing
import Vapor

@testable import App

@Suite("Web: self-registration of an inactive operator")
struct WebRegisterTests {
    @Test func registrationCreatesAnInactiveOperatorThatAnAdminActivates() async throws {
        try await TestApp.run { t in
            let visitor = WebClient(t)
            // setup: the login page links the form
            let login = try await visitor.get("/login")
            #expect(login.contains("href=\"/register\""))
            #expect(login.contains("Зарегистрироваться"))
            let form = try await visitor.get("/register")
            #expect(form.status == .ok)
            #expect(form.contains("Регистрация оператора"))
            // MUT: empty, mismatched and weak passwords are refused with messages next to the fields
            let empty = try await visitor.post(
                "/register",
                [
                    ("first_name", ""), ("last_name", ""), ("phone", ""),
                    ("password", ""), ("password_confirm", ""),
                ])
            #expect(empty.status == .unprocessableEntity)
            #expect(empty.contains("Заполните все поля формы"))
            #expect(empty.contains("id=\"f-first-name-error\""))
            let fields: [(String, String)] = [
                ("first_name", "Олег"), ("last_name", "Новиков"), ("phone", "+79990000077"),
            ]
            let mismatch = try await visitor.post(
                "/register", fields + [("password", "operator-pass-1"), ("password_confirm", "operator-pass-2")])
            #expect(mismatch.status == .unprocessableEntity)
            #expect(mismatch.contains("Пароли не совпадают"))
            #expect(mismatch.contains("value=\"Олег\""))
            #expect(!mismatch.contains("operator-pass-1"))
            let short = try await visitor.post(
                "/register", fields + [("password", "abc"), ("password_confirm", "abc")])
            #expect(short.status == .unprocessableEntity)
            #expect(short.contains("как минимум 8 символов"))
            let badPhone = try await visitor.post(
                "/register",
                [
                    ("first_name", "Олег"), ("last_name", "Новиков"), ("phone", "12"),
                    ("password", "operator-pass-1"), ("password_confirm", "operator-pass-1"),
                ])
            #expect(badPhone.status == .unprocessableEntity)
            #expect(badPhone.contains(FieldMessage.phone))
            #expect(try await User.query(on: t.db).filter(\.$phone == "+79990000077").count() == 0)
            // success: a redirect to the login page with the message; the account waits for an admin
            let done = try await visitor.post(
                "/register", fields + [("password", "operator-pass-1"), ("password_confirm", "operator-pass-1")])
            #expect(done.status == .seeOther)
            #expect(done.location == "/login")
            let after = try await visitor.get("/login")
            #expect(after.contains("Заявка на регистрацию принята. Администратор активирует учётную запись."))
            let user = try #require(try await User.query(on: t.db).filter(\.$phone == "+79990000077").first())
            #expect(user.role == .operator)
            #expect(!user.isActive)
            let early = try await visitor.post("/login", [("phone", "+79990000077"), ("password", "operator-pass-1")])
            #expect(early.status == .unauthorized)
            let again = try await visitor.post(
                "/register", fields + [("password", "operator-pass-1"), ("password_confirm", "operator-pass-1")])
            // A taken phone gets the same answer as a new one.
            #expect(again.status == .seeOther)
            #expect(again.location == "/login")
            #expect(try await User.query(on: t.db).filter(\.$phone == "+79990000077").count() == 1)
            // the admin activates it in «Пользователи»
            let (admin, _, _) = try await WebClient.signedIn(t, .admin)
            let list = try await admin.get("/users")
            #expect(list.contains("Олег Новиков"))
            try await admin.get("/users/\(user.id ?? 0)/edit")
            let activate = try await admin.post(
                "/users/\(user.id ?? 0)/edit",
                [
                    ("first_name", "Олег"), ("last_name", "Новиков"), ("phone", "+79990000077"), ("email", ""),
                    ("role", "operator"), ("is_active", "true"), ("password", ""),
                ])
            #expect(activate.status == .seeOther)
            // validate: the operator signs in and sees the operator pages
            let signedIn = try await visitor.login("+79990000077", password: "operator-pass-1")
            #expect(signedIn.location == "/")
            let orders = try await visitor.get("/orders")
            #expect(orders.contains("Заявки не найдены"))
            let home = try await visitor.get("/")
            #expect(home.contains("Мои зарплаты"))
            #expect(try await visitor.get("/register").status == .seeOther)
        }
    }

    @Test func registrationIsHiddenWhenDisabled() async throws {
        try await TestApp.run(adjust: { $0.allowRegistration = false }) { t in
            let visitor = WebClient(t)
            let login = try await visitor.get("/login")
            #expect(!login.contains("href=\"/register\""))
            #expect(try await visitor.get("/register").status == .notFound)
            let post = try await visitor.post(
                "/register",
                [
                    ("first_name", "Олег"), ("last_name", "Новиков"), ("phone", "+79990000078"),
                    ("password", "operator-pass-1"), ("password_confirm", "operator-pass-1"),
                ])
            #expect(post.status == .notFound)
            #expect(try await User.query(on: t.db).filter(\.$phone == "+79990000078").count() == 0)
        }
    }
}

import Domain
import Fluent
import Foundation
import Testing
import Vapor

@testable import App

/// The user and sign-in rules, called without HTTP.
@Suite("User and auth services: the rules without HTTP")
struct UserServiceTests {
    private func context(_ t: TestApp, as user: User) -> ServiceContext {
        ServiceContext(app: t.app, caller: Caller(id: user.id ?? 0, role: user.role, fullName: user.fullName))
    }

    private func problems(_ error: any Error) -> [String: [String]] {
        switch error {
        case UserError.invalid(let problems), AuthError.invalid(let problems): problems
        default: [:]
        }
    }

    @Test func nobodyDemotesTheLastActiveAdmin() async throws {
        try await TestApp.run { t in
            // setup: the only active admin, and an inactive one who still holds a session
            let (admin, _) = try await t.user(.admin)
            let (former, _) = try await t.user(.admin, active: false)
            let users = UserService(context: context(t, as: former))
            var input = UserInput()
            input.role = .set(.manager)
            // MUT
            await #expect {
                _ = try await users.update(admin.id ?? 0, input)
            } throws: { error in
                problems(error) == ["role": [UserService.lastAdmin]]
            }
            // validate
            #expect(try await User.find(admin.id, on: t.db)?.role == .admin)
        }
    }

    @Test func anAdminDoesNotDeactivateThemselves() async throws {
        try await TestApp.run { t in
            let (admin, _) = try await t.user(.admin)
            _ = try await t.user(.admin)
            var input = UserInput()
            input.isActive = .set(false)
            await #expect {
                _ = try await UserService(context: context(t, as: admin)).update(admin.id ?? 0, input)
            } throws: { error in
                problems(error) == ["is_active": ["Нельзя снять права администратора или деактивировать самого себя."]]
            }
            #expect(try await User.find(admin.id, on: t.db)?.isActive == true)
        }
    }

    @Test func aSecondUserWithTheSamePhoneIsRefused() async throws {
        try await TestApp.run { t in
            let (admin, _) = try await t.user(.admin, phone: "+79005550011")
            var input = UserInput()
            input.phone = .set("8 900 555-00-11")
            input.password = .set("another-pass-2")
            await #expect {
                _ = try await UserService(context: context(t, as: admin)).create(input)
            } throws: { error in
                problems(error) == ["phone": [UserService.duplicatePhone]]
            }
            #expect(try await User.query(on: t.db).count() == 1)
        }
    }

    @Test func aWrongPasswordIsRefusedAndCounted() async throws {
        try await TestApp.run { t in
            // setup
            let (user, _) = try await t.user(.manager, phone: "+79005550022")
            let before = try await t.count("login_attempts")
            let auth = AuthService(context: context(t, as: user))
            // MUT
            await #expect(throws: AuthError.self) {
                _ = try await auth.authenticate(rawPhone: "+7 900 555-00-22", password: "not-the-password")
            }
            // validate: one more failed attempt on record, and the right password still works
            #expect(try await t.count("login_attempts") == before + 1)
            let failed = try await t.db.sql().raw(
                "SELECT COUNT(*) AS n FROM login_attempts WHERE phone = '+79005550022' AND succeeded = \(bind: false)"
            ).first()?.decode(column: "n", as: Int.self)
            #expect(failed == 1)
            let signedIn = try await auth.authenticate(rawPhone: "+79005550022", password: TestApp.password)
            #expect(signedIn.id == user.id)
        }
    }

    @Test func repeatedWrongPasswordsAreThrottled() async throws {
        try await TestApp.run { t in
            let (user, _) = try await t.user(.manager, phone: "+79005550033")
            let auth = AuthService(context: context(t, as: user))
            var throttled = false
            for _ in 0...t.app.config.loginFailureLimit {
                do {
                    _ = try await auth.authenticate(rawPhone: "+79005550033", password: "wrong-password")
                } catch AuthError.throttled {
                    throttled = true
                    break
                } catch AuthError.badCredentials {
                    continue
                }
            }
            #expect(throttled)
        }
    }

    @Test func aPasswordChangeWithAWrongCurrentPasswordChangesNothing() async throws {
        try await TestApp.run { t in
            let (user, _) = try await t.user(.operator)
            let hash = user.passwordHash
            let auth = AuthService(context: context(t, as: user))
            await #expect {
                try await auth.changePassword(PasswordChange(current: "wrong-password", new: "brand-new-pass-3"))
            } throws: { error in
                problems(error) == ["old_password": [AuthService.wrongPassword]]
            }
            #expect(try await User.find(user.id, on: t.db)?.passwordHash == hash)
        }
    }

    @Test func registrationMakesAnInactiveOperatorAndKeepsQuietAboutTakenPhones() async throws {
        try await TestApp.run { t in
            let (admin, _) = try await t.user(.admin, phone: "+79005550044")
            let auth = AuthService(db: t.db, app: t.app, origin: .system, logger: t.app.logger, caller: nil)
            let taken = try await auth.registerOperator(
                RegistrationInput(phone: "+79005550044", password: "operator-pass-1", firstName: "И", lastName: "П"))
            #expect(taken == nil)
            #expect(try await User.find(admin.id, on: t.db)?.role == .admin)
            let new = try #require(
                try await auth.registerOperator(
                    RegistrationInput(
                        phone: "+79005550055", password: "operator-pass-1", firstName: "И", lastName: "П")))
            #expect(new.role == .operator)
            #expect(new.isActive == false)
        }
    }
}

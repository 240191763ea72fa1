import Domain
import Foundation
import Vapor

/// The user JSON of the original API (`UserSerializer`).
struct UserResponse: Content {
    var id: Int
    var username: String
    var email: String
    var phone: String
    var first_name: String
    var last_name: String
    var full_name: String
    var role: String
    var role_display: String
    var avatar: String
    var locale: String
    var position: String
    var is_active: Bool
    var date_joined: String
    var last_login: String?

    init(_ user: User, timeZone: TimeZone) {
        id = user.id ?? 0
        username = user.phone
        email = user.email
        phone = user.phone
        first_name = user.firstName
        last_name = user.lastName
        full_name = user.fullName
        role = user.roleValue
        role_display = user.role.title
        avatar = user.avatar
        locale = user.locale
        position = user.position
        is_active = user.isActive
        date_joined = ISOTime.format(user.createdAt ?? Date(), in: timeZone)
        last_login = user.lastLoginAt.map { ISOTime.format($0, in: timeZone) }
    }
}

/// The short user object nested in orders: id, names and phone.
struct UserBrief: Content, Equatable {
    var id: Int
    var first_name: String
    var last_name: String
    var phone: String
}

/// Password rules: at least 8 characters and not only digits.
enum PasswordPolicy {
    static func problems(_ password: String) -> [String] {
        var problems: [String] = []
        if password.count < 8 {
            problems.append("Введённый пароль слишком короткий. Он должен содержать как минимум 8 символов.")
        }
        if !password.isEmpty, password.allSatisfy(\.isNumber) {
            problems.append("Введённый пароль состоит только из цифр.")
        }
        return problems
    }
}

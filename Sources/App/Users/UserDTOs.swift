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

    private enum CodingKeys: String, CodingKey {
        case id, username, email, phone, first_name, last_name, full_name, role, role_display, avatar, locale
        case position, is_active, date_joined, last_login
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(username, forKey: .username)
        try c.encode(email, forKey: .email)
        try c.encode(phone, forKey: .phone)
        try c.encode(first_name, forKey: .first_name)
        try c.encode(last_name, forKey: .last_name)
        try c.encode(full_name, forKey: .full_name)
        try c.encode(role, forKey: .role)
        try c.encode(role_display, forKey: .role_display)
        try c.encode(avatar, forKey: .avatar)
        try c.encode(locale, forKey: .locale)
        try c.encode(position, forKey: .position)
        try c.encode(is_active, forKey: .is_active)
        try c.encode(date_joined, forKey: .date_joined)
        try c.encode(last_login, forKey: .last_login)
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

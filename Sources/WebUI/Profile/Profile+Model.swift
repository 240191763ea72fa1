import Domain

/// «Профиль»: GET `/profile`. The password form posts `current_password`, `new_password`, `new_password_confirm`,
/// `_csrf` to `Paths.profilePassword()`; logout posts `_csrf` to `Paths.logout()`.
public struct ProfileModel: Sendable {
    public var context: PageContext
    public var fullName: String
    public var phone: String
    public var email: String
    public var role: Role
    /// Keys: `current_password`, `new_password`, `new_password_confirm`.
    public var passwordErrors: FormErrors
    /// «Пароль успешно изменён».
    public var passwordChanged: Bool
    public var minPasswordLength: Int

    public init(
        context: PageContext, fullName: String, phone: String, email: String = "", role: Role,
        passwordErrors: FormErrors = [:], passwordChanged: Bool = false, minPasswordLength: Int = 8
    ) {
        self.context = context
        self.fullName = fullName
        self.phone = phone
        self.email = email
        self.role = role
        self.passwordErrors = passwordErrors
        self.passwordChanged = passwordChanged
        self.minPasswordLength = minPasswordLength
    }
}

/// A Russian error page for 403, 404, 500 and anything else.
public struct ErrorPageModel: Sendable {
    public var context: PageContext
    public var status: Int
    /// A safe, specific reason; `nil` uses the default text for the status.
    public var message: String?
    /// Where to go to put it right (replaces «На главную»), e.g. «Заполнить реквизиты».
    public var link: Link?

    public struct Link: Sendable, Equatable {
        public var title: String
        public var path: String

        public init(title: String, path: String) {
            self.title = title
            self.path = path
        }
    }

    public init(context: PageContext, status: Int, message: String? = nil, link: Link? = nil) {
        self.context = context
        self.status = status
        self.message = message
        self.link = link
    }
}

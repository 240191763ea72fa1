/// «Регистрация оператора». Posts `first_name`, `last_name`, `phone`, `password`, `password_confirm`, `_csrf`
/// to `Paths.register()`. The account is created inactive: on success the controller redirects to the login page
/// with «Заявка на регистрацию принята…»; an admin activates the account in «Пользователи».
public struct RegisterModel: Sendable {
    public struct Values: Sendable, Equatable {
        public var firstName: String
        public var lastName: String
        public var phone: String

        public init(firstName: String = "", lastName: String = "", phone: String = "") {
            self.firstName = firstName
            self.lastName = lastName
            self.phone = phone
        }
    }

    public var context: PageContext
    /// What the user typed; passwords are never echoed back.
    public var values: Values
    /// Field name → message (`first_name`, `last_name`, `phone`, `password`, `password_confirm`).
    public var errors: FormErrors
    public var formError: String?
    /// Shown under the password field: «Не менее N символов, не только цифры».
    public var minPasswordLength: Int

    public init(
        context: PageContext, values: Values = Values(), errors: FormErrors = [:], formError: String? = nil,
        minPasswordLength: Int = 8
    ) {
        self.context = context
        self.values = values
        self.errors = errors
        self.formError = formError
        self.minPasswordLength = minPasswordLength
    }
}

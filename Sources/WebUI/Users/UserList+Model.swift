import Domain

/// «Пользователи» (admin only): GET `/users?q=`.
public struct UserListModel: Sendable {
    public struct Row: Sendable {
        public var id: String
        public var fullName: String
        public var phone: String
        public var email: String
        public var role: Role
        public var isActive: Bool

        public init(id: String, fullName: String, phone: String, email: String = "", role: Role, isActive: Bool = true)
        {
            self.id = id
            self.fullName = fullName
            self.phone = phone
            self.email = email
            self.role = role
            self.isActive = isActive
        }
    }

    public var context: PageContext
    public var q: String
    public var rows: [Row]

    public init(context: PageContext, q: String = "", rows: [Row]) {
        self.context = context
        self.q = q
        self.rows = rows
    }
}

/// Add (`POST /users/new`) or edit (`POST /users/{id}/edit`) a user.
/// Posted fields: `_csrf`, `first_name`, `last_name`, `phone`, `email`, `role` (`Role.rawValue`), `is_active`
/// (`true` when ticked, absent otherwise), `password` (required for a new user; on edit a non-empty value resets it).
public struct UserFormModel: Sendable {
    public struct Values: Sendable {
        public var firstName: String
        public var lastName: String
        public var phone: String
        public var email: String
        public var role: Role
        public var isActive: Bool

        public init(
            firstName: String = "", lastName: String = "", phone: String = "", email: String = "",
            role: Role = .operator, isActive: Bool = true
        ) {
            self.firstName = firstName
            self.lastName = lastName
            self.phone = phone
            self.email = email
            self.role = role
            self.isActive = isActive
        }
    }

    public var context: PageContext
    /// `nil` = new user.
    public var id: String?
    public var values: Values
    public var errors: FormErrors
    public var formError: String?
    /// Minimum password length shown in the hint.
    public var minPasswordLength: Int

    public init(
        context: PageContext, id: String? = nil, values: Values = Values(), errors: FormErrors = [:],
        formError: String? = nil, minPasswordLength: Int = 8
    ) {
        self.context = context
        self.id = id
        self.values = values
        self.errors = errors
        self.formError = formError
        self.minPasswordLength = minPasswordLength
    }
}

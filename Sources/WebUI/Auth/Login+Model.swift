/// The sign-in form. Posts `phone`, `password`, `next`, `_csrf` to `Paths.login()`.
public struct LoginModel: Sendable {
    public var context: PageContext
    /// What the user typed (kept after a failed attempt); the password is never echoed back.
    public var phone: String
    /// Where to go after signing in (`/orders/…`); only local paths, the controller must check it.
    public var next: String?
    /// «Заполните телефон и пароль», «Неверный телефон или пароль», «Пользователь неактивен»…
    public var error: String?
    /// Self-registration is enabled: the page links «Зарегистрироваться».
    public var canRegister: Bool

    public init(
        context: PageContext, phone: String = "", next: String? = nil, error: String? = nil,
        canRegister: Bool = false
    ) {
        self.canRegister = canRegister
        self.context = context
        self.phone = phone
        self.next = next
        self.error = error
    }
}

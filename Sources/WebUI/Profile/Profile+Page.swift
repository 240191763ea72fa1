import Domain
import Plot

/// «Профиль»: who I am, notification settings, change password, offline queue, «Мои зарплаты» (operators), «Выйти».
public struct ProfilePage: WebPage {
    public let model: ProfileModel

    public init(model: ProfileModel) {
        self.model = model
    }

    public func html() -> HTML {
        return Layout.page(
            title: "Профиль", section: .profile, context: model.context,
            content: [
                identity(),
                links(),
                passwordForm(),
                Forms.post(
                    Paths.logout(), csrf: model.context.csrfToken, attributes: [.cls("logout-form")],
                    [
                        Forms.submit("Выйти", cls: "button button--danger button--wide")
                    ]),
            ])
    }

    func identity() -> Body {
        let initial = model.fullName.first.map { String($0).uppercased() } ?? "?"
        var lines: [Body] = [
            .span(cls: "avatar", initial),
            .div(
                cls: "identity__text",
                [
                    .para(model.fullName, cls: "strong"),
                    .para(model.role.title, cls: "muted"),
                    .el("p", [], [.anchor("tel:" + model.phone, model.phone)]),
                ]),
        ]
        if !model.email.isEmpty { lines.append(.para(model.email, cls: "muted")) }
        return Components.card([.div(cls: "identity", lines)])
    }

    func links() -> Body {
        var rows: [Body] = [
            .el(
                "a", [.cls("row-link"), .link(Paths.notificationSettings())],
                [
                    .span(cls: "row-link__title", "Уведомления"),
                    .span(
                        cls: "row-link__note",
                        "Управление типами уведомлений (создание заявок, статус, оплаты и др.)."),
                ]),
            .el(
                "button", [.attr("type", "button"), .cls("row-link"), .attr("data-queue-open", "")],
                [
                    .span(cls: "row-link__title", "Оффлайн очередь"),
                    .span(cls: "row-link__note", "Несинхронизированные действия и очередь отправки."),
                ]),
        ]
        if Navigation.isVisible(.company, for: model.role) {
            rows.append(
                .el(
                    "a", [.cls("row-link"), .link(Paths.companyRequisites())],
                    [
                        .span(cls: "row-link__title", "Реквизиты компании"),
                        .span(cls: "row-link__note", "Название, ИНН, банк и подписи для счетов и документов."),
                    ]))
        }
        if model.role == .operator {
            rows.insert(
                .el(
                    "a", [.cls("row-link"), .link(Paths.salary())],
                    [
                        .span(cls: "row-link__title", "Мои зарплаты"),
                        .span(cls: "row-link__note", "Начисления за выполненные заявки."),
                    ]), at: 0)
            rows.insert(
                .el(
                    "a", [.cls("row-link"), .link(Paths.calendarSettings())],
                    [
                        .span(cls: "row-link__title", "Календарь смен"),
                        .span(cls: "row-link__note", "Личная лента смен для календаря телефона: включить, отозвать."),
                    ]), at: 1)
        }
        return Components.card([.heading(2, "Настройки")] + rows)
    }

    func passwordForm() -> Body {
        let errors = model.passwordErrors
        var children: [Body] = [Forms.errorSummary(nil, errors: errors)]
        if model.passwordChanged {
            children.append(
                .el(
                    "div", [.cls("flash flash--success"), .attr("role", "status")],
                    text: "Пароль успешно изменён"))
        }
        let minimum = "Минимум " + RussianFormat.counted(model.minPasswordLength, "символ", "символа", "символов")
        children += [
            Forms.input(
                Field(
                    name: "current_password", label: "Текущий пароль", type: "password",
                    autocomplete: "current-password", error: errors["current_password"], isRequired: true)),
            Forms.input(
                Field(
                    name: "new_password", label: "Новый пароль", type: "password",
                    autocomplete: "new-password", hint: minimum, error: errors["new_password"],
                    isRequired: true, extra: [.attr("minlength", String(model.minPasswordLength))])),
            Forms.input(
                Field(
                    name: "new_password_confirm", label: "Подтверждение нового пароля", type: "password",
                    autocomplete: "new-password", error: errors["new_password_confirm"], isRequired: true)),
            Forms.actions([Forms.submit("Сменить пароль")]),
        ]
        return Components.card([
            .heading(2, "Смена пароля"),
            Forms.post(Paths.profilePassword(), csrf: model.context.csrfToken, attributes: [.cls("stack")], children),
        ])
    }
}

/// «Страница не найдена», «Недостаточно прав», «Ошибка сервера»…
public struct ErrorPage: WebPage {
    public let model: ErrorPageModel

    public init(model: ErrorPageModel) {
        self.model = model
    }

    var title: String {
        switch model.status {
        case 401: "Требуется авторизация"
        case 403: "Недостаточно прав"
        case 404: "Страница не найдена"
        case 429: "Слишком много запросов"
        case 500...599: "Ошибка сервера"
        default: "Ошибка"
        }
    }

    var defaultMessage: String {
        switch model.status {
        case 401: "Войдите в систему, чтобы продолжить."
        case 403: "У вас нет доступа к этому разделу."
        case 404: "Такой страницы нет или она была удалена."
        case 429: "Слишком много запросов, попробуйте позже."
        case 500...599: "Что-то пошло не так. Попробуйте обновить страницу позже."
        default: "Не удалось выполнить запрос."
        }
    }

    public func html() -> HTML {
        var link =
            model.context.user == nil && model.status == 401
            ? Components.buttonLink(Paths.login(), "Войти", cls: "button button--primary")
            : Components.buttonLink(Paths.home(), "На главную", cls: "button button--primary")
        if let next = model.link { link = Components.buttonLink(next.path, next.title, cls: "button button--primary") }
        return Layout.page(
            title: title, section: .none, context: model.context,
            content: [
                Components.card(
                    [
                        .span(cls: "error-code", "Код ошибки: " + String(model.status)),
                        .para(model.message ?? defaultMessage),
                        link,
                    ], cls: "card--narrow")
            ])
    }
}

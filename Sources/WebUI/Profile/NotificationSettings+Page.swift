import Plot

/// «Настройки уведомлений» (docs/ui.md#notification-settings): channels (inbox, Telegram with a one-time code,
/// Web Push on this device, e-mail to the profile's address) and one switch per event and outside channel,
/// saved together with «Сохранить».
public struct NotificationSettingsPage: WebPage {
    public let model: NotificationSettingsModel

    public init(model: NotificationSettingsModel) {
        self.model = model
    }

    public func html() -> HTML {
        let actions: [Body] = [
            .el(
                "a", [.cls("button button--small button--ghost"), .link(Paths.notificationSettings())],
                text: "Обновить")
        ]
        return Layout.page(
            title: "Настройки уведомлений", section: .profile, context: model.context,
            actions: actions, back: Paths.profile(),
            content: [
                .para("Выберите, какие события будут присылать уведомления.", cls: "muted"),
                switchesForm(),
                inboxCard(),
                telegramCard(),
                pushCard(),
                emailCard(),
            ])
    }

    // MARK: - Switches

    func switchesForm() -> Body {
        let rows: [Body] = model.events.map(eventRow)
        let legend: [Body] = [
            .para(
                "В приложении («Уведомления» в профиле) сообщения приходят всегда; здесь выбираются внешние каналы.",
                cls: "muted")
        ]
        return Forms.post(
            Paths.notificationSettings(), csrf: model.context.csrfToken,
            attributes: [.cls("card stack"), .attr("data-notification-settings", "")],
            [.heading(2, "Типы уведомлений")] + legend + rows + [
                Forms.actions([Forms.submit("Сохранить")])
            ])
    }

    func eventRow(_ event: NotificationSettingsModel.Event) -> Body {
        let boxes: [Body] = model.channels.map { channel in
            let name = NotificationSettingsModel.fieldName(event: event.key, channel: channel.key)
            return Forms.checkbox(name: name, label: channel.title, checked: event.switches[channel.key] ?? true)
        }
        return .el(
            "fieldset", [.cls("pref-row"), .attr("data-event", event.key)],
            [
                .el("legend", [.cls("pref-row__title")], text: event.title),
                .para(event.note, cls: "pref-row__note"),
                .div(cls: "pref-row__switches", boxes),
            ])
    }

    // MARK: - Channels

    func inboxCard() -> Body {
        let note =
            model.unreadCount > 0
            ? "Непрочитанных: " + String(model.unreadCount) + "."
            : "Все уведомления прочитаны."
        return Components.card([
            .heading(2, "В приложении"),
            .para(note, cls: "muted"),
            Components.buttonLink(Paths.inbox(), "Открыть уведомления", cls: "button"),
        ])
    }

    func telegramCard() -> Body {
        let csrf = model.context.csrfToken
        var children: [Body] = [.heading(2, "Telegram")]
        switch model.telegram {
        case .unavailable:
            children.append(.para("Telegram-бот не настроен на сервере. Обратитесь к администратору.", cls: "muted"))
        case .linked:
            children.append(.para("Чат Telegram привязан: уведомления приходят в него.", cls: "strong"))
            children.append(
                Forms.post(
                    Paths.telegramUnlink(), csrf: csrf, attributes: [.cls("inline-form")],
                    [
                        Forms.submit("Отвязать Telegram", cls: "button button--danger-ghost")
                    ]))
        case .notLinked(let code):
            children.append(.para("Чат не привязан. Получите одноразовый код и отправьте его боту.", cls: "muted"))
            if let code { children.append(codeBox(code)) }
            children.append(
                Forms.post(
                    Paths.telegramLink(), csrf: csrf, attributes: [.cls("inline-form")],
                    [
                        Forms.submit(code == nil ? "Получить код привязки" : "Получить новый код", cls: "button")
                    ]))
        }
        return Components.card(children, cls: "channel-card")
    }

    func codeBox(_ code: NotificationSettingsModel.TelegramCode) -> Body {
        let until = RussianFormat.dateTime(code.expiresAt, in: model.context.timeZone)
        var children: [Body] = [
            .para("Отправьте боту команду:"),
            .el("p", [.cls("link-code"), .attr("data-telegram-code", "")], [.el("code", [], text: code.command)]),
            .para("Код действует до " + until + ".", cls: "muted"),
        ]
        if let url = code.botURL {
            children.append(
                .el(
                    "a",
                    [
                        .cls("button button--primary"), .link(url), .attr("target", "_blank"),
                        .attr("rel", "noopener"),
                    ], text: "Открыть бота в Telegram"))
        }
        return .div(cls: "code-box", children)
    }

    func emailCard() -> Body {
        var children: [Body] = [.heading(2, "E-mail")]
        switch model.email {
        case .unavailable:
            children.append(.para("Почта не настроена на сервере. Обратитесь к администратору.", cls: "muted"))
        case .noAddress:
            children.append(
                .para(
                    "Укажите e-mail в профиле, чтобы получать уведомления письмом (его может добавить администратор).",
                    cls: "muted"))
        case .ready(let address):
            children.append(.para("Письма приходят на " + address + ".", cls: "strong"))
        }
        return .el("section", [.cls("card channel-card"), .attr("data-email", "")], children)
    }

    func pushCard() -> Body {
        var children: [Body] = [.heading(2, "Push-уведомления")]
        guard let key = model.push.publicKey else {
            children.append(.para("Push-уведомления не настроены на сервере.", cls: "muted"))
            return Components.card(children, cls: "channel-card")
        }
        let devices =
            model.push.devices == 0
            ? "Ни одно устройство не подписано."
            : "Подписано устройств: " + String(model.push.devices) + "."
        children += [
            .para(devices, cls: "muted"),
            .para("На iPhone push работает, только если приложение добавлено на экран «Домой».", cls: "muted"),
            .el("p", [.cls("push-status"), .attr("data-push-status", ""), .attr("role", "status")], []),
            .div(
                cls: "push-buttons",
                [
                    .el(
                        "button",
                        [.attr("type", "button"), .cls("button button--primary"), .attr("data-push-enable", "")],
                        text: "Включить уведомления"),
                    .el(
                        "button",
                        [
                            .attr("type", "button"), .cls("button button--ghost"), .attr("data-push-disable", ""),
                            .flag("hidden"),
                        ], text: "Отключить на этом устройстве"),
                ]),
        ]
        return .el(
            "section",
            [
                .cls("card channel-card"), .attr("data-push", ""), .attr("data-push-key", key),
                .attr("data-push-subscribe", Paths.pushSubscribe()),
                .attr("data-push-unsubscribe", Paths.pushUnsubscribe()),
            ], children)
    }
}

/// «Уведомления»: the in-app inbox, newest first; unread messages are marked.
public struct InboxPage: WebPage {
    public let model: InboxModel

    public init(model: InboxModel) {
        self.model = model
    }

    public func html() -> HTML {
        var actions: [Body] = [
            .el(
                "a", [.cls("button button--small button--ghost"), .link(Paths.notificationSettings())],
                text: "Настройки")
        ]
        if model.unreadCount > 0 {
            actions.insert(
                Forms.post(
                    Paths.inboxReadAll(), csrf: model.context.csrfToken, attributes: [.cls("inline-form")],
                    [
                        Forms.submit("Отметить все прочитанными", cls: "button button--small")
                    ]), at: 0)
        }
        var content: [Body] = []
        if model.messages.isEmpty {
            content.append(Components.empty("Уведомлений пока нет."))
        } else {
            content.append(.el("ul", [.cls("inbox")], model.messages.map(item)))
            content.append(Components.pager(page: model.page, totalPages: model.totalPages) { Paths.inbox(page: $0) })
        }
        return Layout.page(
            title: "Уведомления", section: .profile, context: model.context, actions: actions,
            back: Paths.profile(), content: content)
    }

    func item(_ message: InboxModel.Message) -> Body {
        var head: [Body] = [.span(cls: "inbox__title", message.title)]
        if !message.isRead { head.append(Components.chip("Новое", tone: "created")) }
        var children: [Body] = [
            .div(cls: "inbox__head", head),
            .para(message.body, cls: "inbox__body prewrap"),
            .para(
                message.eventTitle + " · " + RussianFormat.dateTime(message.createdAt, in: model.context.timeZone),
                cls: "muted"),
        ]
        if let link = message.link { children.append(.anchor(link, "Открыть", cls: "strong-link")) }
        return .el("li", [.cls(message.isRead ? "inbox__item card" : "inbox__item card is-unread")], children)
    }
}

import Domain
import Plot

/// The document shell shared by every page.
enum Layout {
    static let appName = "Ринго Учёт"
    static let themeColor = "#020617"

    /// A full page: head (viewport, theme colour, manifest, icon, one CSS, one deferred JS), the top bar with the
    /// offline-queue badge, the offline banner, role-aware navigation (signed-in users only), flash messages, the page
    /// heading with optional actions, the content and the offline-queue panel.
    static func page(
        title: String, section: NavSection, context: PageContext, actions: [Body] = [],
        back: String? = nil, content: [Body]
    ) -> HTML {
        return HTML(
            .lang(.russian),
            head(title: title),
            .body(
                body(
                    title: title, section: section, context: context, actions: actions, back: back,
                    content: content))
        )
    }

    static func head(title: String) -> Node<HTML.DocumentContext> {
        return .head(
            .meta(.charset(.utf8)),
            .meta(.name("viewport"), .content("width=device-width, initial-scale=1, viewport-fit=cover")),
            .meta(.name("theme-color"), .content(themeColor)),
            .meta(.name("color-scheme"), .content("light")),
            .element(named: "title", nodes: [.raw(Escape.html(title + " · " + appName))]),
            .link(.rel(.manifest), .href(Paths.manifest())),
            .link(
                .rel(.icon), .type("image/png"), .sizes("192x192"),
                .href(Paths.icon(size: 192))),
            .link(.rel(.appleTouchIcon), .href(Paths.icon(size: 192))),
            .link(.rel(.stylesheet), .href(Paths.stylesheet())),
            .script(.src(Paths.script()), .defer())
        )
    }

    static func body(
        title: String, section: NavSection, context: PageContext, actions: [Body], back: String?,
        content: [Body]
    ) -> Body {
        let signedIn = context.user != nil
        var children: [Body] = [
            .attribute(.cls(signedIn ? "app is-signed-in" : "app is-signed-out")),
            .attribute(.attr("data-signed-in", signedIn ? "true" : "false")),
            .attribute(.attr("data-user-id", context.user?.id ?? "")),
            .attribute(.attr("data-csrf", context.csrfToken)),
            .el("a", [.cls("skip-link"), .link("#main")], text: "Перейти к содержимому"),
            topBar(context: context),
            offlineBanner(),
        ]
        if let user = context.user {
            children.append(Navigation.render(role: user.role, active: section))
        }
        children.append(main(title: title, context: context, actions: actions, back: back, content: content))
        if signedIn {
            children.append(queuePanel())
        }
        return .fragment(children)
    }

    static func offlineBanner() -> Body {
        return .el(
            "div", [.ident("offline-banner"), .cls("offline-banner"), .attr("role", "status"), .flag("hidden")],
            text: "Работа в оффлайн режиме. Действия сохраняются и будут отправлены при появлении сети.")
    }

    static func topBar(context: PageContext) -> Body {
        var children: [Body] = [
            .el(
                "a", [.cls("brand"), .link(Paths.home())],
                [
                    .void(
                        "img",
                        [
                            .attr("src", Paths.icon(size: 192)), .attr("alt", ""), .attr("width", "28"),
                            .attr("height", "28"),
                        ]),
                    .span(cls: "brand__name", appName),
                ])
        ]
        if let user = context.user {
            children.append(queueBadge())
            children.append(
                .el(
                    "a", [.cls("topbar__user"), .link(Paths.profile())],
                    [
                        .span(cls: "topbar__name", user.fullName),
                        .span(cls: "topbar__role", user.role.title),
                    ]))
        }
        return .el("header", [.cls("topbar")], children)
    }

    /// «Ожидает отправки: N»; hidden while the queue is empty (app.js keeps it up to date).
    static func queueBadge() -> Body {
        return .el(
            "button",
            [
                .attr("type", "button"), .ident("queue-badge"), .cls("queue-badge"), .flag("hidden"),
                .attr("aria-controls", "queue-panel"), .attr("aria-expanded", "false"),
            ],
            [
                .span(cls: "queue-badge__dot", ""),
                .txt("Ожидает отправки: "),
                .el("span", [.ident("queue-count")], text: "0"),
            ])
    }

    static func main(title: String, context: PageContext, actions: [Body], back: String?, content: [Body]) -> Body {
        var head: [Body] = []
        if let back {
            head.append(.el("a", [.cls("back-link"), .link(back)], text: "← Назад"))
        }
        head.append(.heading(1, title, cls: "page-title"))
        var children: [Body] = [
            .div(cls: "page-head", head + (actions.isEmpty ? [] : [.div(cls: "page-actions", actions)]))
        ]
        children.append(contentsOf: context.flashes.map(flash))
        children.append(
            .el(
                "div",
                [
                    .ident("queue-notice"), .cls("flash flash--info"), .attr("role", "status"),
                    .flag("hidden"),
                ], []))
        children.append(contentsOf: content)
        return .el("main", [.ident("main"), .cls("main"), .attr("tabindex", "-1")], children)
    }

    static func flash(_ flash: Flash) -> Body {
        let role = flash.kind == .error ? "alert" : "status"
        return .el("div", [.cls("flash flash--" + flash.kind.rawValue), .attr("role", role)], text: flash.message)
    }

    /// The offline queue list, filled by app.js from localStorage.
    static func queuePanel() -> Body {
        return .el(
            "section",
            [
                .ident("queue-panel"), .cls("queue-panel"), .flag("hidden"),
                .attr("aria-labelledby", "queue-title"),
            ],
            [
                .div(
                    cls: "queue-panel__head",
                    [
                        .el("h2", [.ident("queue-title")], text: "Оффлайн очередь"),
                        .el(
                            "button",
                            [.attr("type", "button"), .cls("button button--small"), .attr("data-queue-sync", "")],
                            text: "Отправить сейчас"),
                        .el(
                            "button",
                            [
                                .attr("type", "button"), .cls("button button--small button--ghost"),
                                .attr("data-queue-close", ""),
                            ], text: "Закрыть"),
                    ]),
                .el(
                    "p", [.ident("queue-empty"), .cls("muted")], text: "Очередь пуста. Все действия синхронизированы."),
                .el("ol", [.ident("queue-list"), .cls("queue-list")], []),
            ])
    }
}

import Domain
import Plot

/// The sections of the app; a page names its own section so the navigation can mark it active.
public enum NavSection: String, CaseIterable, Sendable {
    case home
    case orders
    /// «План» (admins and managers): the planning board (docs/planning.md).
    case planning
    /// «Мои смены» (operators): the next 14 days' assignments.
    case shifts
    case catalog
    case clients
    case reports
    case users
    case salary
    /// The office's money: «Счета», «Платежи», «Должники», «Расходы», «Зарплаты» (the office's view of salaries).
    case invoices
    case payments
    case debts
    case expenses
    case salaries
    /// «Журнал действий» (admins).
    case audit
    case profile
    /// «Реквизиты компании», reached from «Профиль» (not in the menu).
    case company
    /// Pages outside the navigation (login, errors).
    case none
}

/// One navigation entry.
public struct NavItem: Sendable, Equatable {
    public var section: NavSection
    public var title: String
    /// A shorter label for the phone bottom bar («Зарплаты»); `nil` uses `title`.
    public var shortTitle: String?
    public var path: String

    public init(section: NavSection, title: String, shortTitle: String? = nil, path: String) {
        self.section = section
        self.title = title
        self.shortTitle = shortTitle
        self.path = path
    }
}

/// Which sections each role sees (docs/ui.md#navigation). Controllers should guard the same sections the same way.
public enum Navigation {
    /// Admin: everything incl. «Пользователи» and «Журнал действий». Manager: orders, catalogue, clients and the
    /// money records, no reports, salaries or users. Accountant: orders read-only, the money pages, «Отчёты»,
    /// «Клиенты» (read-only). Operator: own orders and «Мои зарплаты». docs/ui.md#navigation has the table.
    public static func items(for role: Role) -> [NavItem] {
        return allItems.filter { isVisible($0.section, for: role) }
    }

    /// Whether `role` may open `section`.
    public static func isVisible(_ section: NavSection, for role: Role) -> Bool {
        switch section {
        case .home, .orders, .profile, .none: true
        case .catalog: role == .admin || role == .manager
        // As the API: accountants read clients, admins and managers edit them.
        case .clients: role == .admin || role == .manager || role == .accountant
        // As the API: managers do not see profit (docs/original-bugs.md, 7.32).
        case .reports: role == .admin || role == .accountant
        // As the API's money records (`/api/v1/invoices/`, `/payments/`, `/expenses/`, `/clients/{id}/balance/`).
        case .invoices, .payments, .debts, .expenses: AccessPolicy.mayIssueClientDocuments(role)
        // As `/api/v1/salaries/`.
        case .salaries: role == .admin || role == .accountant
        case .users, .audit: role == .admin
        // As `GET /api/v1/company/`; admins edit.
        case .company: role == .admin || role == .manager || role == .accountant
        case .salary: role == .operator
        case .planning: PlanningPolicy.mayPlan(role)
        case .shifts: PlanningPolicy.keepsShifts(role)
        }
    }

    static let allItems: [NavItem] = [
        NavItem(section: .home, title: "Главная", path: Paths.home()),
        NavItem(section: .orders, title: "Заявки", path: Paths.orders()),
        NavItem(section: .planning, title: "План", path: Paths.planning()),
        NavItem(section: .shifts, title: "Мои смены", shortTitle: "Смены", path: Paths.shifts()),
        NavItem(section: .salary, title: "Мои зарплаты", shortTitle: "Зарплаты", path: Paths.salary()),
        NavItem(section: .invoices, title: "Счета", path: Paths.invoices()),
        NavItem(section: .payments, title: "Платежи", path: Paths.payments()),
        NavItem(section: .debts, title: "Должники", path: Paths.debts()),
        NavItem(section: .expenses, title: "Расходы", path: Paths.expenses()),
        NavItem(section: .salaries, title: "Зарплаты", path: Paths.salaries()),
        NavItem(section: .reports, title: "Отчёты", path: Paths.reports()),
        NavItem(section: .clients, title: "Клиенты", path: Paths.clients()),
        NavItem(section: .catalog, title: "Каталог", path: Paths.catalog(.equipment)),
        NavItem(section: .users, title: "Пользователи", path: Paths.users()),
        NavItem(section: .audit, title: "Журнал действий", shortTitle: "Журнал", path: Paths.audit()),
        NavItem(section: .profile, title: "Профиль", path: Paths.profile()),
    ]

    /// At most this many entries fit the phone bottom bar; the rest go into «Ещё».
    static let bottomBarCapacity = 5

    static func render(role: Role, active: NavSection) -> Body {
        let items = items(for: role)
        let overflow = items.count > bottomBarCapacity ? Array(items[(bottomBarCapacity - 1)...]) : []
        var entries: [Body] = items.enumerated().map { index, item in
            let isOverflow = items.count > bottomBarCapacity && index >= bottomBarCapacity - 1
            return .el(
                "li", [.cls(isOverflow ? "nav__entry nav__entry--overflow" : "nav__entry")],
                [link(item, active: active)])
        }
        if !overflow.isEmpty {
            entries.append(moreMenu(overflow, active: active))
        }
        return .el(
            "nav", [.cls("nav"), .attr("aria-label", "Основное меню")],
            [
                .el("ul", [.cls("nav__list")], entries)
            ])
    }

    private static func link(_ item: NavItem, active: NavSection) -> Body {
        let isActive = item.section == active
        var attributes: [Attr] = [.link(item.path), .cls(isActive ? "nav__link is-active" : "nav__link")]
        if isActive { attributes.append(.attr("aria-current", "page")) }
        return .el("a", attributes, [Icons.icon(for: item.section)] + labels(item))
    }

    private static func labels(_ item: NavItem) -> [Body] {
        guard let short = item.shortTitle else { return [.span(cls: "nav__label", item.title)] }
        return [
            .span(cls: "nav__label nav__label--long", item.title), .span(cls: "nav__label nav__label--short", short),
        ]
    }

    private static func moreMenu(_ items: [NavItem], active: NavSection) -> Body {
        let isActive = items.contains { $0.section == active }
        let links: [Body] = items.map { .el("li", [], [link($0, active: active)]) }
        return .el(
            "li", [.cls("nav__entry nav__more")],
            [
                .el(
                    "details", [.cls("nav__details")],
                    [
                        .el(
                            "summary", [.cls(isActive ? "nav__link is-active" : "nav__link")],
                            [
                                Icons.more(), .span(cls: "nav__label", "Ещё"),
                            ]),
                        .el("ul", [.cls("nav__more-list")], links),
                    ])
            ])
    }
}

/// Small inline SVG icons (stroke, 24×24), hidden from screen readers.
enum Icons {
    static func icon(for section: NavSection) -> Body {
        return svg(path(for: section))
    }

    static func more() -> Body {
        return svg("M5 12h.01M12 12h.01M19 12h.01")
    }

    static func svg(_ path: String) -> Body {
        return .el(
            "svg",
            [
                .cls("icon"), .attr("viewBox", "0 0 24 24"), .attr("width", "24"), .attr("height", "24"),
                .attr("aria-hidden", "true"), .attr("focusable", "false"),
            ], [.el("path", [.attr("d", path)])])
    }

    private static func path(for section: NavSection) -> String {
        switch section {
        case .home: "M3 11l9-8 9 8M5 9.5V21h5v-6h4v6h5V9.5"
        case .orders: "M9 4h6v3H9zM9 5.5H6V21h12V5.5h-3M9 12h6M9 16h4"
        case .catalog: "M4 4h7v7H4zM13 4h7v7h-7zM4 13h7v7H4zM13 13h7v7h-7z"
        case .clients:
            "M9 11a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM2 21c0-4 3-6 7-6s7 2 7 6M16 3.5a4 4 0 0 1 0 7.5M22 21c0-3-1.5-5-4-5.7"
        case .reports: "M5 20V11M11 20V5M17 20v-7M3 20h18"
        case .users: "M12 3l8 3v6c0 5-3.5 8-8 9-4.5-1-8-4-8-9V6zM9 12l2 2 4-4"
        case .salary: "M8 21V3h6a4 4 0 0 1 0 8H6M6 15h9"
        case .company: "M4 21V7l8-4 8 4v14M9 21v-5h6v5M8 10h.01M12 10h.01M16 10h.01"
        case .invoices: "M6 3h9l4 4v14H6zM14 3v5h5M9 12h7M9 16h7"
        case .payments: "M3 6h18v12H3zM3 10h18M7 15h4"
        case .debts: "M12 3v18M17 7H9.5a3 3 0 0 0 0 6h5a3 3 0 0 1 0 6H6"
        case .expenses: "M4 4h16v16H4zM8 9h8M8 13h8M8 17h5"
        case .salaries: "M8 21V3h6a4 4 0 0 1 0 8H6M6 15h9"
        case .audit: "M12 8v4l3 2M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18z"
        case .planning: "M3 5h18v16H3zM3 10h18M8 3v4M16 3v4M6 14h6M10 17h8"
        case .shifts: "M3 5h18v16H3zM3 10h18M8 3v4M16 3v4M8 15l2.5 2.5L16 13"
        case .profile, .none: "M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM4 21c0-4 4-6 8-6s8 2 8 6"
        }
    }
}

import Foundation

/// «Журнал действий» (admins): GET `/audit?user=&entity=&from=&to=&page=`, newest first.
public struct AuditLogModel: Sendable {
    public struct Filter: Sendable, Equatable {
        /// The acting user's id, "" = everyone.
        public var user: String
        /// An entity type (`order`, `payment`, …), "" = every type.
        public var entity: String
        /// `yyyy-MM-dd`, "" = open.
        public var from: String
        public var to: String

        public init(user: String = "", entity: String = "", from: String = "", to: String = "") {
            self.user = user
            self.entity = entity
            self.from = from
            self.to = to
        }
    }

    /// One changed field: «Сумма: 1 000,00 ₽ → 1 500,00 ₽». `before` is nil for a value that was set (a new
    /// entity), `after` nil for one that was removed; a plain fact («Комментарий: …») has only `after`.
    public struct Change: Sendable, Equatable {
        public var label: String
        public var before: String?
        public var after: String?
        public var isTransition: Bool

        public init(label: String, before: String?, after: String?, isTransition: Bool = true) {
            self.label = label
            self.before = before
            self.after = after
            self.isTransition = isTransition
        }
    }

    public struct Row: Sendable {
        public var id: String
        public var at: Date
        /// «Система» when nobody signed in did it.
        public var userName: String
        /// «Изменение», «Платёж»…
        public var action: String
        /// «Заявка 000123», «Платёж № 5».
        public var entity: String
        /// The entity's page, when there is one.
        public var entityURL: String?
        public var changes: [Change]

        public init(
            id: String, at: Date, userName: String, action: String, entity: String, entityURL: String? = nil,
            changes: [Change] = []
        ) {
            self.id = id
            self.at = at
            self.userName = userName
            self.action = action
            self.entity = entity
            self.entityURL = entityURL
            self.changes = changes
        }
    }

    public var context: PageContext
    public var filter: Filter
    public var rows: [Row]
    /// The «Пользователь» choices (value = user id).
    public var users: [Choice]
    public var page: Int
    public var totalPages: Int
    public var totalCount: Int
    /// Filter fields that could not be read (`user`, `from`, `to`).
    public var errors: FormErrors

    public init(
        context: PageContext, filter: Filter = Filter(), rows: [Row], users: [Choice] = [], page: Int = 1,
        totalPages: Int = 1, totalCount: Int? = nil, errors: FormErrors = [:]
    ) {
        self.context = context
        self.filter = filter
        self.rows = rows
        self.users = users
        self.page = page
        self.totalPages = totalPages
        self.totalCount = totalCount ?? rows.count
        self.errors = errors
    }
}

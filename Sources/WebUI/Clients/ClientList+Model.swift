/// «Клиенты»: GET `/clients?q=`.
public struct ClientListModel: Sendable {
    public struct Row: Sendable {
        public var id: String
        public var name: String
        public var contactPerson: String
        public var phone: String
        public var email: String
        public var address: String

        public init(
            id: String, name: String, contactPerson: String = "", phone: String, email: String = "",
            address: String = ""
        ) {
            self.id = id
            self.name = name
            self.contactPerson = contactPerson
            self.phone = phone
            self.email = email
            self.address = address
        }
    }

    public var context: PageContext
    public var q: String
    public var rows: [Row]
    public var canEdit: Bool

    public init(context: PageContext, q: String = "", rows: [Row], canEdit: Bool = true) {
        self.context = context
        self.q = q
        self.rows = rows
        self.canEdit = canEdit
    }
}

/// Add (`POST /clients/new`) or edit (`POST /clients/{id}/edit`) a client.
/// Posted fields: `_csrf`, `name`, `contact_person`, `phone`, `email`, `address`, `inn`, `notes`.
public struct ClientFormModel: Sendable {
    public struct Values: Sendable {
        public var name: String
        public var contactPerson: String
        public var phone: String
        public var email: String
        public var address: String
        public var inn: String
        public var notes: String

        public init(
            name: String = "", contactPerson: String = "", phone: String = "", email: String = "",
            address: String = "", inn: String = "", notes: String = ""
        ) {
            self.name = name
            self.contactPerson = contactPerson
            self.phone = phone
            self.email = email
            self.address = address
            self.inn = inn
            self.notes = notes
        }
    }

    public var context: PageContext
    /// `nil` = new client.
    public var id: String?
    public var values: Values
    public var errors: FormErrors
    public var formError: String?

    public init(
        context: PageContext, id: String? = nil, values: Values = Values(), errors: FormErrors = [:],
        formError: String? = nil
    ) {
        self.context = context
        self.id = id
        self.values = values
        self.errors = errors
        self.formError = formError
    }
}

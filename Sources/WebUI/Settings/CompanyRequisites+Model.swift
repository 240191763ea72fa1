import Domain

/// «Реквизиты компании». GET `/settings/company` (admins, managers, accountants); admins POST the form.
public struct CompanyRequisitesModel: Sendable {
    /// The form's values as typed; `vat` is `none` or the percent («20»).
    public struct Values: Sendable, Equatable {
        public var name = ""
        public var inn = ""
        public var kpp = ""
        public var ogrn = ""
        public var address = ""
        public var phone = ""
        public var email = ""
        public var bankName = ""
        public var bik = ""
        public var account = ""
        public var correspondentAccount = ""
        public var director = ""
        public var accountant = ""
        public var vat = "none"

        public init() {}

        /// Reads and writes a value by its posted field name (`CompanyRequisitesModel.fieldNames`).
        public subscript(field field: String) -> String {
            get {
                switch field {
                case "name": name
                case "inn": inn
                case "kpp": kpp
                case "ogrn": ogrn
                case "address": address
                case "phone": phone
                case "email": email
                case "bank_name": bankName
                case "bik": bik
                case "account": account
                case "correspondent_account": correspondentAccount
                case "director": director
                case "accountant": accountant
                case "vat": vat
                default: ""
                }
            }
            set {
                switch field {
                case "name": name = newValue
                case "inn": inn = newValue
                case "kpp": kpp = newValue
                case "ogrn": ogrn = newValue
                case "address": address = newValue
                case "phone": phone = newValue
                case "email": email = newValue
                case "bank_name": bankName = newValue
                case "bik": bik = newValue
                case "account": account = newValue
                case "correspondent_account": correspondentAccount = newValue
                case "director": director = newValue
                case "accountant": accountant = newValue
                case "vat": vat = newValue
                default: break
                }
            }
        }
    }

    /// The posted field names: the API's (`GET /api/v1/company/`), in the order the form shows them.
    public static var fieldNames: [String] { CompanyRequisites.fieldNames }

    public var context: PageContext
    public var values: Values
    public var errors: FormErrors
    public var formError: String?
    /// Admins edit; everyone else who may open the page reads it.
    public var canEdit: Bool

    public init(
        context: PageContext, values: Values, errors: FormErrors = [:], formError: String? = nil,
        canEdit: Bool
    ) {
        self.context = context
        self.values = values
        self.errors = errors
        self.formError = formError
        self.canEdit = canEdit
    }
}

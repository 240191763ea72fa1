/// The company's requisites printed on every document: seller, bank and signatures (docs/documents.md).
public struct CompanyRequisites: Sendable, Equatable, Codable {
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
    /// «Без НДС», or a rate in percent that the prices already include.
    public var vat: VAT = .none

    public enum VAT: Sendable, Equatable, Codable {
        case none
        case rate(Int)

        /// `none` or the percent as digits: `"20"`.
        public var text: String {
            switch self {
            case .none: "none"
            case .rate(let percent): String(percent)
            }
        }

        public init?(text: String) {
            if text == "none" || text.isEmpty {
                self = .none
            } else if let percent = Int(text), (0...100).contains(percent) {
                self = .rate(percent)
            } else {
                return nil
            }
        }
    }

    public init() {}

    /// The API's field names, in the order forms show them.
    public static let fieldNames = [
        "name", "inn", "kpp", "ogrn", "address", "phone", "email", "bank_name", "bik", "account",
        "correspondent_account", "director", "accountant", "vat",
    ]

    /// Shape errors in Russian by field; empty fields are allowed here (a company fills them in over time).
    public var problems: [String: String] {
        var problems: [String: String] = [:]
        if !inn.isEmpty, !Requisites.isValidINN(inn) {
            problems["inn"] = "ИНН — 10 или 12 цифр с верными контрольными цифрами."
        }
        if !kpp.isEmpty, !Requisites.isValidKPP(kpp) {
            problems["kpp"] = "КПП — 9 символов: цифры, 5-й и 6-й могут быть буквами."
        }
        if !ogrn.isEmpty, !Requisites.isValidOGRN(ogrn) {
            problems["ogrn"] = "ОГРН — 13 цифр (ОГРНИП — 15) с верной контрольной цифрой."
        }
        if !bik.isEmpty, !Requisites.isValidBIK(bik) { problems["bik"] = "БИК — 9 цифр." }
        if !account.isEmpty {
            if account.count != 20 || !account.allSatisfy({ $0.isASCII && $0.isNumber }) {
                problems["account"] = "Расчётный счёт — 20 цифр."
            } else if Requisites.isValidBIK(bik), !Requisites.isValidAccount(account, bik: bik, correspondent: false) {
                problems["account"] = "Расчётный счёт не сходится с БИК: проверьте цифры."
            }
        }
        if !correspondentAccount.isEmpty {
            if correspondentAccount.count != 20 || !correspondentAccount.allSatisfy({ $0.isASCII && $0.isNumber }) {
                problems["correspondent_account"] = "Корреспондентский счёт — 20 цифр."
            } else if Requisites.isValidBIK(bik),
                !Requisites.isValidAccount(correspondentAccount, bik: bik, correspondent: true)
            {
                problems["correspondent_account"] = "Корреспондентский счёт не сходится с БИК: проверьте цифры."
            }
        }
        return problems
    }

    /// What an invoice needs and is empty, as (API field, Russian label).
    public var missingForInvoice: [(field: String, label: String)] {
        let required: [(String, String, String)] = [
            ("name", "название", name), ("inn", "ИНН", inn), ("address", "адрес", address),
            ("bank_name", "банк", bankName), ("bik", "БИК", bik), ("account", "расчётный счёт", account),
            ("correspondent_account", "корр. счёт", correspondentAccount), ("director", "руководитель", director),
        ]
        return required.filter { $0.2.isEmpty }.map { ($0.0, $0.1) }
    }
}

import Domain
import Foundation

/// Every web URL the pages link or post to. Controllers register the same paths.
/// IDs are strings (orders use UUIDs, everything else integers): pass `"\(id)"`.
public enum Paths {
    // MARK: - Assets

    public static func stylesheet() -> String { "/static/app.css" }
    public static func script() -> String { "/static/app.js" }
    public static func serviceWorker() -> String { "/sw.js" }
    public static func manifest() -> String { "/manifest.webmanifest" }
    public static func icon(size: Int) -> String { "/icons/icon-\(size).png" }

    // MARK: - Session

    /// GET shows the form; POST `phone`, `password`, `next`, `_csrf`.
    public static func login(next: String? = nil) -> String {
        return "/login" + query(["next": next])
    }

    /// POST `_csrf`.
    public static func logout() -> String { "/logout" }

    /// GET shows the form; POST `first_name`, `last_name`, `phone`, `password`, `password_confirm`, `_csrf`.
    public static func register() -> String { "/register" }

    public static func home() -> String { "/" }

    // MARK: - Orders

    /// GET with the list filter; `status` is an `OrderStatus.rawValue`, `from`/`to` are `yyyy-MM-dd`.
    public static func orders(
        status: OrderStatus? = nil, from: String = "", to: String = "", q: String = "",
        page: Int = 1
    ) -> String {
        let pairs: [String: String?] = [
            "status": status?.rawValue, "from": from, "to": to, "q": q, "page": page > 1 ? String(page) : nil,
        ]
        return "/orders" + query(pairs)
    }

    public static func newOrder() -> String { "/orders/new" }
    public static func order(_ id: String) -> String { "/orders/" + segment(id) }
    public static func editOrder(_ id: String) -> String { order(id) + "/edit" }
    /// POST `status` (an `OrderStatus.rawValue`), `comment`, `_csrf`.
    public static func orderStatus(_ id: String) -> String { order(id) + "/status" }
    public static func completeOrder(_ id: String) -> String { order(id) + "/complete" }
    /// GET: the completed order's receipt («Чек») as PDF.
    public static func orderReceipt(_ id: String) -> String { order(id) + "/receipt" }
    /// POST `_csrf`: issue the completed order's invoice («Выставить счёт»).
    public static func issueInvoice(_ id: String) -> String { order(id) + "/invoice" }
    /// GET: the completed order's act («Акт оказанных услуг») as PDF.
    public static func orderAct(_ id: String) -> String { order(id) + "/act" }
    /// POST `document` (`receipt`, `act` or `invoice`), `_csrf`: e-mail it to the client («Отправить клиенту»).
    public static func sendOrderDocument(_ id: String) -> String { order(id) + "/send" }
    /// GET `from`, `to` (YYYY-MM-DD): the client's reconciliation statement («Акт сверки») as PDF.
    public static func clientReconciliation(_ id: String) -> String { "/clients/" + segment(id) + "/reconciliation" }
    /// GET: an issued invoice («Счёт на оплату») as PDF.
    public static func invoicePDF(_ invoiceID: String) -> String { "/invoices/" + segment(invoiceID) + "/pdf" }
    /// POST `_csrf`.
    public static func deleteOrder(_ id: String) -> String { order(id) + "/delete" }
    /// POST `multipart/form-data`: `_csrf`, `photo_type` (`PhotoKind.rawValue`), `file` (an image).
    public static func orderPhotos(_ id: String) -> String { order(id) + "/photos" }
    /// GET: the image of one order photo, for whoever may see the order.
    public static func orderPhotoFile(_ id: String, photo: String) -> String {
        return orderPhotos(id) + "/" + segment(photo)
    }
    /// POST, same fields as the order form; answers JSON (see README). With the order's id (edit form) the order's
    /// own bookings are not reported as conflicts.
    public static func orderPreviewAPI(_ id: String? = nil) -> String {
        guard let id else { return "/api/v1/orders/preview/" }
        return "/api/v1/orders/" + segment(id) + "/calculate/preview/"
    }

    // MARK: - Catalog

    public static func catalog(_ kind: CatalogKind, q: String = "", showInactive: Bool = false) -> String {
        return "/catalog/" + kind.rawValue + query(["q": q, "inactive": showInactive ? "1" : nil])
    }

    public static func newCatalogItem(_ kind: CatalogKind) -> String { "/catalog/" + kind.rawValue + "/new" }

    public static func editCatalogItem(_ kind: CatalogKind, _ id: String) -> String {
        return "/catalog/" + kind.rawValue + "/" + segment(id) + "/edit"
    }

    /// POST `active` (`true` or `false`), `_csrf`: deactivate or reactivate an item.
    public static func catalogItemActive(_ kind: CatalogKind, _ id: String) -> String {
        return "/catalog/" + kind.rawValue + "/" + segment(id) + "/active"
    }

    // MARK: - Clients and users

    public static func clients(q: String = "") -> String { "/clients" + query(["q": q]) }
    public static func newClient() -> String { "/clients/new" }
    public static func editClient(_ id: String) -> String { "/clients/" + segment(id) + "/edit" }
    /// POST `active` (`true` or `false`), `_csrf`: deactivate or reactivate a client.
    public static func clientActive(_ id: String) -> String { "/clients/" + segment(id) + "/active" }

    public static func users(q: String = "") -> String { "/users" + query(["q": q]) }
    public static func newUser() -> String { "/users/new" }
    public static func editUser(_ id: String) -> String { "/users/" + segment(id) + "/edit" }

    // MARK: - Money pages

    /// «Мои зарплаты»; `from`/`to` are `yyyy-MM-dd`.
    public static func salary(from: String = "", to: String = "") -> String {
        return "/salary" + query(["from": from, "to": to])
    }

    public static func reports() -> String { "/reports" }

    // MARK: - The office's money (each feature adds its filtered variants beside its pages)

    /// «Счета»: the invoices list.
    public static func invoices() -> String { "/invoices" }
    /// One invoice's page (its payments, «Внести оплату», the PDF).
    public static func invoice(_ id: String) -> String { "/invoices/" + segment(id) }
    /// «Платежи»: the payments list.
    public static func payments() -> String { "/payments" }
    /// «Должники»: clients with a debt, by age.
    public static func debts() -> String { "/debts" }
    /// The client card: requisites, ledger, orders, «Акт сверки».
    public static func client(_ id: String) -> String { "/clients/" + segment(id) }
    /// «Расходы».
    public static func expenses() -> String { "/expenses" }
    /// «Зарплаты» for the office (admins, accountants); operators have `salary()`.
    public static func salaries() -> String { "/salaries" }
    /// «Журнал действий» (admins).
    public static func audit() -> String { "/audit" }

    /// A report page; `export` is `csv` or `xlsx` for the download of the same data.
    public static func report(_ kind: ReportKind, from: String = "", to: String = "", export: String? = nil) -> String {
        return "/reports/" + kind.rawValue + query(["from": from, "to": to, "export": export])
    }

    // MARK: - Profile

    public static func profile() -> String { "/profile" }
    /// POST `current_password`, `new_password`, `new_password_confirm`, `_csrf`.
    public static func profilePassword() -> String { "/profile/password" }
    /// GET the settings; POST `_csrf` and one `<event>.<channel>` checkbox per ticked switch.
    public static func notificationSettings() -> String { "/profile/notifications" }
    /// POST `_csrf`: a new one-time code for linking a Telegram chat.
    public static func telegramLink() -> String { "/profile/notifications/telegram/link" }
    /// POST `_csrf`: forget the linked Telegram chat.
    public static func telegramUnlink() -> String { "/profile/notifications/telegram/unlink" }
    /// POST JSON `{"subscription": PushSubscription}` with `X-CSRF-Token`: this browser receives push.
    public static func pushSubscribe() -> String { "/profile/notifications/push" }
    /// POST JSON `{"endpoint": …}` with `X-CSRF-Token`: this browser stops receiving push.
    public static func pushUnsubscribe() -> String { "/profile/notifications/push/remove" }
    /// The in-app inbox.
    public static func inbox(page: Int = 1) -> String {
        return "/notifications" + query(["page": page > 1 ? String(page) : nil])
    }
    /// POST `_csrf`: every message of the inbox becomes read.
    public static func inboxReadAll() -> String { "/notifications/read-all" }

    // MARK: - Settings

    /// GET «Реквизиты компании»; POST (admins) `_csrf` and every field of `CompanyRequisitesModel.fieldNames`.
    public static func companyRequisites() -> String { "/settings/company" }

    // MARK: - Helpers

    /// `?a=1&b=2` with empty and nil values left out and keys sorted, or "" when nothing is left.
    static func query(_ pairs: [String: String?]) -> String {
        let items = pairs.compactMap { key, value -> String? in
            guard let value, !value.isEmpty else { return nil }
            return escapeQuery(key) + "=" + escapeQuery(value)
        }
        return items.isEmpty ? "" : "?" + items.sorted().joined(separator: "&")
    }

    /// RFC 3986 unreserved characters (ASCII only); everything else, Cyrillic included, is percent-encoded.
    private static let unreserved = CharacterSet(
        charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    static func escapeQuery(_ text: String) -> String {
        return text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
    }

    static func segment(_ id: String) -> String {
        return id.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
    }
}

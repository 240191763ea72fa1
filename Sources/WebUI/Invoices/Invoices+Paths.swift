import Domain

/// The filtered lists and the forms of «Счета» and «Платежи» (docs/ui.md#invoices-and-payments).
extension Paths {
    /// GET the invoice list; `state` is an `InvoiceState.rawValue`, `client` a client id, `from`/`to` the issue
    /// days (`yyyy-MM-dd`), `sort` a column (`-` first for descending), `export` `csv` or `xlsx`.
    public static func invoices(
        state: String = "", client: String = "", from: String = "", to: String = "", sort: String = "",
        page: Int = 1, export: String? = nil
    ) -> String {
        let pairs: [String: String?] = [
            "status": state, "client": client, "from": from, "to": to, "sort": sort,
            "page": page > 1 ? String(page) : nil, "export": export,
        ]
        return invoices() + query(pairs)
    }

    /// POST «Внести оплату»: `amount`, `paid_at` (`yyyy-MM-dd`), `method`, `comment`, `_csrf`.
    public static func invoicePayments(_ id: String) -> String { invoice(id) + "/payments" }

    /// GET the payment list; `client` a client id, `method` a `PaymentMethod.rawValue`, `from`/`to` the payment
    /// days, `sort` a column, `export` `csv` or `xlsx`.
    public static func payments(
        client: String = "", method: String = "", from: String = "", to: String = "", sort: String = "",
        page: Int = 1, export: String? = nil
    ) -> String {
        let pairs: [String: String?] = [
            "client": client, "method": method, "from": from, "to": to, "sort": sort,
            "page": page > 1 ? String(page) : nil, "export": export,
        ]
        return payments() + query(pairs)
    }

    /// GET «Новый платёж» (the query preselects the client, the invoice or the order); POST `client`, `invoice`,
    /// `order`, `amount`, `paid_at`, `method`, `comment`, `_csrf`.
    public static func newPayment(client: String = "", invoice: String = "", order: String = "") -> String {
        return payments() + "/new" + query(["client": client, "invoice": invoice, "order": order])
    }

    /// GET the form, POST the same fields as `newPayment`.
    public static func editPayment(_ id: String) -> String { payments() + "/" + segment(id) + "/edit" }

    /// POST `_csrf`.
    public static func deletePayment(_ id: String) -> String { payments() + "/" + segment(id) + "/delete" }
}

extension Paths {
    /// «Должники» with its search, sort (`DebtListModel.Sort`, `-` for descending; the default left out) and
    /// page; `export` is `csv` or `xlsx` for the download of the whole table.
    public static func debtList(q: String = "", sort: String = "", page: Int = 1, export: String? = nil) -> String {
        let pairs: [String: String?] = [
            "q": q, "sort": sort == DebtListModel.Sort.default ? nil : sort, "page": page > 1 ? String(page) : nil,
            "export": export,
        ]
        return debts() + query(pairs)
    }

    /// The client card with its ledger period (`yyyy-MM-dd`) and the page of its orders.
    public static func client(_ id: String, from: String, to: String, ordersPage: Int = 1) -> String {
        return client(id) + query(["from": from, "to": to, "orders_page": ordersPage > 1 ? String(ordersPage) : nil])
    }
}

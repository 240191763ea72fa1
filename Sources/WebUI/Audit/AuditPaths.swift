extension Paths {
    /// «Журнал действий» with its filter (`user` id, `entity` type, `from`/`to` as `yyyy-MM-dd`) and page.
    public static func auditLog(
        user: String = "", entity: String = "", from: String = "", to: String = "", page: Int = 1
    ) -> String {
        let pairs: [String: String?] = [
            "user": user, "entity": entity, "from": from, "to": to, "page": page > 1 ? String(page) : nil,
        ]
        return audit() + query(pairs)
    }
}

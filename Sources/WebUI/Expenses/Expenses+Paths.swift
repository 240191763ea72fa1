import Domain

/// The URLs of «Расходы» and the office's «Зарплаты» beyond their base paths (`Paths.expenses()`,
/// `Paths.salaries()`).
extension Paths {
    /// GET the expense list: `from`, `to` (`yyyy-MM-dd`), `category` (`ExpenseCategory.rawValue`), `equipment`
    /// (machine id), `sort` (`date`, `amount`, `category`, `-` first for descending), `page`; `export=csv|xlsx`
    /// downloads every filtered row.
    public static func expenseList(_ filter: ExpenseListModel.Filter, page: Int = 1, export: String = "") -> String {
        let pairs: [String: String?] = [
            "from": filter.from, "to": filter.to, "category": filter.category?.rawValue,
            "equipment": filter.equipmentID, "sort": filter.sort == ExpenseListModel.defaultSort ? nil : filter.sort,
            "page": page > 1 ? String(page) : nil, "export": export,
        ]
        return expenses() + query(pairs)
    }

    /// GET the form; POST `category`, `equipment_id`, `amount`, `date`, `comment`, `attachment_url`.
    public static func newExpense() -> String { expenses() + "/new" }
    /// GET the form; POST the fields of `newExpense()`.
    public static func editExpense(_ id: String) -> String { expenses() + "/" + segment(id) + "/edit" }
    /// POST `_csrf`.
    public static func deleteExpense(_ id: String) -> String { expenses() + "/" + segment(id) + "/delete" }
    /// GET the receipt's photo; POST `multipart/form-data`: `_csrf`, `file` (an image) replaces it.
    public static func expenseReceipt(_ id: String) -> String { expenses() + "/" + segment(id) + "/receipt" }
    /// POST `_csrf`: removes the receipt's photo.
    public static func deleteExpenseReceipt(_ id: String) -> String { expenseReceipt(id) + "/delete" }

    /// GET the office's salary list: `user` (operator id), `status` (`SalaryStatus.rawValue`), `from`, `to`
    /// (`yyyy-MM-dd`, on the work date), `page`; `export=csv|xlsx` downloads every filtered record.
    public static func salaryList(_ filter: OfficeSalaryModel.Filter, page: Int = 1, export: String = "") -> String {
        let pairs: [String: String?] = [
            "user": filter.userID, "status": filter.status?.rawValue, "from": filter.from, "to": filter.to,
            "page": page > 1 ? String(page) : nil, "export": export,
        ]
        return salaries() + query(pairs)
    }

    /// POST `status` (`SalaryStatus.rawValue`), `back`: one step of a record's payout workflow.
    public static func salaryRecordStatus(_ id: String) -> String { salaries() + "/" + segment(id) + "/status" }
    /// POST `action` (`approved` or `paid`), `ids` (repeated record ids), `back`.
    public static func salariesBulk() -> String { salaries() + "/bulk" }
}

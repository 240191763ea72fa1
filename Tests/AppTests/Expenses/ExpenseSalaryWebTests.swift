import Domain
import Foundation
import SQLKit
import Testing
import Vapor

@testable import App

@Suite("Web: «Расходы» and the office's «Зарплаты»")
struct ExpenseSalaryWebTests {
    static let nbsp = "\u{00A0}"
    static let group = "\u{202F}"

    // MARK: - Roles

    @Test(arguments: Role.allCases)
    func expensePagesAndWritesFollowTheAPIsRoles(role: Role) async throws {
        try await TestApp.run { t in
            let id = try await t.expense(category: "fuel", amount: 100_000, day: "2026-11-02")
            let (web, _, _) = try await WebClient.signedIn(t, role)
            let allowed = role != .operator
            for path in ["/expenses", "/expenses/new", "/expenses/\(id)/edit"] {
                let page = try await web.get(path)
                #expect(page.status == (allowed ? .ok : .forbidden), "\(role) \(path)")
            }
            try await web.get("/")
            let create = try await web.post(
                "/expenses/new", [("category", "rent"), ("amount", "10"), ("date", "2026-11-03")])
            #expect(create.status == (allowed ? .seeOther : .forbidden), "\(role) create")
            let edit = try await web.post(
                "/expenses/\(id)/edit", [("category", "repair"), ("amount", "20"), ("date", "2026-11-03")])
            #expect(edit.status == (allowed ? .seeOther : .forbidden), "\(role) edit")
            let delete = try await web.post("/expenses/\(id)/delete", [])
            #expect(delete.status == (allowed ? .seeOther : .forbidden), "\(role) delete")
            #expect(try await t.count("expenses") == 1)
            #expect(try await t.count("expenses", where: "category", equals: "rent") == (allowed ? 1 : 0))
        }
    }

    @Test(arguments: Role.allCases)
    func salaryPagesAndStepsAreForAdminsAndAccountants(role: Role) async throws {
        try await TestApp.run { t in
            let (worker, _) = try await t.user(.operator, firstName: "Иван", lastName: "Петров")
            let id = try await t.salary(worker.id ?? 0, amount: 500_000, status: .pending)
            let (web, _, _) = try await WebClient.signedIn(t, role)
            let allowed = role == .admin || role == .accountant
            let page = try await web.get("/salaries")
            #expect(page.status == (allowed ? .ok : .forbidden), "\(role)")
            if !allowed { #expect(page.contains("У вас нет доступа к этому разделу.")) }
            try await web.get("/")
            let step = try await web.post("/salaries/\(id)/status", [("status", "approved")])
            #expect(step.status == (allowed ? .seeOther : .forbidden), "\(role) step")
            let bulk = try await web.post("/salaries/bulk", [("action", "paid"), ("ids", String(id))])
            #expect(bulk.status == (allowed ? .seeOther : .forbidden), "\(role) bulk")
            let status = try await t.salaryStatus(id)
            #expect(status == (allowed ? "paid" : "pending"), "\(role)")
        }
    }

    // MARK: - Expenses

    @Test func addEditAndDeleteAnExpenseThroughTheServiceWithItsAuditEntries() async throws {
        try await TestApp.run { t in
            let machine = try await t.equipment(code: "EX-7", name: "Экскаватор JCB 3CX")
            let (web, user, _) = try await WebClient.signedIn(t, .accountant)
            let form = try await web.get("/expenses/new")
            #expect(form.contains("<h1 class=\"page-title\">Новый расход</h1>"))
            #expect(form.contains("Экскаватор JCB 3CX (EX-7)"))
            #expect(form.contains(">Топливо</option>"))
            let created = try await web.post(
                "/expenses/new",
                [
                    ("category", "fuel"), ("equipment_id", String(machine)), ("amount", "12 500,50"),
                    ("date", "2026-11-20"), ("comment", "Заправка на трассе"),
                    ("attachment_url", "https://files.example.com/receipt-1.jpg"),
                ])
            #expect(created.status == .seeOther)
            #expect(created.location == "/expenses")
            let list = try await web.get("/expenses")
            #expect(list.contains("Расход добавлен"))
            #expect(list.contains("12\(Self.group)500,50\(Self.nbsp)₽"))
            #expect(list.contains("Заправка на трассе"))
            #expect(list.contains("href=\"https://files.example.com/receipt-1.jpg\""))
            #expect(list.contains(">Фото чека</a>"))
            let row = try #require(try await t.expenseRow())
            #expect(row.amount == 1_250_050)
            #expect(row.equipmentID == machine)
            #expect(row.reportedBy == user.id)
            #expect(row.date == "2026-11-20")

            let edit = try await web.get("/expenses/\(row.id)/edit")
            #expect(edit.contains("value=\"12500,50\""))
            #expect(edit.contains("<option value=\"fuel\" selected"))
            let updated = try await web.post(
                "/expenses/\(row.id)/edit",
                [
                    ("category", "repair"), ("equipment_id", ""), ("amount", "300"), ("date", "2026-11-21"),
                    ("comment", ""), ("attachment_url", ""),
                ])
            #expect(updated.status == .seeOther)
            let changed = try #require(try await t.expenseRow())
            #expect(changed.amount == 30_000)
            #expect(changed.equipmentID == nil)
            #expect(changed.category == "repair")

            let deleted = try await web.post("/expenses/\(row.id)/delete", [])
            #expect(deleted.status == .seeOther)
            #expect(try await t.count("expenses") == 0)
            #expect(try await web.get("/expenses").contains("Расход удалён"))
            let audit = try await t.auditEntries("expense").map(\.action)
            #expect(audit == ["create", "update", "delete"])
        }
    }

    @Test func anInvalidFormComesBackWithTheMessagesAndTheTypedValues() async throws {
        try await TestApp.run { t in
            let (web, _, _) = try await WebClient.signedIn(t, .manager)
            try await web.get("/expenses/new")
            let page = try await web.post(
                "/expenses/new",
                [
                    ("category", ""), ("amount", "двести"), ("date", "2026-13-45"), ("comment", "Шины"),
                    ("attachment_url", "ftp://example.com/a.jpg"), ("equipment_id", "999"),
                ])
            #expect(page.status == .unprocessableEntity)
            #expect(page.contains("Выберите категорию."))
            #expect(page.contains(CatalogEditWebController.moneyMessage))
            #expect(page.contains(FieldMessage.date))
            #expect(page.contains(FieldMessage.url))
            #expect(page.contains("value=\"двести\""))
            #expect(page.contains(">Шины</textarea>"))
            let zero = try await web.post(
                "/expenses/new", [("category", "other"), ("amount", "0"), ("date", "2026-11-01")])
            #expect(zero.status == .unprocessableEntity)
            #expect(zero.contains("Сумма расхода должна быть больше нуля."))
            #expect(try await t.count("expenses") == 0)
        }
    }

    @Test func theListFiltersSortsPagesTotalsAndDownloads() async throws {
        try await TestApp.run { t in
            let machine = try await t.equipment(code: "CR-1", name: "Кран КС-45717")
            try await t.expense(category: "fuel", amount: 150_000, day: "2026-10-05", equipment: machine)
            try await t.expense(category: "fuel", amount: 250_000, day: "2026-11-05", equipment: machine)
            try await t.expense(category: "repair", amount: 700_000, day: "2026-11-06")
            try await t.expense(category: "rent", amount: 1_000_000, day: "2026-11-07", comment: "Аренда крана")
            for day in 1...55 {
                try await t.expense(
                    category: "other", amount: 1_000, day: "2026-09-\(String(format: "%02d", day % 28 + 1))")
            }
            let (web, _, _) = try await WebClient.signedIn(t, .accountant)

            let november = try await web.get("/expenses?from=2026-11-01&to=2026-11-30")
            #expect(november.contains("Найдено: 3"))
            #expect(november.contains("Всего расходов</span><span class=\"kpi__value\">19\(Self.group)500,00"))
            #expect(november.contains("Топливо</span><span class=\"kpi__value\">2\(Self.group)500,00"))
            #expect(november.contains("Ремонт</span><span class=\"kpi__value\">7\(Self.group)000,00"))
            #expect(november.contains("Аренда техники</span><span class=\"kpi__value\">10\(Self.group)000,00"))
            #expect(november.contains("Прочее</span><span class=\"kpi__value\">0,00"))

            // The category narrows the list, not the totals of the period.
            let fuel = try await web.get("/expenses?from=2026-11-01&to=2026-11-30&category=fuel")
            #expect(fuel.contains("Найдено: 1"))
            #expect(fuel.contains("Всего расходов</span><span class=\"kpi__value\">19\(Self.group)500,00"))
            let byMachine = try await web.get("/expenses?equipment=\(machine)")
            #expect(byMachine.contains("Найдено: 2"))
            #expect(byMachine.contains("Всего расходов</span><span class=\"kpi__value\">4\(Self.group)000,00"))

            // Sorting by a header: the cheapest first, then the dearest first.
            let ascending = try await web.get("/expenses?from=2026-11-01&sort=amount")
            let descending = try await web.get("/expenses?from=2026-11-01&sort=-amount")
            let order = { (page: WebClient.Page) -> [Int] in
                ["2\(Self.group)500,00", "7\(Self.group)000,00", "10\(Self.group)000,00"].compactMap { text in
                    page.body.range(of: "data-label=\"Сумма\" class=\"num\">" + text).map {
                        page.body.distance(from: page.body.startIndex, to: $0.lowerBound)
                    }
                }
            }
            #expect(order(ascending).count == 3)
            #expect(order(ascending) == order(ascending).sorted())
            #expect(order(descending) == order(descending).sorted().reversed())
            #expect(ascending.contains("aria-sort=\"ascending\""))
            #expect(ascending.contains("href=\"/expenses?from=2026-11-01&amp;sort=-amount\""))
            // An unknown sort falls back to the newest first.
            #expect(try await web.get("/expenses?sort=password").status == .ok)

            let first = try await web.get("/expenses")
            #expect(first.contains("Страница 1 из 2"))
            let second = try await web.get("/expenses?page=2")
            #expect(second.contains("Страница 2 из 2"))
            #expect(second.contains("Найдено: 59"))

            let csv = try await web.get("/expenses?from=2026-11-01&to=2026-11-30&export=csv")
            #expect(csv.status == .ok)
            #expect(csv.headers.contentType?.subType == "csv")
            let lines = csv.body.split(whereSeparator: \.isNewline)
            #expect(lines.count == 4)
            #expect(csv.body.contains("Аренда крана"))
            #expect(csv.body.contains("Аренда техники"))
            let xlsx = try await web.get("/expenses?export=xlsx")
            #expect(xlsx.status == .ok)
            #expect(xlsx.headers.first(name: .contentDisposition)?.contains("expenses.xlsx") == true)
        }
    }

    // MARK: - Salaries

    @Test func bulkApproveAndPayCommitTheAllowedRecordsAndNameTheRefusedOnes() async throws {
        try await TestApp.run { t in
            let (worker, _) = try await t.user(.operator, firstName: "Иван", lastName: "Петров")
            let uid = worker.id ?? 0
            let first = try await t.salary(uid, amount: 400_000, status: .pending)
            let second = try await t.salary(uid, amount: 300_000, status: .pending)
            let paid = try await t.salary(uid, amount: 100_000, status: .paid)
            let (web, _, _) = try await WebClient.signedIn(t, .accountant)
            let list = try await web.get("/salaries")
            #expect(list.contains(">Утвердить выбранные</button>"))
            #expect(list.contains(">Выплатить выбранные</button>"))
            #expect(list.contains("name=\"ids\" value=\"\(first)\""))
            #expect(!list.contains("name=\"ids\" value=\"\(paid)\""))

            let approve = try await web.post(
                "/salaries/bulk",
                [("action", "approved"), ("ids", String(first)), ("ids", String(paid)), ("back", "/salaries")])
            #expect(approve.status == .seeOther)
            #expect(approve.location == "/salaries")
            let afterApprove = try await web.get("/salaries")
            #expect(afterApprove.contains("Утверждено: 1\u{00A0}запись. Не изменено: 1\u{00A0}запись."))
            #expect(afterApprove.contains("Запись № \(paid): Выплаченную зарплату изменить нельзя"))
            #expect(try await t.salaryStatus(first) == "approved")
            #expect(try await t.salaryStatus(paid) == "paid")

            // Paying a pending record is refused by the workflow; the approved one is paid.
            let pay = try await web.post(
                "/salaries/bulk",
                [
                    ("action", "paid"), ("ids", String(first)), ("ids", String(second)),
                    ("back", "/salaries?status=approved"),
                ])
            #expect(pay.location == "/salaries?status=approved")
            let afterPay = try await web.get("/salaries")
            #expect(afterPay.contains("Выплачено: 1\u{00A0}запись. Не изменено: 1\u{00A0}запись."))
            #expect(
                afterPay.contains(
                    "Запись № \(second): Нельзя перевести запись зарплаты из статуса «Начислена» в «Выплачена»"))
            #expect(try await t.salaryStatus(first) == "paid")
            #expect(try await t.salaryStatus(second) == "pending")
            #expect(try await t.salaryPaidAt(first) != nil)
            let audit = try await t.auditEntries("salary_record").map(\.action)
            #expect(audit == ["status_change", "payment"])

            let nothing = try await web.post("/salaries/bulk", [("action", "paid"), ("back", "https://evil.example")])
            #expect(nothing.location == "/salaries")
            #expect(try await web.get("/salaries").contains("Отметьте записи зарплаты в списке."))
        }
    }

    @Test func theOperatorSeesThePaymentInHisOwnSalaryAtOnce() async throws {
        try await TestApp.run { t in
            let (operatorWeb, worker, _) = try await WebClient.signedIn(
                t, .operator, firstName: "Сергей", lastName: "Смирнов")
            let id = try await t.salary(worker.id ?? 0, amount: 640_000, status: .pending)
            #expect(try await operatorWeb.get("/salary").contains("chip chip--neutral\">Начислена</span>"))
            let (office, _, _) = try await WebClient.signedIn(t, .admin)
            try await office.get("/salaries")
            let approve = try await office.post(
                "/salaries/\(id)/status", [("status", "approved"), ("back", "/salaries")])
            #expect(approve.status == .seeOther)
            #expect(try await office.get("/salaries").contains("Запись № \(id): статус «Утверждена»"))
            let refused = try await office.post("/salaries/\(id)/status", [("status", "approved")])
            #expect(refused.status == .seeOther)
            #expect(
                try await office.get("/salaries").contains("Запись № \(id): Запись зарплаты уже в статусе «Утверждена»")
            )
            try await office.post("/salaries/bulk", [("action", "paid"), ("ids", String(id))])
            let own = try await operatorWeb.get("/salary")
            #expect(own.contains("chip chip--ok\">Выплачена</span>"))
            #expect(own.contains("Выплачена</span><span class=\"kpi__value\">6\(Self.group)400,00"))
            #expect(try await office.post("/salaries/999999/status", [("status", "paid")]).status == .notFound)
        }
    }

    @Test func totalsPerOperatorFiltersPagesAndDownloads() async throws {
        try await TestApp.run { t in
            let (ivan, _) = try await t.user(.operator, firstName: "Иван", lastName: "Петров")
            let (sergey, _) = try await t.user(.operator, firstName: "Сергей", lastName: "Смирнов")
            let november = ISOTime.startOfDay("2026-11-10", in: t.app.config.timeZone) ?? Date()
            let october = ISOTime.startOfDay("2026-10-10", in: t.app.config.timeZone) ?? Date()
            try await t.salary(ivan.id ?? 0, amount: 100_000, status: .pending, at: november)
            try await t.salary(ivan.id ?? 0, amount: 200_000, status: .approved, at: november)
            try await t.salary(ivan.id ?? 0, amount: 400_000, status: .paid, at: november)
            try await t.salary(ivan.id ?? 0, amount: 800_000, status: .paid, at: october)
            try await t.salary(sergey.id ?? 0, amount: 50_000, status: .pending, at: november)
            for _ in 0..<50 { try await t.salary(sergey.id ?? 0, amount: 100, status: .paid, at: october) }
            let (web, _, _) = try await WebClient.signedIn(t, .admin)

            let page = try await web.get("/salaries?from=2026-11-01&to=2026-11-30")
            #expect(page.contains("Найдено записей: 4"))
            #expect(page.contains("Итоги по операторам"))
            let ivanRow = try #require(Self.row(containing: "cell-title\">Иван Петров</td>", in: page.body))
            #expect(ivanRow.contains("data-label=\"Начислена\" class=\"num\">1\(Self.group)000,00"))
            #expect(ivanRow.contains("data-label=\"Утверждена\" class=\"num\">2\(Self.group)000,00"))
            #expect(ivanRow.contains("data-label=\"Выплачена\" class=\"num\">4\(Self.group)000,00"))
            #expect(ivanRow.contains("data-label=\"Итого\" class=\"num\">7\(Self.group)000,00"))
            let all = try #require(Self.row(containing: "cell-title\">Все операторы</td>", in: page.body))
            #expect(all.contains("data-label=\"Итого\" class=\"num\">7\(Self.group)500,00"))

            let ivanOnly = try await web.get("/salaries?user=\(ivan.id ?? 0)&status=paid")
            #expect(ivanOnly.contains("Найдено записей: 2"))
            #expect(!ivanOnly.contains("Сергей Смирнов</td>"))
            let everything = try await web.get("/salaries")
            #expect(everything.contains("Найдено записей: 55"))
            #expect(everything.contains("Страница 1 из 2"))
            #expect(try await web.get("/salaries?page=2").contains("Страница 2 из 2"))

            let csv = try await web.get("/salaries?status=pending&export=csv")
            #expect(csv.status == .ok)
            #expect(csv.body.split(whereSeparator: \.isNewline).count == 3)
            #expect(csv.body.contains("Иван Петров"))
            let xlsx = try await web.get("/salaries?export=xlsx")
            #expect(xlsx.headers.first(name: .contentDisposition)?.contains("salaries.xlsx") == true)
        }
    }

    /// The `<tr>` that holds `text`.
    static func row(containing text: String, in html: String) -> String? {
        guard let hit = html.range(of: text), let start = html[..<hit.lowerBound].range(of: "<tr", options: .backwards),
            let end = html[hit.upperBound...].range(of: "</tr>")
        else { return nil }
        return String(html[start.lowerBound..<end.upperBound])
    }
}

extension TestApp {
    @discardableResult
    func expense(
        category: String, amount: Int64, day: String, equipment: Int? = nil, comment: String = ""
    ) async throws -> Int {
        let row = try await db.sql().insert(into: "expenses")
            .columns(
                "equipment_id", "category", "amount", "date", "comment", "attachment_url", "created_at", "updated_at"
            )
            .values(
                SQLBind(equipment), SQLBind(category), SQLBind(amount), SQLBind(day), SQLBind(comment), SQLBind(""),
                SQLBind(Date()), SQLBind(Date())
            )
            .returning("id").first()
        return try row?.decode(column: "id", as: Int.self) ?? 0
    }

    struct ExpenseRow {
        var id: Int
        var amount: Int64
        var equipmentID: Int?
        var reportedBy: Int?
        var category: String
        var date: String
    }

    /// The newest expense.
    func expenseRow() async throws -> ExpenseRow? {
        guard
            let row = try await db.sql().raw(
                "SELECT id, amount, equipment_id, reported_by_id, category, date FROM expenses ORDER BY id DESC"
            ).first()
        else { return nil }
        return ExpenseRow(
            id: try row.decode(column: "id", as: Int.self), amount: try row.decode(column: "amount", as: Int64.self),
            equipmentID: try row.decode(column: "equipment_id", as: Int?.self),
            reportedBy: try row.decode(column: "reported_by_id", as: Int?.self),
            category: try row.decode(column: "category", as: String.self),
            date: try row.decode(column: "date", as: String.self))
    }

    @discardableResult
    func salary(_ userID: Int, amount: Int64, status: SalaryStatus, at date: Date = Date()) async throws -> Int {
        let row = try await db.sql().insert(into: "salary_records")
            .columns("user_id", "amount", "status", "paid_at", "created_at", "updated_at")
            .values(
                SQLBind(userID), SQLBind(amount), SQLBind(status.rawValue), SQLBind(status == .paid ? date : nil),
                SQLBind(date), SQLBind(date)
            )
            .returning("id").first()
        return try row?.decode(column: "id", as: Int.self) ?? 0
    }

    func salaryStatus(_ id: Int) async throws -> String? {
        try await db.sql().select().column("status").from("salary_records").where("id", .equal, id).first()?
            .decode(column: "status", as: String.self)
    }

    func salaryPaidAt(_ id: Int) async throws -> Date? {
        try await db.sql().select().column("paid_at").from("salary_records").where("id", .equal, id).first()?
            .decode(column: "paid_at", as: Date?.self)
    }
}

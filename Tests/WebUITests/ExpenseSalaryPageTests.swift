import Domain
import Foundation
import Testing

@testable import WebUI

@Suite struct ExpenseSalaryPageTests {
    static func expenseList(canEdit: Bool = true) -> ExpenseListModel {
        ExpenseListModel(
            context: Fixture.context(.accountant),
            filter: .init(from: "2026-11-01", to: "2026-11-30", category: .fuel, equipmentID: "3", sort: "amount"),
            rows: [
                .init(
                    id: "7", day: "2026-11-20", category: .fuel, amount: 1_250_050,
                    equipmentName: "Экскаватор JCB 3CX", orderID: "abc", orderNumber: "000042",
                    comment: Fixture.evil, attachmentURL: "https://files.example.com/r.jpg",
                    bookedAtCompletion: true),
                .init(id: "8", day: "2026-11-21", category: .fuel, amount: 30_000),
            ],
            totals: [.fuel: 1_280_050, .repair: 700_000],
            machines: [.init(id: "3", name: "Экскаватор JCB 3CX (EX-7)")], page: 2, totalPages: 3, totalCount: 102,
            canEdit: canEdit)
    }

    @Test func expenseListShowsTotalsFiltersSortingReceiptsAndPaging() {
        let html = ExpenseListPage(model: Self.expenseList()).render()
        #expect(html.contains("<h1 class=\"page-title\">Расходы</h1>"))
        #expect(html.contains("Всего расходов</span><span class=\"kpi__value\">19\u{202F}800,50\u{00A0}₽"))
        #expect(html.contains("Топливо</span><span class=\"kpi__value\">12\u{202F}800,50\u{00A0}₽"))
        #expect(html.contains("Аренда техники</span><span class=\"kpi__value\">0,00\u{00A0}₽"))
        #expect(html.contains("За выбранный период"))
        #expect(html.contains("<option value=\"fuel\" selected>Топливо</option>"))
        #expect(html.contains("<option value=\"3\" selected>Экскаватор JCB 3CX (EX-7)</option>"))
        #expect(html.contains("name=\"sort\" value=\"amount\""))
        // The current column flips; the others keep the filter.
        #expect(
            html.contains(
                "href=\"/expenses?category=fuel&amp;equipment=3&amp;from=2026-11-01&amp;sort=-amount"
                    + "&amp;to=2026-11-30\""
            ))
        #expect(html.contains("aria-sort=\"ascending\""))
        #expect(html.contains("Сумма ↑"))
        #expect(html.contains("data-label=\"Дата\" class=\"cell-title\">20.11.2026</td>"))
        #expect(html.contains("href=\"https://files.example.com/r.jpg\""))
        #expect(html.contains("rel=\"noopener noreferrer\""))
        #expect(html.contains("Начислен при завершении заявки"))
        #expect(html.contains("<a href=\"/orders/abc\" class=\"cell-note\">Заявка 000042</a>"))
        #expect(!html.contains("<script>alert(1)</script>"))
        #expect(html.contains(">Добавить расход</a>"))
        #expect(html.contains("href=\"/expenses/7/edit\""))
        #expect(html.contains("action=\"/expenses/7/delete\""))
        #expect(html.contains("name=\"_csrf\" value=\"\(Fixture.csrf)\""))
        #expect(html.contains("Страница 2 из 3"))
        #expect(html.contains("&amp;page=3"))
        #expect(html.contains("export=csv"))
        #expect(html.contains(">Скачать XLSX</a>"))
        #expect(HTMLChecks.unlabelledControls(in: html).isEmpty)

        let readOnly = ExpenseListPage(model: Self.expenseList(canEdit: false)).render()
        #expect(!readOnly.contains("Добавить расход"))
        #expect(!readOnly.contains("/delete"))
        let empty = ExpenseListPage(model: ExpenseListModel(context: Fixture.context(.admin), rows: [])).render()
        #expect(empty.contains("Расходы не найдены."))
        #expect(empty.contains("За всё время"))
    }

    @Test func expenseFormKeepsValuesAndShowsErrorsNextToTheFields() {
        let model = ExpenseFormModel(
            context: Fixture.context(.manager), id: "7",
            values: .init(
                category: "repair", equipmentID: "3", amount: "двести", date: "2026-11-20", comment: "Шины",
                attachmentURL: "ftp://x"),
            machines: [.init(id: "3", name: "Кран")],
            errors: ["amount": "Введите сумму", "attachment_url": "Плохая ссылка"],
            formError: "Проверьте данные формы.", orderID: "abc", orderNumber: "000042")
        let html = ExpenseFormPage(model: model).render()
        #expect(html.contains("<h1 class=\"page-title\">Редактирование расхода</h1>"))
        #expect(html.contains("action=\"/expenses/7/edit\""))
        #expect(html.contains("<option value=\"repair\" selected>Ремонт</option>"))
        #expect(html.contains("<option value=\"3\" selected>Кран</option>"))
        #expect(html.contains("value=\"двести\""))
        #expect(html.contains(">Шины</textarea>"))
        #expect(html.contains("Введите сумму"))
        #expect(html.contains("Плохая ссылка"))
        #expect(html.contains("Проверьте данные формы."))
        #expect(html.contains("action=\"/expenses/7/delete\""))
        #expect(html.contains("Расход по заявке"))
        #expect(HTMLChecks.unlabelledControls(in: html).isEmpty)
        let new = ExpenseFormPage(model: ExpenseFormModel(context: Fixture.context(.accountant))).render()
        #expect(new.contains("<h1 class=\"page-title\">Новый расход</h1>"))
        #expect(new.contains("action=\"/expenses/new\""))
        #expect(!new.contains("/delete"))
        #expect(new.contains("Выберите категорию"))
    }

    static func salaries() -> OfficeSalaryModel {
        OfficeSalaryModel(
            context: Fixture.context(.accountant), filter: .init(userID: "11", status: nil, from: "2026-11-01"),
            rows: [
                .init(
                    id: "21", operatorName: "Иван Петров", orderID: "abc", orderNumber: "000042",
                    workDate: Fixture.now, amount: 400_000, status: .pending),
                .init(id: "22", operatorName: "Иван Петров", workDate: Fixture.now, amount: 300_000, status: .approved),
                .init(
                    id: "23", operatorName: Fixture.evil, workDate: Fixture.now, amount: 100_000, status: .paid,
                    paidAt: Fixture.now),
            ],
            operatorTotals: [
                .init(name: "Иван Петров", totals: .init(pending: 400_000, approved: 300_000, paid: 0)),
                .init(name: "Сергей Смирнов", totals: .init(pending: 0, approved: 0, paid: 100_000)),
            ],
            operators: [.init(id: "11", name: "Иван Петров"), .init(id: "12", name: "Сергей Смирнов")],
            page: 1, totalPages: 2, totalCount: 53)
    }

    @Test func officeSalariesHaveBulkAndRowStepsTotalsAndFilters() {
        let html = OfficeSalariesPage(model: Self.salaries()).render()
        #expect(html.contains("<h1 class=\"page-title\">Зарплаты</h1>"))
        #expect(html.contains("<option value=\"11\" selected>Иван Петров</option>"))
        #expect(html.contains("Все статусы"))
        #expect(html.contains("value=\"2026-11-01\""))
        #expect(html.contains("Итоги по операторам"))
        #expect(html.contains("data-label=\"Итого\" class=\"num\">7\u{202F}000,00\u{00A0}₽"))
        #expect(html.contains("Все операторы"))
        #expect(html.contains("data-label=\"Итого\" class=\"num\">8\u{202F}000,00\u{00A0}₽"))
        // Bulk: one form, the checkboxes join it; paid records cannot be ticked.
        #expect(html.contains("<form method=\"post\" action=\"/salaries/bulk\""))
        #expect(html.contains("id=\"salary-bulk\""))
        #expect(html.contains("name=\"action\" value=\"approved\">Утвердить выбранные</button>"))
        // «Выбрать все» is hidden until the script shows it, and ticks the rows' boxes by their class.
        #expect(
            html.contains(
                "<span class=\"check-all\" hidden><input type=\"checkbox\" id=\"salary-check-all\" "
                    + "data-check-all=\"salary-check\"/><label for=\"salary-check-all\">Выбрать все</label></span>")
        )
        #expect(html.contains("name=\"action\" value=\"paid\">Выплатить выбранные</button>"))
        let boxes = HTMLChecks.tags("input", in: html).filter { $0.contains("name=\"ids\"") }
        #expect(boxes.count == 2)
        #expect(boxes.allSatisfy { $0.contains("form=\"salary-bulk\"") })
        #expect(boxes.first?.contains("value=\"21\"") == true)
        // Row steps are the transitions SalaryStatus allows.
        #expect(html.contains("action=\"/salaries/21/status\""))
        #expect(html.contains("action=\"/salaries/22/status\""))
        #expect(!html.contains("action=\"/salaries/23/status\""))
        #expect(html.contains(">Утвердить</button>"))
        #expect(html.contains(">Выплатить</button>"))
        #expect(html.contains(">Вернуть на утверждение</button>"))
        #expect(html.contains("name=\"back\" value=\"/salaries?from=2026-11-01&amp;user=11\""))
        #expect(html.contains("chip chip--ok\">Выплачена</span>"))
        #expect(html.contains("<a href=\"/orders/abc\">Заявка 000042</a>"))
        #expect(!html.contains("<script>alert(1)</script>"))
        #expect(html.contains("Найдено записей: 53"))
        #expect(html.contains("Страница 1 из 2"))
        #expect(html.contains(">Скачать CSV</a>"))
        #expect(HTMLChecks.unlabelledControls(in: html).isEmpty)

        let empty = OfficeSalariesPage(model: OfficeSalaryModel(context: Fixture.context(.admin), rows: [])).render()
        #expect(empty.contains("Записей зарплаты не найдено."))
        #expect(!empty.contains("Утвердить выбранные"))
    }
}

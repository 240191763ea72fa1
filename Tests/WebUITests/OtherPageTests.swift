import Domain
import Foundation
import Testing

@testable import WebUI

@Suite struct CatalogPageTests {
    @Test(arguments: CatalogKind.allCases)
    func listHasTabsSearchAndRows(_ kind: CatalogKind) {
        let html = CatalogListPage(model: Fixture.catalogList(kind)).render()
        for title in ["Техника", "Услуги", "Материалы", "Навески"] { #expect(html.contains(">" + title + "</a>")) }
        #expect(html.contains("class=\"tab is-active\" aria-current=\"page\">" + kind.title + "</a>"))
        #expect(html.contains("<form method=\"get\" action=\"/catalog/" + kind.rawValue + "\""))
        #expect(html.contains("+ " + kind.addTitle))
        #expect(html.contains("href=\"/catalog/" + kind.rawValue + "/1/edit\""))
        #expect(html.contains("Экскаватор JCB 3CX"))
    }

    @Test func deactivateAndReactivate() {
        let html = CatalogListPage(model: Fixture.catalogList(.equipment)).render()
        #expect(html.contains("action=\"/catalog/equipment/1/active\""))
        #expect(html.contains("<input type=\"hidden\" name=\"active\" value=\"false\"/>"))
        #expect(html.contains(">Деактивировать</button>"))
        #expect(html.contains("data-confirm=\"Деактивировать «Экскаватор JCB 3CX»?"))
        #expect(html.contains("<input type=\"hidden\" name=\"active\" value=\"true\"/>"))
        #expect(html.contains(">Восстановить</button>"))
        #expect(html.contains(">Неактивна</span>"))
    }

    @Test func equipmentShowsBothRates() {
        let html = CatalogListPage(model: Fixture.catalogList(.equipment)).render()
        #expect(html.contains("data-label=\"Ставка за час\" class=\"num\">2\u{202F}500,00\u{00A0}₽"))
        #expect(html.contains("data-label=\"Ставка за смену\" class=\"num\">18\u{202F}000,00\u{00A0}₽"))
        #expect(html.contains(">Доступна</span>"))
    }

    @Test func readOnlyListHasNoButtons() {
        let html = CatalogListPage(model: Fixture.catalogList(.services, canEdit: false)).render()
        #expect(!html.contains("Добавить услугу"))
        #expect(!html.contains("Деактивировать"))
        #expect(HTMLChecks.postFormCount(in: html) == 0)
    }

    @Test func emptyList() {
        let html = CatalogListPage(
            model: CatalogListModel(
                context: Fixture.context(.admin), kind: .materials, rows: [],
                canEdit: true)
        ).render()
        #expect(html.contains("Материалы не найдены."))
    }

    @Test func formsHaveTheFieldsOfTheirKind() {
        func form(_ kind: CatalogKind, id: String? = nil) -> String {
            return CatalogFormPage(
                model: CatalogFormModel(
                    context: Fixture.context(.admin), kind: kind, id: id,
                    equipment: [Choice(value: "1", label: "EX-01 — Экскаватор")])
            ).render()
        }
        let equipment = form(.equipment, id: "1")
        #expect(equipment.contains("Редактировать технику"))
        #expect(equipment.contains("action=\"/catalog/equipment/1/edit\""))
        for name in ["code", "name", "description", "hourly_rate", "daily_rate", "status"] {
            #expect(equipment.contains("name=\"\(name)\""), "equipment \(name)")
        }
        let hourly = HTMLChecks.tags("input", in: equipment).first { $0.contains("name=\"hourly_rate\"") } ?? ""
        #expect(hourly.contains("inputmode=\"decimal\"") && hourly.contains(" required"))
        let services = form(.services)
        #expect(services.contains("Добавить услугу"))
        #expect(services.contains("action=\"/catalog/services/new\""))
        #expect(!services.contains("name=\"category_id\""))
        let materials = form(.materials)
        #expect(materials.contains("<option value=\"soil\" selected>Грунт</option>"))
        let attachments = form(.attachments)
        #expect(attachments.contains("name=\"equipment_id\""))
        #expect(attachments.contains("<option value=\"1\">EX-01 — Экскаватор</option>"))
        #expect(attachments.contains("На обслуживании"))
    }
}

@Suite struct ClientAndUserPageTests {
    @Test func clientListAndForm() {
        let list = ClientListPage(
            model: ClientListModel(
                context: Fixture.context(.manager), q: "Строй",
                rows: [
                    .init(id: "7", name: "ООО Стройпроект", phone: "+79995550011")
                ])
        ).render()
        #expect(list.contains("<h1 class=\"page-title\">Клиенты</h1>"))
        #expect(list.contains("value=\"Строй\""))
        #expect(list.contains("href=\"/clients/7/edit\""))
        #expect(list.contains("+ Добавить клиента"))
        let form = ClientFormPage(
            model: ClientFormModel(
                context: Fixture.context(.manager),
                errors: ["phone": "Укажите телефон"])
        ).render()
        #expect(form.contains("Новый клиент"))
        #expect(form.contains("action=\"/clients/new\""))
        for name in ["name", "contact_person", "phone", "email", "address", "inn", "notes"] {
            #expect(form.contains("name=\"\(name)\""), "client \(name)")
        }
        #expect(form.contains("Укажите телефон"))
        #expect(form.contains("type=\"tel\" name=\"phone\""))
    }

    @Test func userListAndForm() {
        let list = UserListPage(
            model: UserListModel(
                context: Fixture.context(.admin),
                rows: [
                    .init(id: "11", fullName: "Иван Петров", phone: "+79990000011", role: .operator),
                    .init(id: "12", fullName: "Пётр", phone: "+79990000012", role: .accountant, isActive: false),
                ])
        ).render()
        #expect(list.contains("<h1 class=\"page-title\">Пользователи</h1>"))
        #expect(list.contains(">Оператор<"))
        #expect(list.contains(">Бухгалтер<"))
        #expect(list.contains(">Заблокирован</span>"))
        let edit = UserFormPage(
            model: UserFormModel(
                context: Fixture.context(.admin), id: "11",
                values: .init(firstName: "Иван", role: .manager, isActive: false))
        )
        .render()
        #expect(edit.contains("action=\"/users/11/edit\""))
        #expect(edit.contains("<option value=\"manager\" selected>Менеджер</option>"))
        #expect(edit.contains("<input type=\"checkbox\" name=\"is_active\" value=\"true\" id=\"f-is-active\" class"))
        #expect(edit.contains("Новый пароль (сброс)"))
        #expect(edit.contains("Оставьте пустым, чтобы не менять. Минимум 8\u{00A0}символов"))
        #expect(edit.contains("autocomplete=\"new-password\""))
        let new = UserFormPage(model: UserFormModel(context: Fixture.context(.admin))).render()
        #expect(new.contains("Новый пользователь"))
        #expect(
            new.contains(
                "type=\"password\" name=\"password\" id=\"f-password\" value class=\"input\" "
                    + "autocomplete=\"new-password\" required"
            ))
    }
}

@Suite struct SalaryAndReportPageTests {
    @Test func salaryTotalsRecordsAndFilter() {
        let records = [
            SalaryModel.Record(
                orderID: "abc", orderNumber: "000042", date: Fixture.now, clientName: "ООО Стройпроект",
                address: "ул. Северная, 10", amount: 400_000, status: .approved),
            SalaryModel.Record(date: Fixture.now, amount: 150_000, status: .paid),
            SalaryModel.Record(date: Fixture.now, amount: 50_000, status: .pending),
        ]
        let html = SalaryPage(
            model: SalaryModel(
                context: Fixture.context(.operator), from: "2026-11-01",
                records: records)
        ).render()
        #expect(html.contains("<h1 class=\"page-title\">Мои зарплаты</h1>"))
        #expect(html.contains("Итого заработано</span><span class=\"kpi__value\">6\u{202F}000,00\u{00A0}₽"))
        #expect(html.contains("Начислена</span><span class=\"kpi__value\">500,00\u{00A0}₽"))
        #expect(html.contains("Утверждена</span><span class=\"kpi__value\">4\u{202F}000,00\u{00A0}₽"))
        #expect(html.contains("Выплачена</span><span class=\"kpi__value\">1\u{202F}500,00\u{00A0}₽"))
        #expect(html.contains("За выбранный период"))
        #expect(html.contains("Период с"))
        #expect(html.contains("Период по"))
        #expect(html.contains(">Сбросить</a>"))
        #expect(html.contains("value=\"2026-11-01\""))
        #expect(html.contains("<a href=\"/orders/abc\">Заявка 000042</a>"))
        #expect(html.contains("data-label=\"Дата\">24.11.2026</td>"))
        let empty = SalaryPage(model: SalaryModel(context: Fixture.context(.operator), records: [])).render()
        #expect(empty.contains("Нет данных за выбранный период."))
    }

    @Test func reportsIndexLinksAllReports() {
        let html = ReportsIndexPage(model: ReportsIndexModel(context: Fixture.context(.accountant))).render()
        #expect(html.contains("href=\"/reports/summary\""))
        #expect(html.contains("href=\"/reports/equipment\""))
        #expect(html.contains("href=\"/reports/employees\""))
        #expect(html.contains("Перейти →"))
    }

    @Test func summaryHasKPIsChartAndExports() {
        let html = SummaryReportPage(
            model: SummaryReportModel(
                context: Fixture.context(.admin), from: "2026-11-01", to: "2026-11-30", revenue: 2_500_000,
                expenses: 300_000, fuel: 300_000, salaries: 750_000, ordersCount: 1)
        ).render()
        #expect(html.contains("Выручка</span><span class=\"kpi__value\">25\u{202F}000,00\u{00A0}₽"))
        #expect(html.contains("Включая топливо: 3\u{202F}000,00\u{00A0}₽"))
        #expect(html.contains("Маржа</span><span class=\"kpi__value\">14\u{202F}500,00\u{00A0}₽"))
        #expect(html.contains("Заявок: 1"))
        #expect(html.contains("<svg class=\"chart\""))
        #expect(html.contains("href=\"/reports/summary?export=csv&amp;from=2026-11-01&amp;to=2026-11-30\""))
        #expect(html.contains(">Скачать CSV</a>"))
        #expect(html.contains("href=\"/reports/summary?export=xlsx&amp;from=2026-11-01&amp;to=2026-11-30\""))
        #expect(html.contains(">Скачать XLSX</a>"))
        // The tabs keep the period.
        #expect(html.contains("href=\"/reports/equipment?from=2026-11-01&amp;to=2026-11-30\" class=\"tab\""))
        #expect(html.contains("href=\"/reports/employees?from=2026-11-01&amp;to=2026-11-30\" class=\"tab\""))
    }

    @Test func equipmentAndEmployeeTables() {
        let equipment = EquipmentReportPage(
            model: EquipmentReportModel(
                context: Fixture.context(.admin),
                rows: [
                    .init(
                        name: "Экскаватор JCB 3CX", code: "EX-01", hours: 8, revenue: 2_000_000, expenses: 300_000,
                        fuel: 300_000)
                ])
        ).render()
        #expect(equipment.contains("Код: EX-01"))
        #expect(equipment.contains("data-label=\"Часы\" class=\"num\">8</td>"))
        #expect(equipment.contains("data-label=\"Топливо\" class=\"num\">3\u{202F}000,00\u{00A0}₽"))
        #expect(equipment.contains("Выручка по технике"))
        let employees = EmployeesReportPage(
            model: EmployeesReportModel(
                context: Fixture.context(.admin),
                rows: [
                    .init(name: "Иван Петров", assignments: 3, hours: 24.5, amount: 400_000)
                ])
        ).render()
        #expect(employees.contains("data-label=\"Назначений\" class=\"num\">3</td>"))
        #expect(employees.contains("data-label=\"Часы\" class=\"num\">24,5</td>"))
        #expect(employees.contains("href=\"/reports/employees?export=xlsx\""))
        let empty = EmployeesReportPage(model: EmployeesReportModel(context: Fixture.context(.admin), rows: []))
            .render()
        #expect(empty.contains("Нет данных за период."))
    }
}

@Suite struct ProfileAndErrorPageTests {
    @Test func profileChangesPasswordAndLogsOut() {
        let html = ProfilePage(
            model: ProfileModel(
                context: Fixture.context(.operator), fullName: "Иван Петров",
                phone: "+79990000011", role: .operator,
                passwordErrors: ["new_password_confirm": "Пароли не совпадают"])
        )
        .render()
        #expect(html.contains("action=\"/profile/password\""))
        for name in ["current_password", "new_password", "new_password_confirm"] {
            #expect(html.contains("name=\"\(name)\""), "profile \(name)")
        }
        #expect(html.contains("Пароли не совпадают"))
        #expect(html.contains("<form method=\"post\" action=\"/logout\" novalidate class=\"logout-form\">"))
        #expect(html.contains(">Выйти</button>"))
        #expect(html.contains("href=\"/salary\""))
        #expect(html.contains("data-queue-open"))
        let changed = ProfilePage(
            model: ProfileModel(
                context: Fixture.context(.admin), fullName: "Анна", phone: "+7",
                role: .admin, passwordChanged: true)
        ).render()
        #expect(changed.contains("Пароль успешно изменён"))
        #expect(!changed.contains("Мои зарплаты"))
    }

    @Test(arguments: [
        (403, "Недостаточно прав"), (404, "Страница не найдена"), (500, "Ошибка сервера"),
        (418, "Ошибка"),
    ])
    func errorPagesSpeakRussian(_ status: Int, _ title: String) {
        let html = ErrorPage(model: ErrorPageModel(context: Fixture.context(.manager), status: status)).render()
        #expect(html.contains("<h1 class=\"page-title\">" + title + "</h1>"))
        #expect(html.contains("Код ошибки: \(status)"))
        #expect(html.contains(">На главную</a>"))
    }

    @Test func customMessageIsEscaped() {
        let html = ErrorPage(model: ErrorPageModel(context: Fixture.context(nil), status: 401, message: "<x>")).render()
        #expect(html.contains("<p>&lt;x&gt;</p>"))
        #expect(html.contains("href=\"/login\""))
    }
}

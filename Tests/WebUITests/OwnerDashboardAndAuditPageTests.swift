import Domain
import Foundation
import Testing

@testable import WebUI

@Suite struct OwnerDashboardPageTests {
    static func owner(
        weeks: [DashboardModel.Owner.Week], top: [DashboardModel.Owner.Machine] = []
    ) -> DashboardModel.Owner {
        DashboardModel.Owner(
            kind: .month, from: "2026-11-01", to: "2026-11-30", previousFrom: "2026-10-01", previousTo: "2026-10-31",
            revenue: .init(current: 11_031_500, previous: 10_000_000), margin: .init(current: 7_761_500, previous: 0),
            debt: .init(current: 500_000, previous: 900_000), utilisation: 5.04, previousUtilisation: nil,
            topMachines: top, weeks: weeks)
    }

    @Test func theChartIsAnInlineSVGWithAWeekPerBar() {
        let weeks: [DashboardModel.Owner.Week] = [
            .init(first: "2026-11-01", last: "2026-11-01", revenue: 0),
            .init(first: "2026-11-02", last: "2026-11-08", revenue: 8_861_500),
            .init(first: "2026-11-09", last: "2026-11-15", revenue: 2_170_000),
        ]
        let model = DashboardModel(
            context: Fixture.context(.admin), stats: .init(newOrders: 1, inProgress: 0, completed: 2, revenue: 5),
            owner: Self.owner(weeks: weeks, top: [.init(name: "MST 644 S", margin: 4_211_500, hours: 19)]))
        let html = DashboardPage(model: model).render()
        #expect(html.contains("Показатели за период"))
        #expect(html.contains("01.11.2026 – 30.11.2026 в сравнении с 01.10.2026 – 31.10.2026"))
        #expect(html.contains("<svg class=\"chart\" viewBox=\"0 0 360 84\""))
        #expect(html.contains("02.11–08.11"))
        #expect(html.contains(RussianFormat.money(8_861_500)))
        #expect(!html.contains("За период выручки нет."))
        #expect(html.contains("Выручка</span><span class=\"kpi__value\">" + RussianFormat.money(11_031_500)))
        #expect(html.contains("+10,3 %"))
        #expect(html.contains("kpi-link kpi-link--good"))
        // Debt went down: good news.
        #expect(html.contains("href=\"/debts\" class=\"kpi-link kpi-link--good\""))
        #expect(html.contains("Загрузка парка</span><span class=\"kpi__value\">5 %</span>"))
        #expect(html.contains("href=\"/reports/summary?from=2026-11-01&amp;to=2026-11-30\""))
        #expect(html.contains("MST 644 S"))
        #expect(HTMLChecks.duplicateIDs(in: html).isEmpty)
        #expect(HTMLChecks.unlabelledControls(in: html).isEmpty)
    }

    @Test func anEmptyPeriodSaysSoInsteadOfAChart() {
        for weeks in [[], [DashboardModel.Owner.Week(first: "2026-11-01", last: "2026-11-07", revenue: 0)]] {
            let model = DashboardModel(context: Fixture.context(.accountant), owner: Self.owner(weeks: weeks))
            let html = DashboardPage(model: model).render()
            #expect(html.contains("За период выручки нет."))
            #expect(!html.contains("<svg class=\"chart\""))
            #expect(html.contains("За период техника не работала."))
        }
    }

    @Test func otherRolesKeepTheirDashboard() {
        let model = DashboardModel(
            context: Fixture.context(.manager), stats: .init(newOrders: 3, inProgress: 1, completed: 7))
        let html = DashboardPage(model: model).render()
        #expect(!html.contains("Показатели за период"))
        #expect(html.contains("Новые заявки"))
    }
}

@Suite struct AuditLogPageTests {
    @Test func rowsShowWhoWhatWhenAndBeforeAfter() {
        let rows: [AuditLogModel.Row] = [
            .init(
                id: "2", at: Fixture.now, userName: "Анна Админова", action: "Платёж", entity: "Платёж № 5",
                entityURL: "/payments",
                changes: [
                    .init(label: "Сумма", before: "1 000,00 ₽", after: "1 500,00 ₽"),
                    .init(label: "Комментарий", before: nil, after: Fixture.evil, isTransition: false),
                ]),
            .init(id: "1", at: Fixture.now, userName: "Система", action: "Удаление", entity: "Заявка 000042"),
        ]
        let model = AuditLogModel(
            context: Fixture.context(.admin), filter: .init(user: "1", entity: "payment", from: "2026-11-01"),
            rows: rows, users: [Choice(value: "1", label: "Анна Админова")], page: 2, totalPages: 3, totalCount: 120)
        let html = AuditLogPage(model: model).render()
        #expect(html.contains("Журнал действий"))
        #expect(html.contains("24.11.2026 14:30"))
        #expect(html.contains("<a href=\"/payments\">Платёж № 5</a>"))
        #expect(
            html.contains(
                "<span class=\"audit-changes__before\">1 000,00 ₽</span> → <span class=\"audit-changes__after\">"))
        #expect(!html.contains(Fixture.evil))
        #expect(html.contains("<option value=\"1\" selected>Анна Админова</option>"))
        #expect(html.contains("<option value=\"payment\" selected>Платёж</option>"))
        #expect(html.contains("Найдено: 120"))
        #expect(html.contains("href=\"/audit?entity=payment&amp;from=2026-11-01&amp;page=3&amp;user=1\""))
        #expect(HTMLChecks.duplicateIDs(in: html).isEmpty)
        #expect(HTMLChecks.unlabelledControls(in: html).isEmpty)
    }

    @Test func anEmptyLogSaysSo() {
        let html = AuditLogPage(model: AuditLogModel(context: Fixture.context(.admin), rows: [])).render()
        #expect(html.contains("Записей не найдено."))
    }
}

@Suite struct OrderMoneyFieldsPageTests {
    @Test func theFormHasThePrepaymentStatusAndTheLateSwitchWithTheirErrors() {
        var model = Fixture.orderForm(errors: ["prepayment_status": "Выберите статус предоплаты из списка."])
        model.values.prepaymentStatus = "refunded"
        model.values.isDelayed = true
        let html = OrderFormPage(model: model).render()
        #expect(html.contains("<option value=\"refunded\" selected>Возвращена</option>"))
        #expect(html.contains("<option value=\"pending\">Ожидается</option>"))
        #expect(html.contains("Выберите статус предоплаты из списка."))
        let box = HTMLChecks.tags("input", in: html).first { $0.contains("name=\"is_delayed\"") } ?? ""
        #expect(box.contains("checked"))
        #expect(!box.contains("disabled"))
        #expect(HTMLChecks.unlabelledControls(in: html).isEmpty)

        model.canEditPrepayment = false
        let readOnly = OrderFormPage(model: model).render()
        let locked = HTMLChecks.tags("input", in: readOnly).first { $0.contains("name=\"is_delayed\"") } ?? ""
        #expect(locked.contains("disabled"))
    }

    @Test func theOrderPageShowsTheLatePenalty() {
        var model = Fixture.detail(role: .manager, actions: [])
        model.isDelayed = true
        model.latePenalty = 245_000
        let html = OrderDetailPage(model: model).render()
        #expect(html.contains("Скидка за просрочку"))
        #expect(html.contains("−" + RussianFormat.money(245_000)))
        #expect(html.contains("Оплачена"))
        model.latePenalty = 0
        model.isDelayed = false
        #expect(!OrderDetailPage(model: model).render().contains("Скидка за просрочку"))
    }
}

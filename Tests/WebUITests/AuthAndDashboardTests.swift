import Domain
import Foundation
import Testing

@testable import WebUI

@Suite struct LoginPageTests {
    @Test func formPostsPhonePasswordAndNext() {
        let html = LoginPage(
            model: LoginModel(
                context: Fixture.context(nil), phone: "+79990000002", next: "/orders",
                error: "Неверный телефон или пароль")
        ).render()
        #expect(html.contains("<form method=\"post\" action=\"/login\""))
        #expect(html.contains("<input type=\"hidden\" name=\"next\" value=\"/orders\"/>"))
        #expect(html.contains("name=\"phone\" id=\"f-phone\" value=\"+79990000002\""))
        #expect(html.contains("inputmode=\"tel\" autocomplete=\"username\""))
        #expect(html.contains("type=\"password\" name=\"password\""))
        #expect(html.contains("autocomplete=\"current-password\""))
        #expect(html.contains("<label for=\"f-password\""))
        #expect(html.contains("Вход в систему"))
        #expect(html.contains(">Войти</button>"))
        #expect(html.contains("role=\"alert\"><p>Неверный телефон или пароль</p>"))
    }

    @Test func passwordIsNeverEchoed() {
        let html = LoginPage(model: LoginModel(context: Fixture.context(nil))).render()
        let passwordTag = HTMLChecks.tags("input", in: html).first { $0.contains("name=\"password\"") } ?? ""
        #expect(!passwordTag.contains("value="))
    }
}

@Suite struct DashboardPageTests {
    @Test func managerSeesKPIsTodayUpcomingAndCreateAction() {
        let model = DashboardModel(
            context: Fixture.context(.manager),
            stats: .init(newOrders: 3, inProgress: 1, completed: 7, revenue: nil),
            today: [Fixture.summary()], upcoming: [])
        let html = DashboardPage(model: model).render()
        #expect(html.contains("Новые заявки"))
        #expect(html.contains("Завершённые"))
        #expect(!html.contains(">Доход<"))
        #expect(html.contains("+ Создать заявку"))
        #expect(html.contains(">Сегодня<"))
        #expect(html.contains("Ближайших заявок нет."))
        #expect(html.contains("25\u{202F}000,00\u{00A0}₽"))
        #expect(html.contains("25.11.2026 08:30 – 17:30"))
    }

    @Test func adminSeesRevenue() {
        let model = DashboardModel(
            context: Fixture.context(.admin),
            stats: .init(newOrders: 0, inProgress: 0, completed: 1, revenue: 12_345_600))
        let html = DashboardPage(model: model).render()
        #expect(
            html.contains(
                "<span class=\"kpi__title\">Доход</span><span class=\"kpi__value\">123\u{202F}456,00\u{00A0}₽"))
    }

    @Test func operatorSeesOwnOrdersWithoutMoneyOrCreate() {
        let html = DashboardPage(model: DashboardModel(context: Fixture.context(.operator), today: [Fixture.summary()]))
            .render()
        #expect(html.contains("Заявка 000042"))
        #expect(!html.contains("₽"))
        #expect(!html.contains("Создать заявку"))
        #expect(html.contains("Мои заявки"))
        #expect(!html.contains("kpi__title"))
    }

    @Test func weekChartIsInlineSVG() {
        let days = (0..<7).map {
            DashboardModel.DayCount(day: Fixture.now.addingTimeInterval(Double($0) * 86_400), count: $0)
        }
        let html = DashboardPage(model: DashboardModel(context: Fixture.context(.admin), lastWeek: days)).render()
        #expect(html.contains("<svg class=\"chart\""))
        #expect(html.contains("Заявки по дням (последние 7 дней)"))
        #expect(html.contains(">24.11</text>"))
        #expect(html.components(separatedBy: "<rect ").count - 1 == 7)
    }
}

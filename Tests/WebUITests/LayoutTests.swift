import Domain
import Foundation
import Testing

@testable import WebUI

@Suite struct LayoutTests {
    /// The labels inside the main navigation.
    func navLabels(_ html: String) -> Set<String> {
        guard let start = html.range(of: "<nav class=\"nav\""),
            let end = html.range(of: "</nav>", range: start.upperBound..<html.endIndex)
        else { return [] }
        let nav = html[start.lowerBound..<end.upperBound]
        var labels: Set<String> = []
        for chunk in nav.components(separatedBy: "class=\"nav__label").dropFirst() {
            guard let open = chunk.firstIndex(of: ">"), let close = chunk.firstIndex(of: "<") else { continue }
            labels.insert(String(chunk[chunk.index(after: open)..<close]))
        }
        return labels
    }

    func page(_ role: Role) -> String {
        return DashboardPage(model: DashboardModel(context: Fixture.context(role))).render()
    }

    @Test func adminSeesEverythingIncludingUsers() {
        let labels = navLabels(page(.admin))
        #expect(
            labels.isSuperset(of: ["Главная", "Заявки", "Каталог", "Клиенты", "Отчёты", "Пользователи", "Профиль"]))
        #expect(labels.isSuperset(of: ["Счета", "Платежи", "Должники", "Расходы", "Зарплаты", "Журнал действий"]))
        #expect(!labels.contains("Мои зарплаты"))
    }

    @Test func managerHasNoUsersAndNoReports() {
        let labels = navLabels(page(.manager))
        #expect(labels.isSuperset(of: ["Главная", "Заявки", "Каталог", "Клиенты", "Профиль"]))
        #expect(labels.isSuperset(of: ["Счета", "Платежи", "Должники", "Расходы"]))
        #expect(labels.isDisjoint(with: ["Пользователи", "Отчёты", "Зарплаты", "Журнал действий"]))
    }

    @Test func operatorSeesOwnWorkOnly() {
        let labels = navLabels(page(.operator))
        #expect(labels.isSuperset(of: ["Главная", "Заявки", "Мои зарплаты", "Зарплаты", "Профиль"]))
        #expect(labels.isDisjoint(with: ["Каталог", "Клиенты", "Отчёты", "Пользователи", "Счета", "Журнал действий"]))
    }

    @Test func accountantSeesTheMoneyPagesButNoCatalogue() {
        let labels = navLabels(page(.accountant))
        let office = ["Заявки", "Счета", "Платежи", "Должники", "Расходы", "Зарплаты", "Отчёты", "Клиенты"]
        #expect(labels.isSuperset(of: office + ["Главная", "Профиль"]))
        #expect(labels.isDisjoint(with: ["Каталог", "Пользователи", "Мои зарплаты", "Журнал действий"]))
    }

    @Test func phoneBarHoldsAtMostFiveEntriesAndMovesTheRestToMore() {
        let html = page(.admin)
        #expect(html.contains("<span class=\"nav__label\">Ещё</span>"))
        let primary = html.components(separatedBy: "<li class=\"nav__entry\">").count - 1
        #expect(primary == Navigation.bottomBarCapacity - 1)
        #expect(!page(.operator).contains(">Ещё<"))
    }

    @Test func activeSectionIsMarked() {
        let html = OrderListPage(model: OrderListModel(context: Fixture.context(.manager), orders: [])).render()
        #expect(html.contains("<a href=\"/orders\" class=\"nav__link is-active\" aria-current=\"page\">"))
    }

    @Test func shellHasBadgeBannerAndPanelForSignedInUsers() {
        let html = page(.operator)
        #expect(html.contains("id=\"queue-badge\""))
        #expect(html.contains("Ожидает отправки: <span id=\"queue-count\">0</span>"))
        #expect(html.contains("<button type=\"button\" id=\"queue-badge\" class=\"queue-badge\" hidden"))
        #expect(html.contains("Работа в оффлайн режиме"))
        #expect(html.contains("id=\"queue-panel\""))
        #expect(html.contains("data-signed-in=\"true\""))
        #expect(html.contains("data-csrf=\"csrf-token-123\""))
    }

    @Test func signedOutPagesHaveNoNavigationOrQueue() {
        let html = LoginPage(model: LoginModel(context: Fixture.context(nil))).render()
        #expect(!html.contains("<nav class=\"nav\""))
        #expect(!html.contains("queue-panel"))
        #expect(html.contains("data-signed-in=\"false\""))
    }

    @Test func flashesAreShownAndEscaped() {
        let context = Fixture.context(
            .manager, flashes: [Flash(.success, "Заявка создана"), Flash(.error, "<b>нет</b>")])
        let html = DashboardPage(model: DashboardModel(context: context)).render()
        #expect(html.contains("<div class=\"flash flash--success\" role=\"status\">Заявка создана</div>"))
        #expect(html.contains("<div class=\"flash flash--error\" role=\"alert\">&lt;b&gt;нет&lt;/b&gt;</div>"))
    }

    @Test func titleIsEscaped() {
        let html = OrderDetailPage(
            model: {
                var model = Fixture.detail(role: .manager, actions: [])
                model.number = "<i>1</i>"
                return model
            }()
        ).render()
        #expect(html.contains("<title>Заявка &lt;i&gt;1&lt;/i&gt; · Ринго Учёт</title>"))
    }
}

@Suite struct PathsTests {
    @Test func webURLs() {
        #expect(Paths.login(next: "/orders/1") == "/login?next=%2Forders%2F1")
        #expect(Paths.order("abc") == "/orders/abc")
        #expect(Paths.editOrder("abc") == "/orders/abc/edit")
        #expect(Paths.orderStatus("abc") == "/orders/abc/status")
        #expect(Paths.completeOrder("abc") == "/orders/abc/complete")
        #expect(Paths.deleteOrder("abc") == "/orders/abc/delete")
        #expect(Paths.catalog(.attachments) == "/catalog/attachments")
        #expect(Paths.newCatalogItem(.services) == "/catalog/services/new")
        #expect(Paths.editCatalogItem(.materials, "3") == "/catalog/materials/3/edit")
        #expect(Paths.editClient("4") == "/clients/4/edit")
        #expect(Paths.editUser("5") == "/users/5/edit")
        #expect(Paths.report(.equipment) == "/reports/equipment")
        #expect(Paths.profilePassword() == "/profile/password")
        #expect(Paths.orderPreviewAPI() == "/api/v1/orders/preview/")
    }

    @Test func queryStringsAreEncodedAndSkipEmptyValues() {
        #expect(Paths.orders() == "/orders")
        #expect(
            Paths.orders(status: .inProgress, q: "Строй & Ко", page: 2)
                == "/orders?page=2&q=%D0%A1%D1%82%D1%80%D0%BE%D0%B9%20%26%20%D0%9A%D0%BE&status=IN_PROGRESS")
        #expect(Paths.orders(page: 1) == "/orders")
        #expect(
            Paths.report(.summary, from: "2026-11-01", to: "2026-11-30", export: "xlsx")
                == "/reports/summary?export=xlsx&from=2026-11-01&to=2026-11-30")
        #expect(Paths.order("a/b") == "/orders/a%2Fb")
    }
}

import Domain
import Foundation
import Testing

@testable import WebUI

/// «Должники» and the client card rendered from fixtures, with the checks every page passes.
@Suite struct DebtsAndClientCardPageTests {
    static func debts(role: Role = .accountant, sort: String = DebtListModel.Sort.default) -> String {
        let f = Fixture.self
        let rows = [
            DebtListModel.Row(
                clientID: "7", name: f.evil, phone: "+79995550011", debt: 1_800_000,
                buckets: .init(upTo30: 1_000_000, days31To60: 800_000), oldestDocument: "Заявка № 000042",
                oldestDate: f.now, oldestURL: "/orders/abc", lastPayment: f.now, creditLimit: 500_000,
                isOverLimit: true),
            DebtListModel.Row(clientID: "8", name: "ИП Бета", debt: 1_000_000, buckets: .init(upTo30: 1_000_000)),
        ]
        let totals = DebtListModel.Totals(
            clients: 2, debt: 2_800_000, buckets: .init(upTo30: 2_000_000, days31To60: 800_000), overLimit: 1)
        return DebtListPage(
            model: DebtListModel(
                context: f.context(role), q: "бета", sort: sort, totals: totals, rows: rows, page: 1, totalPages: 3)
        ).render()
    }

    static func card(role: Role = .accountant, canEdit: Bool = false) -> String {
        let f = Fixture.self
        return ClientCardPage(
            model: ClientCardModel(
                context: f.context(role), id: "7", name: f.evil,
                contacts: .init(
                    contactPerson: "Иванов", phone: "+79995550011", email: "a@b.example", inn: "7707083893"),
                account: .init(
                    balance: 1_600_000, creditLimit: 1_500_000, exposure: 2_600_000, isOverLimit: true,
                    buckets: .init(upTo30: 1_000_000, days31To60: 600_000)),
                from: "2025-01-01", to: "2025-12-31", openingBalance: 0,
                ledger: [
                    .init(
                        day: "2025-03-10", document: "Заявка № 000001", debit: 1_000_000, credit: 0,
                        balance: 1_000_000),
                    .init(day: "2025-03-20", document: "Оплата № 3", debit: 0, credit: 400_000, balance: 600_000),
                ],
                orders: [f.summary(status: .completed)], ordersCount: 21, ordersPage: 1, ordersTotalPages: 2,
                canEdit: canEdit)
        ).render()
    }

    @Test func debtsShowTotalsBucketsLinksAndExports() {
        let html = Self.debts()
        #expect(html.contains("<h1 class=\"page-title\">Должники</h1>"))
        for label in ["Всего долг", "до 30", "31–60", "61–90", "больше 90 дней", "Просрочено"] {
            #expect(html.contains(label), "\(label)")
        }
        #expect(html.contains(RussianFormat.money(2_800_000)))
        #expect(html.contains("href=\"/clients/7\""))
        #expect(html.contains("href=\"/orders/abc\""))
        #expect(html.contains("Лимит превышен"))
        #expect(html.contains("class=\"is-over-limit\""))
        #expect(html.contains("href=\"/debts?export=csv&amp;q=%D0%B1%D0%B5%D1%82%D0%B0\""))
        #expect(html.contains("export=xlsx"))
        #expect(html.contains("Страница 1 из 3"))
        // The default sort is the overdue amount, largest first; its header switches to ascending.
        #expect(html.contains("aria-sort=\"descending\""))
        #expect(html.contains("href=\"/debts?q=%D0%B1%D0%B5%D1%82%D0%B0&amp;sort=overdue\""))
        #expect(html.contains("href=\"/debts?q=%D0%B1%D0%B5%D1%82%D0%B0&amp;sort=name\""))
        #expect(Self.debts(sort: "name").contains("<input type=\"hidden\" name=\"sort\" value=\"name\""))
    }

    @Test func debtsWithoutDebtorsSayItPlainly() {
        let html = DebtListPage(model: DebtListModel(context: Fixture.context(.admin), totals: .init(), rows: []))
            .render()
        #expect(html.contains("Должников нет."))
    }

    @Test func theCardShowsTheAccountLedgerReconciliationAndOrders() {
        let html = Self.card()
        #expect(html.contains("Баланс"))
        #expect(html.contains("Кредитный лимит"))
        #expect(html.contains("Кредитный лимит превышен."))
        #expect(html.contains(RussianFormat.money(1_600_000)))
        #expect(html.contains("Сальдо на начало периода"))
        #expect(html.contains("10.03.2025"))
        #expect(html.contains(RussianFormat.money(600_000)))
        #expect(html.contains("action=\"/clients/7/reconciliation\""))
        #expect(html.contains("Сформировать акт сверки"))
        #expect(html.contains("mailto:a@b.example"))
        #expect(html.contains("7707083893"))
        #expect(html.contains("Заявка 000042"))
        #expect(html.contains("orders_page=2"))
        #expect(!html.contains("/clients/7/edit"))
        #expect(Self.card(role: .manager, canEdit: true).contains("href=\"/clients/7/edit\""))
    }

    @Test func theClientListLinksToTheCard() {
        let html = ClientListPage(
            model: ClientListModel(
                context: Fixture.context(.accountant), rows: [.init(id: "7", name: "ООО Строй", phone: "+7999")],
                canEdit: false)
        ).render()
        #expect(html.contains("href=\"/clients/7\""))
        #expect(!html.contains("/clients/7/edit"))
        #expect(!html.contains("Деактивировать"))
        #expect(!html.contains("Добавить клиента"))
    }

    @Test(arguments: ["debts", "card", "card-manager"])
    func passesTheSharedChecks(_ name: String) {
        let html =
            switch name {
            case "debts": Self.debts()
            case "card": Self.card()
            default: Self.card(role: .manager, canEdit: true)
            }
        #expect(html.hasPrefix("<!DOCTYPE html><html lang=\"ru\">"))
        #expect(HTMLChecks.unlabelledControls(in: html) == [])
        #expect(HTMLChecks.duplicateIDs(in: html) == [])
        #expect(HTMLChecks.postFormsWithoutCSRF(in: html, token: Fixture.csrf) == [])
        #expect(!html.contains("<script>alert"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        for tag in HTMLChecks.tags("input", in: html) {
            let type = HTMLChecks.attribute("type", of: tag) ?? "text"
            guard !["hidden", "checkbox", "submit"].contains(type) else { continue }
            #expect(HTMLChecks.attribute("autocomplete", of: tag) != nil, "\(tag)")
        }
        #expect(html.utf8.count < 60 * 1024)
    }
}

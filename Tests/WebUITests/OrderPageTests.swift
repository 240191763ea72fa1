import Domain
import Foundation
import Testing

@testable import WebUI

@Suite struct OrderListPageTests {
    func render(_ role: Role, filter: OrderListModel.Filter = .init(), orders: [OrderSummary]? = nil) -> String {
        let model = OrderListModel(
            context: Fixture.context(role), filter: filter,
            orders: orders ?? [Fixture.summary(), Fixture.summary(number: "000043", client: Fixture.evil)],
            page: 2, totalPages: 3, totalCount: 120)
        return OrderListPage(model: model).render()
    }

    @Test func statusChipsKeepTheOtherFilters() {
        let html = render(.manager, filter: .init(status: .approved, from: "2026-11-01", q: "Строй"))
        for title in ["Все", "Создан", "Одобрен", "В работе", "Завершён", "Отменён"] {
            #expect(html.contains(title))
        }
        #expect(
            html.contains(
                "href=\"/orders?from=2026-11-01&amp;q=%D0%A1%D1%82%D1%80%D0%BE%D0%B9&amp;status=IN_PROGRESS\""))
        #expect(html.contains("filter-chip--approved is-active\" aria-current=\"true\""))
        #expect(html.contains("<input type=\"hidden\" name=\"status\" value=\"APPROVED\"/>"))
    }

    @Test func searchAndDateRangeAreAGetForm() {
        let html = render(.manager, filter: .init(from: "2026-11-01", to: "2026-11-30", q: "Строй"))
        #expect(html.contains("<form method=\"get\" action=\"/orders\""))
        #expect(html.contains("type=\"search\" name=\"q\" id=\"f-q\" value=\"Строй\""))
        #expect(html.contains("type=\"date\" name=\"from\" id=\"f-from\" value=\"2026-11-01\""))
        #expect(html.contains("type=\"date\" name=\"to\" id=\"f-to\" value=\"2026-11-30\""))
    }

    @Test func rowsShowNumberStatusClientPeriodAndMoney() {
        let html = render(.manager)
        #expect(
            html.contains(
                "<a href=\"/orders/9f1c2d7e-0000-4000-8000-000000000042\" class=\"strong-link\">Заявка 000042</a>"))
        #expect(html.contains("<span class=\"chip chip--approved\">Одобрен</span>"))
        #expect(html.contains("data-label=\"Сумма\" class=\"num\">25\u{202F}000,00\u{00A0}₽"))
        #expect(html.contains("25.11.2026 08:30 – 17:30"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(html.contains("Найдено: 120"))
    }

    @Test func pagerLinksNeighbourPages() {
        let html = render(.manager)
        #expect(html.contains("Страница 2 из 3"))
        #expect(html.contains("href=\"/orders\" rel=\"prev\""))
        #expect(html.contains("href=\"/orders?page=3\" rel=\"next\""))
    }

    @Test func operatorGetsNoMoneyAndNoCreate() {
        let html = render(.operator)
        #expect(!html.contains("₽"))
        #expect(!html.contains("Создать заявку"))
        #expect(!html.contains("class=\"fab\""))
        #expect(render(.manager).contains("class=\"fab\""))
    }

    @Test func emptyList() {
        #expect(render(.operator, orders: []).contains("Заявки не найдены."))
    }
}

@Suite struct OrderFormPageTests {
    @Test func createFormPostsAllFields() {
        let html = OrderFormPage(model: Fixture.orderForm()).render()
        #expect(html.contains("<form method=\"post\" action=\"/orders/new\""))
        #expect(html.contains("Новая заявка"))
        for name in [
            "client_id", "new_client_name", "new_client_phone", "new_client_email", "address", "start", "end",
            "description", "estimated_total", "prepayment", "approve", "operator_ids[]",
            "items[0][line_id]", "items[0][type]", "items[0][ref_id]", "items[0][quantity]",
            "items[0][shifts]", "items[0][hours]", "items[1][ref_id]",
        ] {
            #expect(html.contains("name=\"\(name)\""), "missing \(name)")
        }
        #expect(html.contains(">Создать заявку</button>"))
    }

    @Test func datesAreCompanyTimeDatetimeLocal() {
        let html = OrderFormPage(model: Fixture.orderForm()).render()
        #expect(html.contains("type=\"datetime-local\" name=\"start\" id=\"f-start\" value=\"2026-11-25T08:00\""))
    }

    @Test func clientPickerSelectsAndCarriesAddresses() {
        let html = OrderFormPage(model: Fixture.orderForm()).render()
        // An attribute without a value is the empty string in HTML: `<option value>` posts "".
        #expect(html.contains("<option value>— Новый клиент —</option>"))
        #expect(
            html.contains(
                "<option value=\"7\" selected data-address=\"ул. Северная, 10\">ООО Стройпроект · +79995550011</option>"
            ))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot; · +79995550012"))
    }

    @Test func catalogueIsGroupedByTypeAndShowsRates() {
        let html = OrderFormPage(model: Fixture.orderForm()).render()
        #expect(html.contains("<optgroup label=\"Техника\" data-kind=\"equipment\">"))
        #expect(html.contains("<optgroup label=\"Услуги\" data-kind=\"service\">"))
        #expect(html.contains("<optgroup label=\"Материалы\" data-kind=\"material\">"))
        #expect(!html.contains("<optgroup label=\"Навески\""))
        #expect(html.contains("<option value=\"1\" selected>Экскаватор JCB 3CX (EX-01)</option>"))
        #expect(html.contains("<option value=\"1\">Песок, м³</option>"))
        #expect(
            html.contains(
                "Экскаватор JCB 3CX (EX-01)</span> — 2\u{202F}500,00\u{00A0}₽/ч · 18\u{202F}000,00\u{00A0}₽/смена"))
        #expect(html.contains("Песок, м³</span> — 900,00\u{00A0}₽ за м³"))
        #expect(html.contains("Тарифы каталога"))
    }

    @Test func operatorsAreCheckboxes() {
        let html = OrderFormPage(model: Fixture.orderForm()).render()
        #expect(
            html.contains("<input type=\"checkbox\" name=\"operator_ids[]\" value=\"11\" id=\"operator-11\" checked"))
        #expect(html.contains("<input type=\"checkbox\" name=\"operator_ids[]\" value=\"12\" id=\"operator-12\" class"))
        #expect(html.contains("<label for=\"operator-12\""))
    }

    @Test func fieldErrorsSitNextToTheirFields() {
        let model = Fixture.orderForm(errors: ["address": "Заполните адрес", "items[0][hours]": "Укажите часы"])
        let html = OrderFormPage(model: model).render()
        #expect(html.contains("aria-invalid=\"true\" aria-describedby=\"f-address-error\""))
        #expect(html.contains("<p id=\"f-address-error\" class=\"field__error\">Заполните адрес</p>"))
        #expect(html.contains("<p id=\"f-items-0-hours-error\" class=\"field__error\">Укажите часы</p>"))
        #expect(html.contains("Проверьте поля, отмеченные ниже: 2\u{00A0}ошибки."))
    }

    @Test func conflictsListOrderResourceAndPeriod() {
        let conflict = OrderFormModel.Conflict(
            orderID: "abc", orderNumber: "000041", resource: "Оператор Иван Петров",
            start: Fixture.now, end: Fixture.now.addingTimeInterval(3600))
        let html = OrderFormPage(model: Fixture.orderForm(conflicts: [conflict])).render()
        #expect(html.contains("Пересечение по времени"))
        #expect(
            html.contains("<a href=\"/orders/abc\">Заявка 000041</a> · Оператор Иван Петров · 24.11.2026 14:30 – 15:30")
        )
        #expect(!OrderFormPage(model: Fixture.orderForm()).render().contains("Пересечение по времени"))
    }

    @Test func previewAreaPointsAtTheAPI() {
        let html = OrderFormPage(model: Fixture.orderForm()).render()
        #expect(html.contains("data-preview-url=\"/api/v1/orders/preview/\""))
        #expect(html.contains("<button type=\"button\" class=\"button\" data-preview>Рассчитать</button>"))
    }

    @Test func editFormPostsToEditAndHasNoApprove() {
        let html = OrderFormPage(model: Fixture.orderForm(mode: .edit(id: "abc", number: "000042"))).render()
        #expect(html.contains("action=\"/orders/abc/edit\""))
        #expect(html.contains("Редактирование заявки 000042"))
        #expect(!html.contains("name=\"approve\""))
        #expect(html.contains(">Сохранить</button>"))
    }

    /// The seeded catalogue (12 machines, 19 services, 16 materials) plus attachments, five lines, ten operators.
    @Test func realisticOrderFormStaysUnder60KB() {
        var model = Fixture.orderForm()
        model.catalog = (0..<60).map { index in
            OrderFormModel.CatalogOption(
                kind: ItemType.allCases[index % 4], id: String(index),
                name: "Экскаватор-погрузчик Sany BHL95 №\(index)", code: "EXC-SANY-\(index)",
                unit: "м³", price: 245_000, dailyRate: 2_500_000)
        }
        model.values.items = (0..<5).map { OrderFormModel.Item(kind: .equipment, refID: String($0 * 4), hours: "8") }
        model.operators = (0..<10).map {
            .init(id: String($0), name: "Оператор Номер \($0)", phone: "+7999000000\($0)")
        }
        let html = OrderFormPage(model: model).render()
        #expect(html.utf8.count < 60 * 1024, "\(html.utf8.count) bytes")
    }

    @Test func descriptionTextareaKeepsEntitiesVerbatim() {
        var model = Fixture.orderForm()
        model.values.description = "A &amp; B"
        let html = OrderFormPage(model: model).render()
        #expect(html.contains(">A &amp;amp; B</textarea>"))
    }
}

@Suite struct OrderDetailPageTests {
    @Test func showsTimesClientPeopleLinesAndTotals() {
        let html = OrderDetailPage(model: Fixture.detail(role: .manager, actions: [])).render()
        #expect(html.contains("<h1 class=\"page-title\">Заявка 000042</h1>"))
        #expect(html.contains("Создана 24.11.2026 14:30 · Обновлена 24.11.2026 14:40"))
        #expect(html.contains("<dt>Начало</dt><dd>25.11.2026 08:30</dd>"))
        #expect(html.contains("<a href=\"tel:+79995550011\">+79995550011</a>"))
        #expect(html.contains("Выкопать котлован\nВывезти грунт"))
        #expect(html.contains("Оператор: </span>Иван Петров"))
        #expect(html.contains("data-label=\"Сумма\" class=\"num\">20\u{202F}000,00\u{00A0}₽"))
        #expect(html.contains("Топливо: 3\u{202F}000,00\u{00A0}₽"))
        #expect(html.contains(">10%<"))
        #expect(html.contains("<dt>Итого</dt><dd>24\u{202F}500,00\u{00A0}₽</dd>"))
        #expect(html.contains("<dt>Предоплата</dt><dd>5\u{202F}000,00\u{00A0}₽ (Оплачена)</dd>"))
        #expect(html.contains("<dt>К оплате</dt><dd>19\u{202F}500,00\u{00A0}₽</dd>"))
        #expect(html.contains("До работ · 24.11.2026 14:30"))
        #expect(html.contains("Изменил: Мария Менеджерова"))
        #expect(html.contains("История статусов"))
    }

    @Test func operatorSeesNoMoney() {
        let html = OrderDetailPage(model: Fixture.detail(role: .operator, actions: [.start])).render()
        #expect(!html.contains("₽"))
        #expect(html.contains("Экскаватор JCB 3CX"))
    }

    @Test func approveAndStartAreQueueableStatusForms() {
        let html = OrderDetailPage(
            model: Fixture.detail(role: .operator, status: .created, actions: [.approve, .start])
        )
        .render()
        let id = "9f1c2d7e-0000-4000-8000-000000000042"
        #expect(
            html.contains(
                "<form method=\"post\" action=\"/orders/\(id)/status\" novalidate class=\"inline-form\" "
                    + "data-offline-queue data-queue-label=\"Одобрить заявку 000042\">"
            ))
        #expect(html.contains("<input type=\"hidden\" name=\"status\" value=\"APPROVED\"/>"))
        #expect(html.contains("<input type=\"hidden\" name=\"status\" value=\"IN_PROGRESS\"/>"))
        #expect(html.contains(">Одобрить</button>"))
        #expect(html.contains(">Начать работу</button>"))
        #expect(html.contains("data-queued-note=\"/orders/\(id)\""))
    }

    @Test func actionsFollowTheModelList() {
        let all = OrderDetailPage(
            model: Fixture.detail(
                role: .manager, status: .inProgress,
                actions: [.complete, .edit, .cancel, .delete])
        ).render()
        #expect(all.contains(">Завершить</a>"))
        #expect(all.contains("href=\"/orders/9f1c2d7e-0000-4000-8000-000000000042/complete\""))
        #expect(all.contains(">Редактировать</a>"))
        #expect(all.contains("<summary class=\"button button--danger-ghost\">Отменить</summary>"))
        #expect(all.contains("<summary class=\"button button--danger-ghost\">Удалить</summary>"))
        #expect(all.contains("action=\"/orders/9f1c2d7e-0000-4000-8000-000000000042/delete\""))
        #expect(all.contains("data-confirm=\"Удалить заявку 000042 без возможности восстановления?\""))
        #expect(all.contains("<input type=\"hidden\" name=\"status\" value=\"CANCELLED\"/>"))
        #expect(!all.contains(">Одобрить</button>"))

        let none = OrderDetailPage(model: Fixture.detail(role: .accountant, status: .completed, actions: [])).render()
        for title in ["Одобрить", "Начать работу", "Завершить", "Отменить", "Редактировать", "Удалить"] {
            #expect(!none.contains(">" + title + "<"), "\(title) must be hidden")
        }
        #expect(HTMLChecks.postFormCount(in: none) == 0)
    }

    @Test func everyActionHasItsRussianTitle() {
        #expect(
            OrderAction.allCases.map(\.title) == [
                "Одобрить", "Начать работу", "Завершить", "Отменить", "Редактировать",
                "Удалить", "Чек", "Счёт", "Выставить счёт", "Акт",
                "Отправить клиенту",
            ])
    }
}

@Suite struct OrderCompletePageTests {
    @Test func formIsQueuedAndPostsLinesAndPay() {
        let html = OrderCompletePage(model: Fixture.complete(canEditPay: true)).render()
        #expect(html.contains("Завершение заявки 000042"))
        #expect(html.contains("action=\"/orders/9f1c2d7e-0000-4000-8000-000000000042/complete\""))
        #expect(html.contains("data-offline-queue data-queue-label=\"Завершение заявки 000042\""))
        for name in [
            "end", "comment", "equipment[0][line_id]", "equipment[0][shifts]", "equipment[0][hours]",
            "equipment[0][fuel]", "equipment[0][repair]", "materials[0][line_id]", "materials[0][quantity]",
            "pay[0][operator_id]", "pay[0][amount]", "pay[1][amount]",
        ] {
            #expect(html.contains("name=\"\(name)\""), "missing \(name)")
        }
        #expect(html.contains("type=\"datetime-local\" name=\"end\" id=\"f-end\" value=\"2026-11-24T23:30\""))
        #expect(html.contains("ЗП для Иван Петров, ₽"))
        #expect(html.contains("Песок, м³"))
        #expect(html.contains("Начало: 24.11.2026 14:30"))
        #expect(html.contains(">Завершить заявку</button>"))
    }

    @Test func newMaterialsArePickedFromTheCatalogue() {
        var model = Fixture.complete(canEditPay: false)
        var html = OrderCompletePage(model: model).render()
        #expect(html.contains("<legend>Добавить материал</legend>"))
        #expect(html.contains("data-new-materials"))
        // One blank row: a prompt and every catalogue material with unit and price.
        #expect(html.components(separatedBy: "data-material-row").count == 2)
        #expect(html.contains("<select name=\"new_materials[0][ref_id]\" id=\"f-new-materials-0-ref-id\""))
        #expect(html.contains("<option value selected>Выберите материал</option>"))
        #expect(html.contains("<option value=\"4\">Щебень (м³, 1\u{202F}500,00\u{00A0}₽)</option>"))
        #expect(html.contains("name=\"new_materials[0][quantity]\""))
        #expect(html.contains("data-add-material"))
        // Posted rows come back with their values and errors.
        model.newMaterials = [.init(refID: "4", quantity: "2,5"), .init(refID: "", quantity: "1")]
        model.errors = ["new_materials[1][ref_id]": "Выберите материал из списка."]
        html = OrderCompletePage(model: model).render()
        #expect(html.components(separatedBy: "data-material-row").count == 3)
        #expect(html.contains("<option value=\"4\" selected>Щебень"))
        #expect(html.contains("name=\"new_materials[0][quantity]\" id=\"f-new-materials-0-quantity\" value=\"2,5\""))
        #expect(
            html.contains(
                "id=\"f-new-materials-1-ref-id-error\" class=\"field__error\">Выберите материал из списка.</p>"))
        // No catalogue materials left to add: no section.
        model.catalogMaterials = []
        #expect(!OrderCompletePage(model: model).render().contains("Добавить материал"))
    }

    @Test func operatorDoesNotSetPay() {
        let html = OrderCompletePage(model: Fixture.complete(canEditPay: false)).render()
        #expect(!html.contains("Зарплата операторам"))
        #expect(!html.contains("name=\"pay["))
        #expect(html.contains("inputmode=\"decimal\""))
    }
}

import Domain
import Foundation
import Testing

@testable import WebUI

/// «Счета» and «Платежи» as rendered from their models.
@Suite struct InvoicePaymentPageTests {
    static let orderID = "9f1c2d7e-0000-4000-8000-000000000042"

    static func invoiceRow(_ state: InvoiceState, id: String = "7", paid: Int64 = 0) -> InvoiceListModel.Row {
        InvoiceListModel.Row(
            id: id, number: "INV-202611-000" + id, state: state, clientID: "3", clientName: "ООО Стройпроект",
            orderID: orderID, orderNumber: "000042", amount: 2_450_000, paid: paid, issuedAt: Fixture.now,
            dueDate: "2026-12-01")
    }

    static func invoiceList(sort: String = "") -> InvoiceListModel {
        InvoiceListModel(
            context: Fixture.context(.accountant),
            filter: .init(state: .partial, client: "3", from: "2026-11-01", to: "2026-11-30", sort: sort),
            clients: [Choice(value: "3", label: "ООО Стройпроект"), Choice(value: "4", label: Fixture.evil)],
            rows: InvoiceState.allCases.enumerated().map { invoiceRow($0.element, id: String($0.offset + 1)) },
            page: 2, totalPages: 3, totalCount: 120)
    }

    static func invoiceDetail(paid: Int64 = 500_000, credit: Int64 = 0, canEmail: Bool = true) -> InvoiceDetailModel {
        InvoiceDetailModel(
            context: Fixture.context(.manager), id: "7", number: "INV-202611-0007",
            state: paid >= 2_450_000 ? .paid : .partial, issuedAt: Fixture.now, dueDate: nil, amount: 2_450_000,
            paid: paid, clientID: "3", clientName: "ООО Стройпроект", orderID: orderID, orderNumber: "000042",
            clientCredit: credit,
            payments: [
                .init(
                    id: "11", paidAt: Fixture.now, amount: paid, method: .bankTransfer, comment: "по счёту",
                    recordedBy: "Бэлла Бухова")
            ],
            entry: .init(amount: "19500,00", paidAt: "2026-11-24", method: "cash"), canEmail: canEmail)
    }

    static func paymentList() -> PaymentListModel {
        PaymentListModel(
            context: Fixture.context(.admin), filter: .init(client: "3", method: "cash", sort: "-amount"),
            clients: [Choice(value: "3", label: "ООО Стройпроект")],
            rows: [
                .init(
                    id: "11", paidAt: Fixture.now, clientID: "3", clientName: "ООО Стройпроект", invoiceID: "7",
                    invoiceNumber: "INV-202611-0007", orderID: orderID, orderNumber: "000042", amount: 3_000_000,
                    method: .online, comment: Fixture.evil, recordedBy: "Бэлла Бухова", advance: 550_000),
                .init(
                    id: "12", paidAt: nil, clientID: nil, clientName: nil, invoiceID: nil, invoiceNumber: nil,
                    orderID: orderID, orderNumber: "000043", amount: 100_000, method: .cash),
            ],
            page: 1, totalPages: 1, totalCount: 2)
    }

    static func paymentForm(id: String? = nil, errors: FormErrors = [:]) -> PaymentFormModel {
        PaymentFormModel(
            context: Fixture.context(.accountant), id: id,
            values: .init(client: "3", invoice: "7", amount: "100,00", paidAt: "2026-11-24", method: "bank_transfer"),
            clients: [Choice(value: "3", label: "ООО Стройпроект")],
            invoices: [Choice(value: "7", label: "INV-202611-0007 · ООО Стройпроект · осталось 19 500,00 ₽")],
            orders: [Choice(value: orderID, label: "Заявка 000042")], errors: errors,
            formError: errors.isEmpty ? nil : "Проверьте данные формы.", advance: id == nil ? 0 : 550_000)
    }

    static func wellFormed(_ html: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(HTMLChecks.unlabelledControls(in: html).isEmpty, sourceLocation: sourceLocation)
        #expect(
            HTMLChecks.postFormsWithoutCSRF(in: html, token: Fixture.csrf).isEmpty, sourceLocation: sourceLocation)
        #expect(HTMLChecks.duplicateIDs(in: html).isEmpty, sourceLocation: sourceLocation)
        #expect(!html.contains("<script>alert(1)</script>"), sourceLocation: sourceLocation)
    }

    @Test func invoiceListShowsEveryStatusLabelAndLinks() {
        let html = InvoiceListPage(model: Self.invoiceList()).render()
        for label in ["Выставлен", "Частично оплачен", "Оплачен", "Просрочен"] {
            #expect(html.contains(">" + label + "</span>"), "\(label)")
        }
        #expect(html.contains("href=\"/invoices/1\""))
        #expect(html.contains("href=\"/clients/3\">ООО Стройпроект</a>"))
        #expect(html.contains("href=\"/orders/\(Self.orderID)\">Заявка 000042</a>"))
        #expect(html.contains("24\u{202F}500,00\u{00A0}₽"))
        #expect(html.contains(">01.12.2026<"))
        #expect(html.contains("Найдено: 120"))
        Self.wellFormed(html)
    }

    @Test func invoiceListKeepsItsFiltersInLinks() {
        let html = InvoiceListPage(model: Self.invoiceList(sort: "amount")).render()
        #expect(html.contains("<form method=\"get\" action=\"/invoices\""))
        #expect(html.contains("<option value=\"3\" selected>ООО Стройпроект</option>"))
        #expect(html.contains("value=\"2026-11-01\""))
        #expect(html.contains("<input type=\"hidden\" name=\"status\" value=\"partial\"/>"))
        // Sorting: the active column turns around on the next click; the others start ascending.
        #expect(html.contains("aria-sort=\"ascending\""))
        #expect(
            html.contains(
                "href=\"/invoices?client=3&amp;from=2026-11-01&amp;sort=-amount&amp;status=partial&amp;to=2026-11-30\"")
        )
        #expect(html.contains("sort=number"))
        // Paging and export keep the filter.
        #expect(html.contains("page=3"))
        #expect(html.contains("export=csv"))
        #expect(html.contains("export=xlsx"))
        #expect(html.contains(">Скачать XLSX</a>"))
        #expect(html.contains("aria-current=\"true\""))
    }

    @Test func emptyInvoiceList() {
        let html = InvoiceListPage(model: InvoiceListModel(context: Fixture.context(.admin), rows: [])).render()
        #expect(html.contains("Счетов не найдено."))
    }

    @Test func invoicePageHasFiguresPaymentsAndTheEntryForm() {
        let html = InvoiceDetailPage(model: Self.invoiceDetail()).render()
        #expect(html.contains("Счёт INV-202611-0007"))
        #expect(html.contains(">Частично оплачен</span>"))
        #expect(html.contains("href=\"/invoices/7/pdf\""))
        #expect(html.contains("action=\"/orders/\(Self.orderID)/send\""))
        #expect(html.contains("<input type=\"hidden\" name=\"document\" value=\"invoice\"/>"))
        #expect(html.contains(">Отправить клиенту</button>"))
        #expect(html.contains("href=\"/clients/3\""))
        #expect(html.contains("href=\"/orders/\(Self.orderID)\""))
        #expect(html.contains("action=\"/invoices/7/payments\""))
        #expect(html.contains(">Внести оплату</h2>"))
        #expect(html.contains("name=\"amount\" id=\"f-amount\" value=\"19500,00\""))
        #expect(html.contains("type=\"date\" name=\"paid_at\""))
        #expect(html.contains("<option value=\"cash\" selected>Наличные</option>"))
        #expect(html.contains("<option value=\"bank_transfer\">Безнал</option>"))
        #expect(html.contains("<option value=\"online\">Карта</option>"))
        #expect(html.contains(">Сохранить платёж</button>"))
        #expect(html.contains("Бэлла Бухова"))
        #expect(html.contains(">Безнал<"))
        #expect(!html.contains("Переплата"))
        Self.wellFormed(html)
    }

    @Test func withoutMailThereIsNoSendButton() {
        let html = InvoiceDetailPage(model: Self.invoiceDetail(canEmail: false)).render()
        #expect(!html.contains("Отправить клиенту"))
    }

    @Test func anOverpaidInvoiceShowsTheAdvance() {
        let html = InvoiceDetailPage(model: Self.invoiceDetail(paid: 3_000_000, credit: 550_000)).render()
        #expect(html.contains(">Оплачен</span>"))
        #expect(html.contains("Переплата (аванс)"))
        #expect(html.contains("Переплата по счёту 5\u{202F}500,00\u{00A0}₽ зачтена клиенту как аванс."))
        #expect(html.contains("Аванс клиента (переплата по всем заявкам): 5\u{202F}500,00\u{00A0}₽"))
    }

    @Test func paymentListShowsColumnsAdvanceAndActions() {
        let html = PaymentListPage(model: Self.paymentList()).render()
        for header in ["Дата", "Клиент", "Счёт / заявка", "Сумма", "Способ", "Комментарий", "Внёс"] {
            #expect(html.contains(header), "\(header)")
        }
        #expect(html.contains("href=\"/invoices/7\">Счёт INV-202611-0007</a>"))
        #expect(html.contains(">Карта<"))
        #expect(html.contains(">Аванс</span>"))
        #expect(html.contains("переплата по заявке 5\u{202F}500,00\u{00A0}₽"))
        #expect(html.contains("href=\"/payments/11/edit\""))
        #expect(html.contains("action=\"/payments/11/delete\""))
        #expect(html.contains("href=\"/payments/new?client=3\""))
        #expect(html.contains("aria-sort=\"descending\""))
        #expect(html.contains("<option value=\"cash\" selected>Наличные</option>"))
        #expect(html.contains("export=xlsx"))
        #expect(html.contains("Клиент не указан"))
        Self.wellFormed(html)
    }

    @Test func newPaymentForm() {
        let html = PaymentFormPage(model: Self.paymentForm()).render()
        #expect(html.contains("Новый платёж"))
        #expect(html.contains("<form method=\"get\" action=\"/payments/new\""))
        #expect(html.contains("<form method=\"post\" action=\"/payments/new\""))
        #expect(html.contains("<input type=\"hidden\" name=\"client\" value=\"3\"/>"))
        #expect(html.contains("<option value=\"7\" selected>INV-202611-0007"))
        #expect(html.contains("<option value=\"\(Self.orderID)\">Заявка 000042</option>"))
        #expect(html.contains("<option value=\"bank_transfer\" selected>Безнал</option>"))
        #expect(html.contains(">Сохранить платёж</button>"))
        #expect(!html.contains("Удалить платёж"))
        Self.wellFormed(html)
    }

    @Test func editPaymentFormDeletesAndShowsErrors() {
        let html = PaymentFormPage(
            model: Self.paymentForm(id: "11", errors: ["order": "Заявка относится к другому клиенту."])
        )
        .render()
        #expect(html.contains("action=\"/payments/11/edit\""))
        #expect(html.contains("action=\"/payments/11/delete\""))
        #expect(html.contains(">Удалить платёж</button>"))
        #expect(html.contains("Заявка относится к другому клиенту."))
        #expect(html.contains("Аванс: по заявке платежа переплата 5\u{202F}500,00\u{00A0}₽."))
        Self.wellFormed(html)
    }

    @Test func invoiceStateRule() {
        let today = "2026-11-24"
        #expect(InvoiceState.of(isPaid: true, paid: 10, dueDate: "2026-01-01", today: today) == .paid)
        #expect(InvoiceState.of(isPaid: false, paid: 10, dueDate: "2026-11-23", today: today) == .overdue)
        #expect(InvoiceState.of(isPaid: false, paid: 0, dueDate: "2026-11-24", today: today) == .issued)
        #expect(InvoiceState.of(isPaid: false, paid: 10, dueDate: nil, today: today) == .partial)
    }
}

import Domain
import Plot

/// «Счёт INV-…»: the figures, the documents, its payments and «Внести оплату».
public struct InvoiceDetailPage: WebPage {
    public let model: InvoiceDetailModel

    public init(model: InvoiceDetailModel) {
        self.model = model
    }

    public func html() -> HTML {
        return Layout.page(
            title: "Счёт " + model.number, section: .invoices, context: model.context, actions: documentActions(),
            back: Paths.invoices(),
            content: [
                header(),
                figures(),
                advanceNote(),
                Components.card([.heading(2, "Платежи"), paymentsTable()]),
                Components.card([entryForm()], cls: "card--narrow"),
            ])
    }

    func header() -> Body {
        let timeZone = model.context.timeZone
        let client: Body =
            model.clientID.map { id in .anchor(Paths.client(id), model.clientName ?? "Клиент") }
            ?? .txt("Клиент не указан")
        return .div(
            cls: "invoice-head",
            [
                InvoiceChips.chip(model.state),
                .el("p", [], [.txt("Клиент: "), client]),
                .el("p", [], [.txt("Заявка: "), .anchor(Paths.order(model.orderID), "Заявка " + model.orderNumber)]),
                .para(
                    "Выставлен " + RussianFormat.date(model.issuedAt, in: timeZone) + " · оплатить до "
                        + InvoiceChips.day(model.dueDate), cls: "muted"),
            ])
    }

    func figures() -> Body {
        var tiles = [
            Components.kpi("Сумма счёта", RussianFormat.money(model.amount)),
            Components.kpi("Оплачено", RussianFormat.money(model.paid)),
            Components.kpi("Осталось оплатить", RussianFormat.money(model.remaining)),
        ]
        if model.overpaid > 0 {
            tiles.append(Components.kpi("Переплата (аванс)", RussianFormat.money(model.overpaid)))
        }
        return Components.kpiGrid(tiles)
    }

    /// An overpayment is kept as the client's advance, not refused (docs/ui.md#invoices-and-payments).
    func advanceNote() -> Body {
        guard model.overpaid > 0 || model.clientCredit > 0 else { return .empty }
        var lines: [Body] = []
        if model.overpaid > 0 {
            lines.append(
                .para(
                    "Переплата по счёту " + RussianFormat.money(model.overpaid)
                        + " зачтена клиенту как аванс."))
        }
        if model.clientCredit > 0 {
            lines.append(.para("Аванс клиента (переплата по всем заявкам): " + RussianFormat.money(model.clientCredit)))
        }
        return .div(cls: "notice notice--info advance-note", lines)
    }

    func documentActions() -> [Body] {
        var actions: [Body] = [
            .el(
                "a", [.cls("button button--small"), .link(Paths.invoicePDF(model.id)), .attr("target", "_blank")],
                text: "PDF")
        ]
        if model.canEmail {
            actions.append(
                Forms.post(
                    Paths.sendOrderDocument(model.orderID), csrf: model.context.csrfToken,
                    attributes: [.cls("inline-form")],
                    [
                        Forms.hidden("document", "invoice"),
                        Forms.submit("Отправить клиенту", cls: "button button--small"),
                    ]
                ))
        }
        return actions
    }

    func paymentsTable() -> Body {
        guard !model.payments.isEmpty else { return Components.empty("Оплат по счёту ещё нет.") }
        let timeZone = model.context.timeZone
        let rows: [[Components.Cell]] = model.payments.map { payment in
            var amount: [Body] = [.txt(RussianFormat.money(payment.amount))]
            if payment.status != .success { amount.append(.span(cls: "cell-note", payment.status.title)) }
            return [
                Components.Cell("Дата", text: payment.paidAt.map { RussianFormat.date($0, in: timeZone) } ?? "—"),
                Components.Cell("Сумма", amount, cls: "num"),
                Components.Cell("Способ", text: MoneyLists.methodTitle(payment.method)),
                Components.Cell("Комментарий", text: payment.comment.isEmpty ? "—" : payment.comment),
                Components.Cell("Внёс", text: payment.recordedBy.isEmpty ? "—" : payment.recordedBy),
                Components.Cell(
                    "Действия",
                    [
                        Components.buttonLink(
                            Paths.editPayment(payment.id), "Изменить", cls: "button button--small button--ghost")
                    ],
                    cls: "cell-actions"),
            ]
        }
        return Components.table(
            headers: ["Дата", "Сумма", "Способ", "Комментарий", "Внёс", "Действия"], rows: rows,
            caption: "Платежи по счёту")
    }

    func entryForm() -> Body {
        let entry = model.entry
        return Forms.post(
            Paths.invoicePayments(model.id), csrf: model.context.csrfToken, attributes: [.cls("stack")],
            [
                .heading(2, "Внести оплату"),
                Forms.errorSummary(model.formError, errors: model.errors),
                Forms.input(
                    Field(
                        name: "amount", label: "Сумма, ₽", value: entry.amount, inputMode: "decimal",
                        hint: "Больше остатка — переплата станет авансом клиента.", error: model.errors["amount"],
                        isRequired: true)),
                Forms.input(
                    Field(
                        name: "paid_at", label: "Дата оплаты", value: entry.paidAt, type: "date",
                        error: model.errors["paid_at"], isRequired: true)),
                Forms.select(
                    Field(name: "method", label: "Способ оплаты", value: entry.method, error: model.errors["method"]),
                    options: MoneyLists.methodChoices(including: entry.method)),
                Forms.textArea(
                    Field(name: "comment", label: "Комментарий", value: entry.comment, error: model.errors["comment"]),
                    rows: 2),
                Forms.actions([Forms.submit("Сохранить платёж")]),
            ])
    }
}

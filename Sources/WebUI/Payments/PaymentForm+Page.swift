import Domain
import Plot

/// «Новый платёж» / «Платёж»: the client (chosen first, which narrows the invoices and orders), the invoice or
/// the order, the amount, the day, the method, the comment; the edit form also deletes.
public struct PaymentFormPage: WebPage {
    public let model: PaymentFormModel

    public init(model: PaymentFormModel) {
        self.model = model
    }

    var values: PaymentFormModel.Values { model.values }
    var action: String { model.id.map(Paths.editPayment) ?? Paths.newPayment() }

    public func html() -> HTML {
        let title = model.id == nil ? "Новый платёж" : "Платёж"
        return Layout.page(
            title: title, section: .payments, context: model.context, back: Paths.payments(),
            content: [
                Components.card([clientChooser()], cls: "card--narrow"),
                advanceNote(),
                Components.card([form()], cls: "card--narrow"),
                deleteCard(),
            ])
    }

    /// GET: the same form again with the client's invoices and orders to choose from.
    func clientChooser() -> Body {
        var children: [Body] = [
            Forms.select(
                Field(name: "client", label: "Клиент", value: values.client, id: "f-client-choice"),
                options: model.clients, prompt: "Все клиенты"),
            Forms.actions([Forms.submit("Показать счета и заявки клиента", cls: "button")]),
        ]
        if !values.invoice.isEmpty { children.insert(Forms.hidden("invoice", values.invoice), at: 0) }
        return Forms.get(action, attributes: [.cls("stack")], children)
    }

    func advanceNote() -> Body {
        guard model.advance > 0 else { return .empty }
        return .div(
            cls: "notice notice--info advance-note",
            [.para("Аванс: по заявке платежа переплата " + RussianFormat.money(model.advance) + ".")])
    }

    func form() -> Body {
        let errors = model.errors
        return Forms.post(
            action, csrf: model.context.csrfToken, attributes: [.cls("stack")],
            [
                Forms.errorSummary(model.formError, errors: errors),
                Forms.hidden("client", values.client),
                Forms.select(
                    Field(
                        name: "invoice", label: "Счёт", value: values.invoice,
                        hint: "Или выберите заявку ниже, если счёт ещё не выставлен.", error: errors["invoice"]),
                    options: model.invoices, prompt: "Без счёта"),
                Forms.select(
                    Field(
                        name: "order", label: "Заявка", value: values.order,
                        hint: model.orders.isEmpty ? "Заявки появятся после выбора клиента." : nil,
                        error: errors["order"]),
                    options: model.orders, prompt: "По счёту"),
                Forms.input(
                    Field(
                        name: "amount", label: "Сумма, ₽", value: values.amount, inputMode: "decimal",
                        hint: "Больше долга — переплата станет авансом клиента.", error: errors["amount"],
                        isRequired: true)),
                Forms.input(
                    Field(
                        name: "paid_at", label: "Дата оплаты", value: values.paidAt, type: "date",
                        error: errors["paid_at"], isRequired: true)),
                Forms.select(
                    Field(name: "method", label: "Способ оплаты", value: values.method, error: errors["method"]),
                    options: MoneyLists.methodChoices(including: values.method)),
                Forms.textArea(
                    Field(name: "comment", label: "Комментарий", value: values.comment, error: errors["comment"]),
                    rows: 2),
                Forms.actions([
                    Forms.submit("Сохранить платёж"),
                    Components.buttonLink(Paths.payments(), "Отмена", cls: "button button--ghost"),
                ]),
            ])
    }

    func deleteCard() -> Body {
        guard let id = model.id else { return .empty }
        return Components.card(
            [
                Forms.post(
                    Paths.deletePayment(id), csrf: model.context.csrfToken,
                    attributes: [.cls("inline-form"), .attr("data-confirm", "Удалить платёж?")],
                    [Forms.submit("Удалить платёж", cls: "button button--danger")])
            ], cls: "card--narrow")
    }
}

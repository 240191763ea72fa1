import Plot

/// «Зарплата операторам»: the salaries of a completed order; changes reach the reports and «Мои зарплаты».
public struct OrderPayPage: WebPage {
    public let model: OrderPayModel

    public init(model: OrderPayModel) {
        self.model = model
    }

    public func html() -> HTML {
        return Layout.page(
            title: "Зарплата операторам · Заявка " + model.number, section: .orders,
            context: model.context, back: Paths.order(model.orderID), content: [summary(), form()])
    }

    func summary() -> Body {
        return Components.card([
            .para(model.clientName ?? "Клиент не указан", cls: "strong"),
            .para("Сумма заявки: " + RussianFormat.money(model.total), cls: "muted"),
            .para(
                "Укажите или скорректируйте зарплату операторов по этой завершённой заявке. "
                    + "Изменения сразу попадут в отчёты и в «Мои зарплаты» операторов.", cls: "field__hint"),
        ])
    }

    func form() -> Body {
        let rows: [Body] = model.pay.enumerated().map { index, pay in
            let prefix = "pay[\(index)]"
            let name = prefix + "[amount]"
            return .fragment([
                Forms.hidden(prefix + "[operator_id]", pay.operatorID),
                Forms.input(
                    Field(
                        name: name, label: "ЗП для " + pay.name + ", ₽", value: pay.amount,
                        inputMode: "decimal", autocomplete: "off", error: model.errors[name])),
            ])
        }
        let section =
            rows.isEmpty
            ? Forms.section("Зарплата операторам", [Components.empty("Операторы не назначены")])
            : Forms.section("Зарплата операторам", rows)
        return Forms.post(
            Paths.editOrder(model.orderID), csrf: model.context.csrfToken, attributes: [.cls("stack")],
            [
                Forms.errorSummary(model.formError, errors: model.errors),
                section,
                Forms.actions([
                    Forms.submit("Сохранить"),
                    Components.buttonLink(Paths.order(model.orderID), "Отмена", cls: "button button--ghost"),
                ]),
            ])
    }
}

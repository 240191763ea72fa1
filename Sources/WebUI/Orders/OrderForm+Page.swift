import Domain
import Plot

/// «Новая заявка» / «Редактирование заявки N».
public struct OrderFormPage: WebPage {
    public let model: OrderFormModel

    public init(model: OrderFormModel) {
        self.model = model
    }

    var values: OrderFormModel.Values { model.values }
    var errors: FormErrors { model.errors }

    var title: String {
        switch model.mode {
        case .create: "Новая заявка"
        case .edit(_, let number): "Редактирование заявки " + number
        }
    }

    var action: String {
        switch model.mode {
        case .create: Paths.newOrder()
        case .edit(let id, _): Paths.editOrder(id)
        }
    }

    var cancelURL: String {
        switch model.mode {
        case .create: Paths.orders()
        case .edit(let id, _): Paths.order(id)
        }
    }

    var isCreate: Bool { model.mode == .create }

    public func html() -> HTML {
        return Layout.page(title: title, section: .orders, context: model.context, back: cancelURL, content: [form()])
    }

    func form() -> Body {
        let children: [Body] = [
            Forms.errorSummary(model.formError, errors: errors),
            clientSection(),
            placeAndTimeSection(),
            operatorsSection(),
            itemsSection(),
            conflictsBox(),
            moneySection(),
            Forms.actions([
                Forms.submit(isCreate ? "Создать заявку" : "Сохранить"),
                Components.buttonLink(cancelURL, "Отмена", cls: "button button--ghost"),
            ]),
        ]
        return Forms.post(
            action, csrf: model.context.csrfToken,
            attributes: [.cls("stack order-form"), .attr("data-order-form", "")],
            children)
    }

    // MARK: - Client

    func clientSection() -> Body {
        let choices = model.clients.map { Choice(value: $0.id, label: $0.name + " · " + $0.phone) }
        let picker = clientSelect(choices)
        return Forms.section(
            "Клиент",
            [
                picker,
                .el(
                    "div", [.cls("new-client"), .attr("data-new-client", "")],
                    [
                        .para("Или новый клиент (если его нет в списке):", cls: "field__hint"),
                        Forms.input(
                            field(
                                "new_client_name", "ФИО или название клиента", values.newClientName,
                                autocomplete: "off")),
                        Forms.input(
                            field(
                                "new_client_phone", "Телефон клиента", values.newClientPhone, type: "tel",
                                inputMode: "tel", autocomplete: "off", placeholder: "+79991234567")),
                        Forms.input(
                            field(
                                "new_client_email", "Email клиента (необязательно)", values.newClientEmail,
                                type: "email", inputMode: "email", autocomplete: "off")),
                    ]),
            ])
    }

    func clientSelect(_ choices: [Choice]) -> Body {
        let options: [Body] =
            [Forms.option(Choice(value: "", label: "— Новый клиент —"), selected: values.clientID.isEmpty)]
            + model.clients.map { client in
                Forms.option(
                    Choice(value: client.id, label: client.name + " · " + client.phone),
                    selected: client.id == values.clientID,
                    extra: [.attr("data-address", client.address)])
            }
        let f = field("client_id", "Клиент", values.clientID)
        return .div(
            cls: f.error == nil ? "field" : "field has-error",
            [
                .el("label", [.attr("for", f.elementID), .cls("field__label")], text: f.label),
                .el(
                    "select",
                    [.attr("name", f.name), .ident(f.elementID), .cls("input"), .attr("data-client-select", "")]
                        + errorAttributes(f), options),
                errorText(f),
            ])
    }

    // MARK: - Place and time

    func placeAndTimeSection() -> Body {
        return Forms.section(
            "Адрес, время и описание",
            [
                Forms.textArea(
                    field(
                        "address", "Адрес выполнения работ", values.address, autocomplete: "street-address",
                        required: true), rows: 2),
                .div(
                    cls: "grid-2",
                    [
                        Forms.input(
                            field(
                                "start", "Начало", values.start, type: "datetime-local", required: true,
                                hint: "Время компании (Москва)")),
                        Forms.input(field("end", "Окончание (план)", values.end, type: "datetime-local")),
                    ]),
                Forms.textArea(
                    field(
                        "description", "Описание работ", values.description,
                        placeholder: "Что нужно сделать, особенности объекта"), rows: 3),
            ])
    }

    // MARK: - Operators

    func operatorsSection() -> Body {
        guard !model.operators.isEmpty else {
            return Forms.section("Операторы", [Components.empty("Операторы не найдены.")])
        }
        let selected = Set(values.operatorIDs)
        let boxes: [Body] = model.operators.map { op in
            Forms.checkbox(
                name: "operator_ids[]", value: op.id, label: op.name, checked: selected.contains(op.id),
                id: "operator-" + op.id, hint: op.phone.isEmpty ? nil : op.phone)
        }
        var children: [Body] = [.div(cls: "checkbox-list", boxes)]
        if let error = errors["operator_ids"] {
            children.append(.el("p", [.cls("field__error")], text: error))
        }
        return Forms.section("Операторы (можно несколько)", children, cls: "operators")
    }

    // MARK: - Money

    func moneySection() -> Body {
        var children: [Body] = [
            pricePreview(),
            .div(
                cls: "grid-2",
                [
                    Forms.input(
                        field(
                            "estimated_total", "Примерная стоимость, ₽", values.estimatedTotal,
                            inputMode: "decimal", autocomplete: "off",
                            hint: "Если позиции не указаны. При наличии позиций сумма считается по ним.")),
                    Forms.input(
                        field(
                            "prepayment", "Предоплата, ₽", values.prepayment, inputMode: "decimal",
                            autocomplete: "off", readOnly: !model.canEditPrepayment)),
                ]),
            prepaymentStatusSelect(),
            latePenaltySwitch(),
        ]
        if isCreate {
            children.append(
                Forms.checkbox(
                    name: "approve", label: "Одобрить при создании", checked: values.approve,
                    hint: "Заявка сразу получит статус «Одобрен»"))
        }
        return Forms.section("Стоимость", children)
    }

    /// «Статус предоплаты»: «Ожидается», «Оплачена», «Возвращена».
    func prepaymentStatusSelect() -> Body {
        let choices = PrepaymentStatus.allCases.map { Choice(value: $0.rawValue, label: $0.title) }
        var f = field("prepayment_status", "Статус предоплаты", values.prepaymentStatus)
        if !model.canEditPrepayment { f.extra = [.flag("disabled")] }
        return Forms.select(f, options: choices)
    }

    /// «Просрочка»: the late-penalty reduction for the client (docs/domain-rules.md#late-penalty).
    func latePenaltySwitch() -> Body {
        var children: [Body] = [
            Forms.checkbox(
                name: "is_delayed", label: "Просрочка: скидка клиенту за опоздание", checked: values.isDelayed,
                hint: "Работы выполнены с опозданием: сумма заявки уменьшится на 10 %.",
                extra: model.canEditPrepayment ? [] : [.flag("disabled")])
        ]
        if let error = errors["is_delayed"] {
            children.append(.el("p", [.ident("f-is-delayed-error"), .cls("field__error")], text: error))
        }
        return .div(cls: "late-penalty", children)
    }

    // MARK: - Field helpers

    func field(
        _ name: String, _ label: String, _ value: String, type: String = "text", inputMode: String? = nil,
        autocomplete: String? = nil, placeholder: String? = nil, required: Bool = false, hint: String? = nil,
        readOnly: Bool = false
    ) -> Field {
        return Field(
            name: name, label: label, value: value, type: type, inputMode: inputMode,
            autocomplete: autocomplete, placeholder: placeholder, hint: hint, error: errors[name],
            isRequired: required, isReadOnly: readOnly)
    }

    func errorAttributes(_ field: Field) -> [Attr] {
        guard field.error != nil else { return [] }
        return [.attr("aria-invalid", "true"), .attr("aria-describedby", field.errorID)]
    }

    func errorText(_ field: Field) -> Body {
        guard let error = field.error else { return .empty }
        return .el("p", [.ident(field.errorID), .cls("field__error")], text: error)
    }
}

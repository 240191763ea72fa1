import Plot

/// «Завершение заявки N»: the operator's key form; works offline through the queue in app.js.
public struct OrderCompletePage: WebPage {
    public let model: OrderCompleteModel

    public init(model: OrderCompleteModel) {
        self.model = model
    }

    public func html() -> HTML {
        return Layout.page(
            title: "Завершение заявки " + model.number, section: .orders, context: model.context,
            back: Paths.order(model.orderID), content: [summary(), form()])
    }

    func summary() -> Body {
        let timeZone = model.context.timeZone
        return Components.card([
            .para(model.clientName ?? "Клиент не указан", cls: "strong"),
            .para(model.address, cls: "address"),
            .para("Начало: " + RussianFormat.dateTime(model.start, in: timeZone), cls: "muted"),
            .para(
                "Текущее окончание: "
                    + (model.currentEnd.map { RussianFormat.dateTime($0, in: timeZone) }
                        ?? "не указано"),
                cls: "muted"),
        ])
    }

    func form() -> Body {
        var children: [Body] = [
            Forms.errorSummary(model.formError, errors: model.errors),
            Forms.section(
                "Время",
                [
                    Forms.input(
                        field("end", "Дата и время окончания", model.end, type: "datetime-local", required: true))
                ]),
        ]
        if !model.equipment.isEmpty { children.append(equipmentSection()) }
        if !model.materials.isEmpty { children.append(materialsSection()) }
        if !model.catalogMaterials.isEmpty { children.append(newMaterialsSection()) }
        if model.canEditPay { children.append(paySection()) }
        children.append(
            Forms.section(
                "Комментарий",
                [
                    Forms.textArea(
                        field(
                            "comment", "Комментарий", model.comment,
                            placeholder: "Дополнительная информация по завершению заявки"), rows: 3)
                ]))
        children.append(
            Forms.actions([
                Forms.submit("Завершить заявку"),
                Components.buttonLink(Paths.order(model.orderID), "Отмена", cls: "button button--ghost"),
            ]))
        return Forms.post(
            Paths.completeOrder(model.orderID), csrf: model.context.csrfToken,
            attributes: [
                .cls("stack"), .attr("data-offline-queue", ""),
                .attr("data-queue-label", "Завершение заявки " + model.number),
            ], children)
    }

    func equipmentSection() -> Body {
        let rows: [Body] = model.equipment.enumerated().map { index, line in equipmentRow(line, index: index) }
        return Forms.section("Техника", rows)
    }

    func equipmentRow(_ line: OrderCompleteModel.EquipmentLine, index: Int) -> Body {
        let prefix = "equipment[\(index)]"
        return .el(
            "div", [.cls("line-block")],
            [
                .heading(3, line.name),
                Forms.hidden(prefix + "[line_id]", line.lineID),
                .div(
                    cls: "grid-2",
                    [
                        Forms.input(field(prefix + "[shifts]", "Смены", line.shifts, inputMode: "numeric")),
                        Forms.input(field(prefix + "[hours]", "Часы", line.hours, inputMode: "decimal")),
                        Forms.input(field(prefix + "[fuel]", "Расходы на топливо, ₽", line.fuel, inputMode: "decimal")),
                        Forms.input(
                            field(prefix + "[repair]", "Расходы на ремонт, ₽", line.repair, inputMode: "decimal")),
                    ]),
            ])
    }

    func materialsSection() -> Body {
        let rows: [Body] = model.materials.enumerated().map { index, line in
            let prefix = "materials[\(index)]"
            let label = line.unit.isEmpty ? line.name : line.name + ", " + line.unit
            return .fragment([
                Forms.hidden(prefix + "[line_id]", line.lineID),
                Forms.input(field(prefix + "[quantity]", label, line.quantity, inputMode: "decimal")),
            ])
        }
        return Forms.section("Материалы и услуги: фактическое количество", rows)
    }

    /// «Добавить материал»: catalogue materials not on the order yet; priced by the server from the catalogue.
    func newMaterialsSection() -> Body {
        let rows = model.newMaterials.isEmpty ? [OrderCompleteModel.NewMaterial()] : model.newMaterials
        let rendered: [Body] = rows.enumerated().map { index, row in newMaterialRow(row, index: index) }
        return Forms.section(
            "Добавить материал",
            [
                .para("Материалы из каталога, которых нет в заявке. Цена берётся из каталога.", cls: "muted"),
                .el("div", [.cls("new-materials"), .attr("data-new-materials", "")], rendered),
                .el(
                    "button", [.attr("type", "button"), .cls("button button--small"), .attr("data-add-material", "")],
                    text: "+ Ещё материал"),
            ])
    }

    func newMaterialRow(_ row: OrderCompleteModel.NewMaterial, index: Int) -> Body {
        let prefix = "new_materials[\(index)]"
        let options = model.catalogMaterials.map { option in
            var label = option.name
            var details: [String] = []
            if !option.unit.isEmpty { details.append(option.unit) }
            if let price = option.price { details.append(RussianFormat.money(price)) }
            if !details.isEmpty { label += " (" + details.joined(separator: ", ") + ")" }
            return Choice(value: option.id, label: label)
        }
        return .el(
            "div", [.cls("new-material"), .attr("data-material-row", "")],
            [
                Forms.select(
                    field(prefix + "[ref_id]", "Материал", row.refID), options: options, prompt: "Выберите материал"),
                Forms.input(field(prefix + "[quantity]", "Количество", row.quantity, inputMode: "decimal")),
                .el(
                    "button",
                    [
                        .attr("type", "button"), .cls("button button--small button--ghost new-material__remove"),
                        .attr("data-remove-material", ""), .attr("aria-label", "Убрать материал"),
                    ], text: "Убрать"),
            ])
    }

    func paySection() -> Body {
        guard !model.pay.isEmpty else {
            return Forms.section("Зарплата операторам", [Components.empty("Операторы не назначены")])
        }
        let rows: [Body] = model.pay.enumerated().map { index, pay in
            let prefix = "pay[\(index)]"
            return .fragment([
                Forms.hidden(prefix + "[operator_id]", pay.operatorID),
                Forms.input(field(prefix + "[amount]", "ЗП для " + pay.name + ", ₽", pay.amount, inputMode: "decimal")),
            ])
        }
        return Forms.section("Зарплата операторам", rows)
    }

    func field(
        _ name: String, _ label: String, _ value: String, type: String = "text", inputMode: String? = nil,
        placeholder: String? = nil, required: Bool = false
    ) -> Field {
        return Field(
            name: name, label: label, value: value, type: type, inputMode: inputMode, autocomplete: "off",
            placeholder: placeholder, error: model.errors[name], isRequired: required)
    }
}

import Domain
import Plot

/// «Новый расход» / «Редактирование расхода».
public struct ExpenseFormPage: WebPage {
    public let model: ExpenseFormModel

    public init(model: ExpenseFormModel) {
        self.model = model
    }

    var values: ExpenseFormModel.Values { model.values }

    public func html() -> HTML {
        let title = model.id == nil ? "Новый расход" : "Редактирование расхода"
        let action = model.id.map(Paths.editExpense) ?? Paths.newExpense()
        var notes: [Body] = []
        if let id = model.orderID, let number = model.orderNumber {
            notes.append(.el("p", [.cls("muted")], [.txt("Расход по заявке "), .anchor(Paths.order(id), number)]))
        }
        if model.bookedAtCompletion {
            notes.append(.para("Этот расход начислен при завершении заявки.", cls: "muted"))
        }
        let form = Forms.post(
            action, csrf: model.context.csrfToken, attributes: [.cls("stack expense-form")],
            [Forms.errorSummary(model.formError, errors: model.errors)] + notes + fields() + [
                Forms.actions([
                    Forms.submit("Сохранить"),
                    Components.buttonLink(Paths.expenses(), "Отмена", cls: "button button--ghost"),
                ])
            ])
        var cards = [Components.card([form], cls: "card--narrow")]
        if let id = model.id {
            cards.append(Components.card(receipt(id), cls: "card--narrow"))
            cards.append(
                Components.card(
                    [.el("h2", [], text: "Удаление"), ExpenseDelete.button(id, csrf: model.context.csrfToken)],
                    cls: "card--narrow"))
        }
        return Layout.page(
            title: title, section: .expenses, context: model.context, back: Paths.expenses(), content: cards)
    }

    /// «Фото чека»: the uploaded photo with «Удалить фото», and a multipart form that adds or replaces it (on a
    /// phone `capture` opens the camera).
    func receipt(_ id: String) -> [Body] {
        var children: [Body] = [.el("h2", [], text: "Фото чека")]
        if model.hasReceipt {
            let url = Paths.expenseReceipt(id)
            children.append(
                .el(
                    "a", [.link(url), .attr("target", "_blank"), .attr("rel", "noopener"), .cls("expense-receipt")],
                    [
                        .void(
                            "img",
                            [
                                .attr("src", url), .attr("alt", "Фото чека"), .attr("loading", "lazy"),
                                .attr("width", "160"), .attr("height", "120"),
                            ])
                    ]))
            children.append(
                Forms.post(
                    Paths.deleteExpenseReceipt(id), csrf: model.context.csrfToken, attributes: [.cls("inline-form")],
                    [Forms.submit("Удалить фото", cls: "button button--small button--ghost")]))
        } else {
            children.append(.para("Фото чека не загружено.", cls: "muted"))
        }
        children.append(
            Forms.post(
                Paths.expenseReceipt(id), csrf: model.context.csrfToken,
                attributes: [.cls("stack receipt-upload"), .attr("enctype", "multipart/form-data")],
                [
                    Forms.input(
                        Field(
                            name: "file", label: model.hasReceipt ? "Заменить фото" : "Фотография чека", type: "file",
                            hint: "JPEG, PNG или WebP", isRequired: true,
                            extra: [.attr("accept", "image/*"), .attr("capture", "environment")])),
                    Forms.actions([Forms.submit("Загрузить фото", cls: "button")]),
                ]))
        return children
    }

    func fields() -> [Body] {
        let categories = ExpenseCategory.allCases.map { Choice(value: $0.rawValue, label: $0.title) }
        let machines = model.machines.map { Choice(value: $0.id, label: $0.name) }
        return [
            Forms.select(
                field("category", "Категория", values.category, required: true), options: categories,
                prompt: "Выберите категорию"),
            Forms.input(
                field(
                    "amount", "Сумма, ₽", values.amount, inputMode: "decimal", required: true,
                    placeholder: "12 500,00")),
            Forms.input(field("date", "Дата", values.date, type: "date", required: true)),
            Forms.select(
                field("equipment_id", "Техника", values.equipmentID), options: machines, prompt: "Без техники"),
            Forms.textArea(field("comment", "Комментарий", values.comment), rows: 3),
            Forms.input(
                field(
                    "attachment_url", "Фото чека (ссылка)", values.attachmentURL, type: "url", inputMode: "url",
                    placeholder: "https://…",
                    hint: "Ссылка на фото чека (http или https), например из облака.")),
        ]
    }

    func field(
        _ name: String, _ label: String, _ value: String, type: String = "text", inputMode: String? = nil,
        required: Bool = false, placeholder: String? = nil, hint: String? = nil
    ) -> Field {
        Field(
            name: name, label: label, value: value, type: type, inputMode: inputMode, placeholder: placeholder,
            hint: hint, error: model.errors[name], isRequired: required)
    }
}

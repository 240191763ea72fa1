import Domain
import Plot

/// «Добавить технику» / «Редактировать услугу»…
public struct CatalogFormPage: WebPage {
    public let model: CatalogFormModel

    public init(model: CatalogFormModel) {
        self.model = model
    }

    var kind: CatalogKind { model.kind }
    var values: CatalogFormModel.Values { model.values }

    public func html() -> HTML {
        let title = model.id == nil ? kind.addTitle : kind.editTitle
        let action = model.id.map { Paths.editCatalogItem(kind, $0) } ?? Paths.newCatalogItem(kind)
        let form = Forms.post(
            action, csrf: model.context.csrfToken, attributes: [.cls("stack")],
            [Forms.errorSummary(model.formError, errors: model.errors)] + fields() + [
                Forms.actions([
                    Forms.submit("Сохранить"),
                    Components.buttonLink(Paths.catalog(kind), "Отмена", cls: "button button--ghost"),
                ])
            ])
        return Layout.page(
            title: title, section: .catalog, context: model.context, back: Paths.catalog(kind),
            content: [Components.card([form], cls: "card--narrow")])
    }

    func fields() -> [Body] {
        switch kind {
        case .equipment: return equipmentFields()
        case .services: return serviceFields()
        case .materials: return materialFields()
        case .attachments: return attachmentFields()
        }
    }

    func equipmentFields() -> [Body] {
        return [
            Forms.input(field("code", "Код", values.code, required: true, placeholder: "EX-01")),
            Forms.input(field("name", "Название", values.name, required: true)),
            Forms.textArea(field("description", "Описание", values.description), rows: 3),
            Forms.input(money("hourly_rate", "Почасовая ставка, ₽", values.hourlyRate, required: true)),
            Forms.input(money("daily_rate", "Ставка за смену, ₽", values.dailyRate)),
            statusSelect(),
        ]
    }

    func serviceFields() -> [Body] {
        var result: [Body] = [Forms.input(field("name", "Название услуги", values.name, required: true))]
        if !model.serviceCategories.isEmpty {
            result.append(
                Forms.select(
                    field("category_id", "Категория", values.category),
                    options: model.serviceCategories, prompt: "Прочее"))
        }
        result += [
            Forms.input(money("price", "Цена услуги, ₽", values.price, required: true)),
            Forms.input(field("unit", "Единица измерения", values.unit, placeholder: "усл.")),
            Forms.textArea(field("description", "Описание", values.description), rows: 3),
        ]
        return result
    }

    func materialFields() -> [Body] {
        let categories = MaterialCategory.allCases.map { Choice(value: $0.rawValue, label: $0.title) }
        return [
            Forms.input(field("name", "Название материала", values.name, required: true)),
            Forms.select(
                field(
                    "category", "Категория",
                    values.category.isEmpty
                        ? MaterialCategory.soil.rawValue : values.category), options: categories),
            Forms.input(money("price", "Цена материала, ₽", values.price, required: true)),
            Forms.input(field("unit", "Единица измерения", values.unit, placeholder: "м³")),
        ]
    }

    func attachmentFields() -> [Body] {
        return [
            Forms.select(
                field("equipment_id", "Техника", values.equipmentID, required: true), options: model.equipment,
                prompt: "Выберите технику"),
            Forms.input(field("name", "Название", values.name, required: true)),
            Forms.input(money("price", "Цена, ₽", values.price)),
            statusSelect(),
        ]
    }

    func statusSelect() -> Body {
        let choices = EquipmentStatus.allCases.map { Choice(value: $0.rawValue, label: $0.title) }
        return Forms.select(field("status", "Статус", values.status), options: choices)
    }

    func field(
        _ name: String, _ label: String, _ value: String, required: Bool = false,
        placeholder: String? = nil
    ) -> Field {
        return Field(
            name: name, label: label, value: value, autocomplete: "off", placeholder: placeholder,
            error: model.errors[name], isRequired: required)
    }

    func money(_ name: String, _ label: String, _ value: String, required: Bool = false) -> Field {
        var result = field(name, label, value, required: required, placeholder: "0,00")
        result.inputMode = "decimal"
        return result
    }
}

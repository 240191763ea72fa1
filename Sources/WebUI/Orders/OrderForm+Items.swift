import Domain
import Plot

extension OrderFormPage {
    // MARK: - Items editor

    func itemsSection() -> Body {
        var rows = model.values.items
        rows.append(OrderFormModel.Item())
        var children: [Body] = [
            .para(
                "Техника считается по сменам (дневная ставка) и часам (почасовая ставка). "
                    + "Пустые строки не сохраняются.",
                cls: "field__hint")
        ]
        if let error = errors["items"] {
            children.append(.el("p", [.cls("field__error")], text: error))
        }
        children.append(
            .el(
                "div", [.cls("item-rows"), .attr("data-item-rows", "")],
                rows.enumerated().map { index, item in itemRow(item, index: index) }))
        children.append(
            .el(
                "button",
                [
                    .attr("type", "button"), .cls("button button--ghost"),
                    .attr("data-add-item", ""),
                ], text: "+ Добавить позицию"))
        children.append(catalogTemplate())
        children.append(rateList())
        return Forms.section("Позиции", children, cls: "items")
    }

    func itemRow(_ item: OrderFormModel.Item, index: Int) -> Body {
        let prefix = "items[\(index)]"
        return .el(
            "fieldset", [.cls("item-row"), .attr("data-item-row", "")],
            [
                .el("legend", [.cls("item-row__title")], text: "Позиция \(index + 1)"),
                Forms.hidden(prefix + "[line_id]", item.lineID),
                .div(cls: "grid-2", [kindSelect(item, prefix: prefix), refSelect(item, prefix: prefix)]),
                .div(
                    cls: "grid-3",
                    [
                        .el(
                            "div", [.cls("item-row__part"), .attr("data-kinds", "service material attachment")],
                            [
                                Forms.input(
                                    field(
                                        prefix + "[quantity]", "Количество", item.quantity, inputMode: "decimal",
                                        autocomplete: "off"))
                            ]),
                        .el(
                            "div", [.cls("item-row__part"), .attr("data-kinds", "equipment")],
                            [
                                Forms.input(
                                    field(
                                        prefix + "[shifts]", "Смены", item.shifts, inputMode: "numeric",
                                        autocomplete: "off"))
                            ]),
                        .el(
                            "div", [.cls("item-row__part"), .attr("data-kinds", "equipment")],
                            [
                                Forms.input(
                                    field(
                                        prefix + "[hours]", "Часы", item.hours, inputMode: "decimal",
                                        autocomplete: "off"))
                            ]),
                    ]),
                .el(
                    "button",
                    [
                        .attr("type", "button"), .cls("button button--small button--danger-ghost"),
                        .attr("data-remove-item", ""),
                    ], text: "Убрать позицию"),
            ])
    }

    func kindSelect(_ item: OrderFormModel.Item, prefix: String) -> Body {
        let choices = ItemType.allCases.map { Choice(value: $0.rawValue, label: $0.title) }
        var f = field(prefix + "[type]", "Тип", item.kind?.rawValue ?? ItemType.equipment.rawValue)
        f.extra = [.attr("data-item-kind", "")]
        return Forms.select(f, options: choices)
    }

    /// A saved row lists only its own type's entries (the page stays small with many rows); a blank row lists all.
    /// app.js rebuilds the list from `#catalog-options` whenever the type changes.
    func refSelect(_ item: OrderFormModel.Item, prefix: String) -> Body {
        let f = field(prefix + "[ref_id]", "Позиция каталога", item.refID)
        let kinds: [ItemType] = item.refID.isEmpty ? ItemType.allCases : [item.kind ?? .equipment]
        let groups: [Body] = kinds.compactMap { kind in catalogGroup(kind, selected: item) }
        let empty = Forms.option(Choice(value: "", label: "— Не выбрано —"), selected: item.refID.isEmpty)
        return .div(
            cls: f.error == nil ? "field" : "field has-error",
            [
                .el("label", [.attr("for", f.elementID), .cls("field__label")], text: f.label),
                .el(
                    "select",
                    [.attr("name", f.name), .ident(f.elementID), .cls("input"), .attr("data-item-ref", "")]
                        + errorAttributes(f), [empty] + groups),
                errorText(f),
            ])
    }

    /// Every catalogue group once, for app.js.
    func catalogTemplate() -> Body {
        let groups: [Body] = ItemType.allCases.compactMap { kind in catalogGroup(kind, selected: OrderFormModel.Item())
        }
        return .el("template", [.ident("catalog-options")], groups)
    }

    func catalogGroup(_ kind: ItemType, selected: OrderFormModel.Item) -> Body? {
        let entries = model.catalog.filter { $0.kind == kind }
        guard !entries.isEmpty else { return nil }
        let options: [Body] = entries.map { entry in
            let isSelected = selected.kind == kind && selected.refID == entry.id
            return Forms.option(Choice(value: entry.id, label: Self.optionLabel(entry)), selected: isSelected)
        }
        return .el("optgroup", [.attr("label", kind.groupTitle), .attr("data-kind", kind.rawValue)], options)
    }

    /// «Экскаватор JCB 3CX (EX-01)», «Песок, м³». Kept short: the picker is repeated in every row, and the prices come
    /// from «Рассчитать» and the catalogue.
    static func optionLabel(_ entry: OrderFormModel.CatalogOption) -> String {
        if let code = entry.code, !code.isEmpty { return entry.name + " (" + code + ")" }
        return entry.unit.isEmpty || entry.kind == .equipment ? entry.name : entry.name + ", " + entry.unit
    }

    /// One compact rate list for the whole form: «Экскаватор JCB 3CX — 2 500,00 ₽/ч · 18 000,00 ₽/смена».
    func rateList() -> Body {
        guard !model.catalog.isEmpty else { return .empty }
        let rows: [Body] = model.catalog.map { entry in
            .el(
                "li", [], [.span(cls: "rate-list__name", Self.optionLabel(entry)), .txt(" — " + Self.priceText(entry))])
        }
        return .el(
            "details", [.cls("rate-list")],
            [
                .el("summary", [], text: "Тарифы каталога"),
                .el("ul", [], rows),
            ])
    }

    static func priceText(_ entry: OrderFormModel.CatalogOption) -> String {
        var prices: [String] = []
        if entry.kind == .equipment {
            if let hourly = entry.price { prices.append(RussianFormat.money(hourly) + "/ч") }
            if let daily = entry.dailyRate { prices.append(RussianFormat.money(daily) + "/смена") }
        } else if let price = entry.price {
            prices.append(RussianFormat.money(price) + (entry.unit.isEmpty ? "" : " за " + entry.unit))
        }
        return prices.isEmpty ? "цена не указана" : prices.joined(separator: " · ")
    }

    // MARK: - Conflicts and preview

    func conflictsBox() -> Body {
        guard !model.conflicts.isEmpty else { return .empty }
        let timeZone = model.context.timeZone
        let items: [Body] = model.conflicts.map { conflict in
            .el(
                "li", [],
                [
                    .anchor(Paths.order(conflict.orderID), "Заявка " + conflict.orderNumber),
                    .txt(
                        " · " + conflict.resource + " · "
                            + RussianFormat.period(
                                conflict.start, conflict.end,
                                in: timeZone)),
                ])
        }
        return .el(
            "div", [.cls("conflicts"), .attr("role", "alert"), .ident("conflicts")],
            [
                .heading(2, "Пересечение по времени"),
                .para("Техника или операторы уже заняты в эти часы в других заявках:"),
                .el("ul", [], items),
            ])
    }

    var editedID: String? {
        if case .edit(let id, _) = model.mode { return id }
        return nil
    }

    func pricePreview() -> Body {
        return .el(
            "div",
            [
                .cls("preview"), .ident("price-preview"),
                .attr("data-preview-url", Paths.orderPreviewAPI(editedID)),
            ],
            [
                .el(
                    "button", [.attr("type", "button"), .cls("button"), .attr("data-preview", "")], text: "Рассчитать"),
                .el(
                    "div", [.cls("preview__result"), .attr("data-preview-result", ""), .attr("aria-live", "polite")],
                    [
                        .para(
                            "Нажмите «Рассчитать», чтобы увидеть стоимость по позициям и проверить занятость.",
                            cls: "muted")
                    ]),
            ])
    }
}

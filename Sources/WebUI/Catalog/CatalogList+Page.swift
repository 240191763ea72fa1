import Domain
import Plot

/// «Каталог»: tabs Техника / Услуги / Материалы / Навески, search, list, add, edit, deactivate/reactivate.
public struct CatalogListPage: WebPage {
    public let model: CatalogListModel

    public init(model: CatalogListModel) {
        self.model = model
    }

    var kind: CatalogKind { model.kind }

    public func html() -> HTML {
        var actions: [Body] =
            model.canEdit
            ? [Components.buttonLink(Paths.newCatalogItem(kind), "+ " + kind.addTitle, cls: "button button--primary")]
            : []
        if model.canEdit, let importKind = ImportKind(rawValue: kind.rawValue) {
            actions.append(Components.buttonLink(Paths.importTable(importKind), "Импорт", cls: "button button--ghost"))
        }
        return Layout.page(
            title: "Каталог", section: .catalog, context: model.context, actions: actions,
            content: [
                CatalogTabs.render(active: kind),
                searchForm(),
                results(),
            ])
    }

    func searchForm() -> Body {
        return Forms.get(
            Paths.catalog(kind), attributes: [.cls("filter-bar"), .attr("role", "search")],
            [
                Forms.input(
                    Field(
                        name: "q", label: "Поиск", value: model.q, type: "search", inputMode: "search",
                        autocomplete: "off", placeholder: "Название или код")),
                Forms.checkbox(name: "inactive", value: "1", label: "Показать неактивные", checked: model.showInactive),
                .div(cls: "filter-bar__buttons", [Forms.submit("Найти", cls: "button")]),
            ])
    }

    func results() -> Body {
        guard !model.rows.isEmpty else { return Components.empty(kind.emptyText) }
        var headers = headerTitles()
        if model.canEdit { headers.append("Действия") }
        return Components.table(headers: headers, rows: model.rows.map(cells), caption: kind.title)
    }

    func headerTitles() -> [String] {
        switch kind {
        case .equipment: ["Название", "Код", "Ставка за час", "Ставка за смену", "Статус"]
        case .services: ["Название", "Категория", "Цена", "Единица", "Статус"]
        case .materials: ["Название", "Категория", "Цена", "Единица", "Статус"]
        case .attachments: ["Название", "Техника", "Цена", "Статус"]
        }
    }

    func cells(_ row: CatalogListModel.Row) -> [Components.Cell] {
        var cells: [Components.Cell] = [Components.Cell("Название", text: row.name, cls: "cell-title")]
        let money: (Int64?) -> String = { $0.map(RussianFormat.money) ?? "—" }
        switch kind {
        case .equipment:
            cells += [
                Components.Cell("Код", text: row.code ?? "—"),
                Components.Cell("Ставка за час", text: money(row.price), cls: "num"),
                Components.Cell("Ставка за смену", text: money(row.dailyRate), cls: "num"),
            ]
        case .services, .materials:
            cells += [
                Components.Cell("Категория", text: row.group ?? "Без категории"),
                Components.Cell("Цена", text: money(row.price), cls: "num"),
                Components.Cell("Единица", text: row.unit.isEmpty ? "—" : row.unit),
            ]
        case .attachments:
            cells += [
                Components.Cell("Техника", text: row.group ?? "—"),
                Components.Cell("Цена", text: money(row.price), cls: "num"),
            ]
        }
        cells.append(Components.Cell("Статус", [statusChip(row)]))
        if model.canEdit { cells.append(Components.Cell("Действия", actions(row), cls: "cell-actions")) }
        return cells
    }

    func statusChip(_ row: CatalogListModel.Row) -> Body {
        guard row.isActive else { return Components.chip("Неактивна", tone: "muted") }
        guard let status = row.status else { return Components.chip("Активна", tone: "ok") }
        return Components.chip(status.title, tone: status == .available ? "ok" : "neutral")
    }

    func actions(_ row: CatalogListModel.Row) -> [Body] {
        let edit = Components.buttonLink(
            Paths.editCatalogItem(kind, row.id), "Изменить",
            cls: "button button--small button--ghost")
        let attributes: [Attr] =
            row.isActive
            ? [
                .cls("inline-form"),
                .attr("data-confirm", "Деактивировать «" + row.name + "»? Позиция пропадёт из выбора в заявках."),
            ]
            : [.cls("inline-form")]
        let toggle = Forms.post(
            Paths.catalogItemActive(kind, row.id), csrf: model.context.csrfToken,
            attributes: attributes,
            [
                Forms.hidden("active", row.isActive ? "false" : "true"),
                Forms.submit(
                    row.isActive ? "Деактивировать" : "Восстановить",
                    cls: "button button--small button--ghost"),
            ])
        return [edit, toggle]
    }
}

/// The catalogue section tabs.
enum CatalogTabs {
    static func render(active: CatalogKind) -> Body {
        let links: [Body] = CatalogKind.allCases.map { kind in
            var attributes: [Attr] = [.link(Paths.catalog(kind)), .cls(kind == active ? "tab is-active" : "tab")]
            if kind == active { attributes.append(.attr("aria-current", "page")) }
            return .el("a", attributes, text: kind.title)
        }
        return .el("nav", [.cls("tabs"), .attr("aria-label", "Разделы каталога")], links)
    }
}

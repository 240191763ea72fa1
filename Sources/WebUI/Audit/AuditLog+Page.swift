import Foundation
import Plot

/// «Журнал действий»: filters by user, entity type and period; who did what and when, with before → after.
public struct AuditLogPage: WebPage {
    public let model: AuditLogModel

    public init(model: AuditLogModel) {
        self.model = model
    }

    var filter: AuditLogModel.Filter { model.filter }

    public func html() -> HTML {
        return Layout.page(
            title: "Журнал действий", section: .audit, context: model.context,
            content: [
                filterForm(),
                .para("Найдено: " + RussianFormat.integer(model.totalCount), cls: "muted"),
                results(),
                Components.pager(page: model.page, totalPages: model.totalPages) { page in
                    Paths.auditLog(
                        user: filter.user, entity: filter.entity, from: filter.from, to: filter.to, page: page)
                },
            ])
    }

    func filterForm() -> Body {
        let userField = Field(name: "user", label: "Пользователь", value: filter.user, error: model.errors["user"])
        let entityField = Field(name: "entity", label: "Объект", value: filter.entity)
        let fromField = Field(
            name: "from", label: "Период с", value: filter.from, type: "date", autocomplete: "off",
            error: model.errors["from"])
        let toField = Field(
            name: "to", label: "Период по", value: filter.to, type: "date", autocomplete: "off",
            error: model.errors["to"])
        return Forms.get(
            Paths.audit(), attributes: [.cls("filter-bar audit-filter"), .attr("role", "search")],
            [
                Forms.select(userField, options: model.users, prompt: "Все пользователи"),
                Forms.select(entityField, options: AuditVocabulary.entityChoices, prompt: "Все объекты"),
                .div(cls: "filter-bar__dates", [Forms.input(fromField), Forms.input(toField)]),
                .div(
                    cls: "filter-bar__buttons",
                    [
                        Forms.submit("Показать", cls: "button"),
                        Components.buttonLink(Paths.audit(), "Сбросить", cls: "button button--ghost"),
                    ]),
            ])
    }

    func results() -> Body {
        guard !model.rows.isEmpty else { return Components.empty("Записей не найдено.") }
        return Components.table(
            headers: ["Время", "Пользователь", "Действие", "Объект", "Изменения"], rows: model.rows.map(cells),
            caption: "Журнал действий", cls: "rtable--audit")
    }

    func cells(_ row: AuditLogModel.Row) -> [Components.Cell] {
        let entity: Body = row.entityURL.map { .anchor($0, row.entity) } ?? .txt(row.entity)
        return [
            Components.Cell(
                "Время", [.el("time", [], text: RussianFormat.dateTime(row.at, in: model.context.timeZone))],
                cls: "cell-title"),
            Components.Cell("Пользователь", text: row.userName),
            Components.Cell("Действие", text: row.action),
            Components.Cell("Объект", [entity]),
            Components.Cell("Изменения", [changes(row.changes)]),
        ]
    }

    func changes(_ changes: [AuditLogModel.Change]) -> Body {
        guard !changes.isEmpty else { return .txt("—") }
        return .el("ul", [.cls("audit-changes")], changes.map(change))
    }

    /// «Сумма: 1 000,00 ₽ → 1 500,00 ₽» (было → стало); a new value «— → …», a removed one «… → —».
    func change(_ change: AuditLogModel.Change) -> Body {
        var children: [Body] = [.span(cls: "audit-changes__field", change.label + ": ")]
        if change.isTransition {
            children += [
                .span(cls: "audit-changes__before", change.before ?? "—"),
                .txt(" → "),
                .span(cls: "audit-changes__after", change.after ?? "—"),
            ]
        } else {
            children.append(.span(cls: "audit-changes__value", change.after ?? "—"))
        }
        return .el("li", [], children)
    }
}

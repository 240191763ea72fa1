import Domain
import Foundation
import Plot

/// Small shared pieces: status chips, KPI cards, empty states, responsive tables, paging, period filter.
enum Components {
    /// A coloured chip with `OrderStatus.title`.
    static func statusChip(_ status: OrderStatus) -> Body {
        return .span(cls: "chip chip--" + statusClass(status), RussianFormat.status(status))
    }

    static func statusClass(_ status: OrderStatus) -> String {
        switch status {
        case .draft: "draft"
        case .created: "created"
        case .approved: "approved"
        case .inProgress: "in-progress"
        case .completed: "completed"
        case .cancelled: "cancelled"
        }
    }

    /// A neutral chip («Неактивна», «Оплачена»…).
    static func chip(_ text: String, tone: String = "neutral") -> Body {
        return .span(cls: "chip chip--" + tone, text)
    }

    /// A KPI tile: a caption, a big value and an optional note.
    static func kpi(_ title: String, _ value: String, note: String? = nil) -> Body {
        var children: [Body] = [.span(cls: "kpi__title", title), .span(cls: "kpi__value", value)]
        if let note { children.append(.span(cls: "kpi__note", note)) }
        return .div(cls: "kpi", children)
    }

    static func kpiGrid(_ tiles: [Body]) -> Body {
        return .div(cls: "kpi-grid", tiles)
    }

    static func empty(_ text: String) -> Body {
        return .el("p", [.cls("empty")], text: text)
    }

    static func card(_ children: [Body], cls: String = "") -> Body {
        return .el("section", [.cls(cls.isEmpty ? "card" : "card " + cls)], children)
    }

    /// A button-looking link.
    static func buttonLink(_ url: String, _ title: String, cls: String = "button") -> Body {
        return .anchor(url, title, cls: cls)
    }

    // MARK: - Responsive table

    /// One table cell: its column header (repeated as a label on phones, where rows become cards) and content.
    struct Cell {
        var label: String
        var content: [Body]
        var cls: String = ""

        init(_ label: String, _ content: [Body], cls: String = "") {
            self.label = label
            self.content = content
            self.cls = cls
        }

        init(_ label: String, text: String, cls: String = "") {
            self.init(label, [.txt(text)], cls: cls)
        }
    }

    /// A table on desktop that turns into one card per row on phones (CSS uses `data-label`).
    static func table(headers: [String], rows: [[Cell]], caption: String? = nil, cls: String = "") -> Body {
        var parts: [Body] = []
        if let caption { parts.append(.el("caption", [.cls("visually-hidden")], text: caption)) }
        let headerCells: [Body] = headers.map { .el("th", [.attr("scope", "col")], text: $0) }
        parts.append(.el("thead", [], [.el("tr", [], headerCells)]))
        parts.append(.el("tbody", [], rows.map(tableRow)))
        let classes = cls.isEmpty ? "rtable" : "rtable " + cls
        return .div(cls: "table-wrap", [.el("table", [.cls(classes)], parts)])
    }

    private static func tableRow(_ cells: [Cell]) -> Body {
        return .el(
            "tr", [],
            cells.map { cell in
                let attributes: [Attr] =
                    cell.cls.isEmpty
                    ? [.attr("data-label", cell.label)] : [.attr("data-label", cell.label), .cls(cell.cls)]
                return .el("td", attributes, cell.content)
            })
    }

    // MARK: - Paging

    /// «← Назад · Страница 2 из 5 · Вперёд →». `url(page)` builds each page's link.
    static func pager(page: Int, totalPages: Int, url: (Int) -> String) -> Body {
        guard totalPages > 1 else { return .empty }
        var children: [Body] = []
        if page > 1 {
            children.append(
                .el(
                    "a", [.cls("button button--ghost"), .link(url(page - 1)), .attr("rel", "prev")],
                    text: "← Назад"))
        }
        children.append(.span(cls: "pager__info", "Страница \(page) из \(totalPages)"))
        if page < totalPages {
            children.append(
                .el(
                    "a", [.cls("button button--ghost"), .link(url(page + 1)), .attr("rel", "next")],
                    text: "Вперёд →"))
        }
        return .el("nav", [.cls("pager"), .attr("aria-label", "Страницы")], children)
    }

    // MARK: - Period filter

    /// «Период с» / «Период по» date inputs (GET `from`, `to` as `yyyy-MM-dd`), «Показать» and «Сбросить».
    static func periodFilter(action: String, from: String, to: String, extra: [Body] = []) -> Body {
        let fromField = Field(name: "from", label: "Период с", value: from, type: "date", autocomplete: "off")
        let toField = Field(name: "to", label: "Период по", value: to, type: "date", autocomplete: "off")
        return Forms.get(
            action, attributes: [.cls("filter-bar")],
            extra + [
                .div(cls: "filter-bar__dates", [Forms.input(fromField), Forms.input(toField)]),
                .div(
                    cls: "filter-bar__buttons",
                    [
                        Forms.submit("Показать", cls: "button"),
                        buttonLink(action, "Сбросить", cls: "button button--ghost"),
                    ]),
            ])
    }
}

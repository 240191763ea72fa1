import Domain
import Plot

/// What «Счета» and «Платежи» share: the payment methods as the office names them, sortable column headers,
/// the export links.
public enum MoneyLists {
    /// The methods the forms offer, in the office's words (наличные, безнал, карта).
    public static let formMethods: [PaymentMethod] = [.cash, .bankTransfer, .online]

    public static func methodTitle(_ method: PaymentMethod) -> String {
        switch method {
        case .cash: "Наличные"
        case .bankTransfer: "Безнал"
        case .online: "Карта"
        case .other: "Другое"
        }
    }

    /// The form's choices; a stored method outside them (`other`) stays selectable on its own payment.
    static func methodChoices(including current: String = "") -> [Choice] {
        var methods = formMethods
        if let stored = PaymentMethod(rawValue: current), !methods.contains(stored) { methods.append(stored) }
        return methods.map { Choice(value: $0.rawValue, label: methodTitle($0)) }
    }

    /// A column of a sortable list: its title and its `sort` key (nil: not sortable).
    struct Column {
        var title: String
        var key: String?
        var cls = ""
    }

    /// The responsive table (`Components.table`'s markup) whose sortable headers link to `url(sort)`:
    /// ascending first, descending on the second click; `aria-sort` marks the current column.
    static func table(
        columns: [Column], sort: String, rows: [[Components.Cell]], caption: String, url: (String) -> String
    ) -> Body {
        let headers: [Body] = columns.map { column in
            guard let key = column.key else { return .el("th", [.attr("scope", "col")], text: column.title) }
            let ascending = sort == key
            let descending = sort == "-" + key
            let next = ascending ? "-" + key : key
            var attributes: [Attr] = [.attr("scope", "col")]
            if ascending || descending { attributes.append(.attr("aria-sort", ascending ? "ascending" : "descending")) }
            let arrow = ascending ? " ↑" : descending ? " ↓" : ""
            return .el(
                "th", attributes, [.el("a", [.link(url(next)), .cls("sort-link")], text: column.title + arrow)])
        }
        let body: [Body] = rows.map { cells in
            .el(
                "tr", [],
                cells.map { cell in
                    var attributes: [Attr] = [.attr("data-label", cell.label)]
                    if !cell.cls.isEmpty { attributes.append(.cls(cell.cls)) }
                    return .el("td", attributes, cell.content)
                })
        }
        return .div(
            cls: "table-wrap",
            [
                .el(
                    "table", [.cls("rtable rtable--money")],
                    [
                        .el("caption", [.cls("visually-hidden")], text: caption),
                        .el("thead", [], [.el("tr", [], headers)]),
                        .el("tbody", [], body),
                    ])
            ])
    }

    /// «Скачать CSV» / «Скачать XLSX» of the filtered list.
    static func exportLinks(_ url: (String) -> String) -> [Body] {
        return ["csv", "xlsx"].map { format in
            .el(
                "a", [.cls("button button--small"), .link(url(format)), .attr("download", "")],
                text: "Скачать " + format.uppercased())
        }
    }
}

import Domain
import Foundation
import Plot

/// One order in a list (dashboard, orders list).
public struct OrderSummary: Sendable {
    public var id: String
    /// `000042`.
    public var number: String
    public var status: OrderStatus
    public var clientName: String?
    public var address: String
    public var start: Date
    public var end: Date?
    /// Kopecks.
    public var total: Int64
    public var operatorNames: [String]

    public init(
        id: String, number: String, status: OrderStatus, clientName: String?, address: String, start: Date,
        end: Date? = nil, total: Int64, operatorNames: [String] = []
    ) {
        self.id = id
        self.number = number
        self.status = status
        self.clientName = clientName
        self.address = address
        self.start = start
        self.end = end
        self.total = total
        self.operatorNames = operatorNames
    }
}

/// Order cards (phones and dashboard).
enum OrderCards {
    static func list(_ orders: [OrderSummary], showTotals: Bool, timeZone: TimeZone, empty: String) -> Body {
        guard !orders.isEmpty else { return Components.empty(empty) }
        return .el(
            "ul", [.cls("order-cards")],
            orders.map { order in
                .el("li", [], [card(order, showTotal: showTotals, timeZone: timeZone)])
            })
    }

    static func card(_ order: OrderSummary, showTotal: Bool, timeZone: TimeZone) -> Body {
        var lines: [Body] = [
            .div(
                cls: "order-card__head",
                [
                    .span(cls: "order-card__number", "Заявка " + order.number),
                    Components.statusChip(order.status),
                ]),
            .para(order.clientName ?? "Клиент не указан", cls: "order-card__client"),
            .para(order.address, cls: "order-card__address"),
            .para(RussianFormat.period(order.start, order.end, in: timeZone), cls: "order-card__period"),
        ]
        if !order.operatorNames.isEmpty {
            lines.append(.para("Операторы: " + order.operatorNames.joined(separator: ", "), cls: "muted"))
        }
        if showTotal {
            lines.append(.para(RussianFormat.money(order.total), cls: "order-card__total"))
        }
        return .el("a", [.cls("order-card"), .link(Paths.order(order.id))], lines)
    }
}

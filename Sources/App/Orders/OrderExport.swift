import Domain
import Foundation
import SQLKit
import Vapor

/// `GET /orders/?export=csv|xlsx`: the filtered order list (same filters, scope and ordering as the JSON list,
/// all pages), read in chunks and written straight to a temporary file, so memory stays flat for any count.
struct OrderExport {
    let sql: any SQLDatabase
    let timeZone: TimeZone

    static let chunkSize = 1000

    static let headers = [
        "Номер", "Статус", "Клиент", "Телефон клиента", "Адрес", "Начало", "Окончание", "Менеджер", "Операторы",
        "Сумма", "Предоплата", "Оплачено", "Создана",
    ]

    func respond(_ req: Request, query: OrderListQuery, export: ExportRequest) async throws -> Response {
        try await AuditRecorder(request: req).record(
            .export, entity: "order", id: "list",
            changes: ["format": .string(export.format.rawValue), "query": .string(req.url.query ?? "")])
        return try await TableExport.respond(
            req, export: export, filename: "orders", sheetName: "Заявки", headers: Self.headers
        ) { table in
            var page = 1
            while true {
                let ids = try await query.ids(page: PageRequest(page: page, size: Self.chunkSize), on: sql)
                for row in try await rows(ids) { try table.write(row) }
                if ids.count < Self.chunkSize { break }
                page += 1
            }
        }
    }

    /// The export rows of a chunk of orders, in the given order.
    private func rows(_ ids: [String]) async throws -> [[ExportCell]] {
        guard !ids.isEmpty else { return [] }
        let rows = try await sql.raw(
            """
            SELECT o.id, o.number, o.status, o.address, o.start_at, o.end_at, o.total_amount, o.prepayment_amount,
                   o.created_at, c.name AS client_name, c.phone AS client_phone,
                   m.first_name AS manager_first_name, m.last_name AS manager_last_name,
                   CAST(COALESCE((SELECT SUM(p.amount) FROM payments p
                                  WHERE p.order_id = o.id AND p.status = \(bind: "success")), 0) AS BIGINT) AS paid
            FROM orders o
            LEFT JOIN clients c ON c.id = o.client_id
            LEFT JOIN users m ON m.id = o.manager_id
            WHERE o.id IN (\(binds: ids))
            """
        ).all()
        var operators: [String: [String]] = [:]
        for row in try await sql.raw(
            """
            SELECT oo.order_id, u.first_name, u.last_name FROM order_operators oo JOIN users u ON u.id = oo.user_id
            WHERE oo.order_id IN (\(binds: ids)) ORDER BY oo.order_id, u.id
            """
        ).all() {
            let name = "\(try row.decode(column: "first_name", as: String.self)) \(try row.decode(column: "last_name", as: String.self))"
            operators[try row.decode(column: "order_id", as: String.self), default: []]
                .append(name.trimmingCharacters(in: .whitespaces))
        }
        var byID: [String: [ExportCell]] = [:]
        for row in rows {
            let id = try row.decode(column: "id", as: String.self)
            let status = OrderStatus(rawValue: try row.decode(column: "status", as: String.self))
            let manager = try row.decode(column: "manager_first_name", as: String?.self).map {
                "\($0) \((try? row.decode(column: "manager_last_name", as: String?.self)) ?? "")"
                    .trimmingCharacters(in: .whitespaces)
            }
            let statusText = try status?.title ?? row.decode(column: "status", as: String.self)
            byID[id] = [
                .text(try row.decode(column: "number", as: String.self)),
                .text(statusText),
                .optionalText(try row.decode(column: "client_name", as: String?.self)),
                .optionalText(try row.decode(column: "client_phone", as: String?.self)),
                .text(try row.decode(column: "address", as: String.self)),
                .text(localTime(try row.decode(column: "start_at", as: Date.self))),
                .optionalText(try row.decode(column: "end_at", as: Date?.self).map(localTime)),
                .optionalText(manager),
                .text((operators[id] ?? []).joined(separator: ", ")),
                .money(try row.decode(column: "total_amount", as: Int64.self)),
                .money(try row.decode(column: "prepayment_amount", as: Int64.self)),
                .money(try row.decode(column: "paid", as: Int64.self)),
                .text(localTime(try row.decode(column: "created_at", as: Date.self))),
            ]
        }
        return ids.compactMap { byID[$0] }
    }

    /// `2025-03-10 08:00` in the company zone.
    private func localTime(_ date: Date) -> String {
        String(ISOTime.format(date, in: timeZone).prefix(16)).replacingOccurrences(of: "T", with: " ")
    }
}

import Foundation
import SQLKit
import Vapor

/// The `from`/`to` of a report or finance list, with one date rule for everything: the work's start
/// (`orders.start_at`), both bounds inclusive in the company time zone (`to=2025-03-31` is the whole of 31 March).
///
/// Records without an order of their own (an unlinked rent expense, a salary whose order was removed) and
/// records of cancelled orders count by their own date. An unparsable bound is a 400, not an open bound.
struct ReportPeriod: Sendable {
    /// The query values as given, echoed in `period`.
    var rawFrom: String?
    var rawTo: String?
    /// Inclusive start.
    var start: Date?
    /// Exclusive end.
    var end: Date?
    /// The first and last calendar day (inclusive), for date-only columns such as `expenses.date`.
    var firstDay: String?
    var lastDay: String?

    init(rawFrom: String? = nil, rawTo: String? = nil, start: Date? = nil, end: Date? = nil, timeZone: TimeZone) {
        self.rawFrom = rawFrom
        self.rawTo = rawTo
        self.start = start
        self.end = end
        firstDay = start.map { ISOTime.day(of: $0, in: timeZone) }
        lastDay = end.map { ISOTime.day(of: $0.addingTimeInterval(-0.001), in: timeZone) }
    }

    init(request req: Request, fromKey: String = "from", toKey: String = "to") throws {
        let timeZone = req.application.config.timeZone
        var errors: [String: [String]] = [:]
        let rawFrom: String? = req.queryValues[fromKey]
        let rawTo: String? = req.queryValues[toKey]
        let start = try DayBound.parse(rawFrom, key: fromKey, end: false, timeZone: timeZone, errors: &errors)
        let end = try DayBound.parse(rawTo, key: toKey, end: true, timeZone: timeZone, errors: &errors)
        if let start, let end, end <= start {
            errors[toKey, default: []].append("Конец периода должен быть не раньше его начала.")
        }
        if !errors.isEmpty { throw FieldErrors(errors) }
        self.init(
            rawFrom: rawFrom.flatMap { $0.isEmpty ? nil : $0 }, rawTo: rawTo.flatMap { $0.isEmpty ? nil : $0 },
            start: start, end: end, timeZone: timeZone)
    }

    var isBounded: Bool { start != nil || end != nil }

    // MARK: - SQL conditions

    /// `<alias>` is a completed order whose work started in the period.
    func completedOrder(_ alias: String) -> SQLQueryString {
        var condition: SQLQueryString = "\(ident: alias).status = \(bind: "COMPLETED")"
        condition += startBounds("\(alias).start_at")
        return condition
    }

    /// `start_at`-style bounds on a timestamp column (`" AND c >= ? AND c < ?"`, empty when unbounded).
    func startBounds(_ qualifiedColumn: String) -> SQLQueryString {
        var condition: SQLQueryString = ""
        let column = Self.qualified(qualifiedColumn)
        if let start { condition += " AND \(column) >= \(bind: start)" }
        if let end { condition += " AND \(column) < \(bind: end)" }
        return condition
    }

    /// Bounds on a `YYYY-MM-DD` text column.
    func dayBounds(_ qualifiedColumn: String) -> SQLQueryString {
        var condition: SQLQueryString = ""
        let column = Self.qualified(qualifiedColumn)
        if let firstDay { condition += " AND \(column) >= \(bind: firstDay)" }
        if let lastDay { condition += " AND \(column) <= \(bind: lastDay)" }
        return condition
    }

    /// The expenses (own date `date`) or salary records (own date `created_at`) that count in the period, as a row
    /// source: those of a completed order whose work started in the period, and those without an order or of a
    /// cancelled one by their own date. The two cases cannot overlap, so they are a `UNION ALL` that an index
    /// serves each: the period's completed orders (`ix_orders_status_start`) with their records (by order id), and
    /// the records by their own date (an `OR` over a left join read every record of the table). `columns` are read
    /// from the record `r` (`"r.category AS category, r.amount AS amount"`).
    func countedRecords(_ table: CountedTable, columns: String) -> SQLQueryString {
        var query: SQLQueryString = "SELECT \(unsafeRaw: columns) FROM orders o JOIN \(ident: table.rawValue) r "
        query += "ON r.order_id = o.id WHERE "
        query += completedOrder("o")
        query += " UNION ALL SELECT \(unsafeRaw: columns) FROM \(ident: table.rawValue) r "
        query += "LEFT JOIN orders o ON o.id = r.order_id WHERE (o.id IS NULL OR o.status = \(bind: "CANCELLED"))"
        query += table == .expenses ? dayBounds("r.date") : startBounds("r.created_at")
        return query
    }

    enum CountedTable: String {
        case expenses
        case salaryRecords = "salary_records"
    }

    private static func qualified(_ name: String) -> any SQLExpression {
        let parts = name.split(separator: ".").map(String.init)
        return parts.count == 2 ? SQLColumn(parts[1], table: parts[0]) : SQLColumn(name)
    }

    /// `{"from": …, "to": …}` as given.
    func write(into writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("from", rawFrom)
        writer.field("to", rawTo)
        writer.endObject()
    }
}

enum FinanceJSON {
    static func response(_ writer: JSONWriter, status: HTTPResponseStatus = .ok) -> Response {
        let response = Response(status: status, body: .init(data: Data(writer.bytes)))
        response.headers.contentType = .json
        return response
    }

    static func money(_ kopecks: Int64) -> String { Scaled.text(kopecks, scale: 2) }
    static func hundredths(_ value: Int64) -> String { Scaled.text(value, scale: 2) }
}

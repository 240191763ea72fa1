import Fluent
import Foundation
import SQLKit
import Vapor

/// Query-string filters of a list endpoint (`?status=…&is_active=…&search=…`), collected as SQL conditions.
/// A malformed value is a 400 naming the parameter, as django-filter answers.
struct ListFilters {
    private let request: Request
    private(set) var expressions: [any SQLExpression] = []
    private var errors: [String: [String]] = [:]

    init(request: Request) {
        self.request = request
    }

    private func value(_ parameter: String) -> String? {
        guard let raw: String = request.queryValues[parameter] else { return nil }
        let text = raw.trimmingCharacters(in: .whitespaces)
        return text.isEmpty ? nil : text
    }

    private mutating func equal(_ column: String, _ value: some Encodable & Sendable) {
        expressions.append(SQLBinaryExpression(SQLColumn(column), .equal, SQLBind(value)))
    }

    /// `?is_active=true|false`.
    mutating func flag(_ parameter: String, column: String? = nil) {
        guard let text = value(parameter) else { return }
        guard let flag = QueryFlag.parse(text) else {
            errors[parameter, default: []].append(FieldMessage.boolean)
            return
        }
        equal(column ?? parameter, flag)
    }

    /// `?status=available`: one of the enum's raw values.
    mutating func choice<Choice: RawRepresentable>(_ parameter: String, as type: Choice.Type, column: String? = nil)
    where Choice.RawValue == String {
        guard let text = value(parameter) else { return }
        guard let choice = Choice(rawValue: text) ?? Choice(rawValue: text.lowercased()) else {
            errors[parameter, default: []].append(FieldMessage.choice(text))
            return
        }
        equal(column ?? parameter, choice.rawValue)
    }

    /// `?category=3`: an integer id.
    mutating func id(_ parameter: String, column: String) {
        guard let text = value(parameter) else { return }
        guard let id = Int(text) else {
            errors[parameter, default: []].append(FieldMessage.integer)
            return
        }
        equal(column, id)
    }

    /// `?city=Краснодар`: exact text.
    mutating func exact(_ parameter: String, column: String? = nil) {
        guard let text = value(parameter) else { return }
        equal(column ?? parameter, text)
    }

    /// `?search=a b`: every term must occur in the table's `search_text`.
    mutating func search() {
        guard let text = value("search") else { return }
        expressions.append(contentsOf: SearchFilter.terms(text))
    }

    func validate() throws {
        if !errors.isEmpty { throw FieldErrors(errors) }
    }
}

/// One page of row ids of a table, filtered and ordered in SQL; the caller loads the rows by id.
struct ListPage {
    var count: Int
    var ids: [Int]
    var next: String?
    var previous: String?

    /// Runs the count and the id query for the request's `?page=` / `?page_size=`.
    /// `ordering` lists SQL expressions (columns or subqueries); `id` is always the last tie-breaker.
    static func load(
        table: String, filters: [any SQLExpression], ordering: [(expression: any SQLExpression, descending: Bool)],
        for request: Request
    ) async throws -> ListPage {
        let page = try PageRequest(request: request)
        let sql = try request.db.sql()
        let count = try await SearchFilter.count(table: table, filters: filters, on: sql)
        try PageLinks.checkInRange(page, count: count)
        var select = sql.select().column(SQLColumn("id", table: table)).from(table)
        for filter in filters { select = select.where(filter) }
        for (expression, descending) in ordering {
            select = select.orderBy(expression, descending ? SQLDirection.descending : SQLDirection.ascending)
        }
        let ids = try await select.orderBy(SQLColumn("id", table: table)).limit(page.size).offset(page.offset).all()
            .map { try $0.decode(column: "id", as: Int.self) }
        let links = PageLinks.links(for: request, page: page, count: count)
        return ListPage(count: count, ids: ids, next: links.next, previous: links.previous)
    }

    /// Plain columns of `table` for `?ordering=`, restricted to `allowed` (unknown fields are ignored).
    static func ordering(
        _ request: Request, table: String, allowed: [String: String], fallback: [String],
        special: [String: any SQLExpression] = [:]
    ) -> [(expression: any SQLExpression, descending: Bool)] {
        OrderingParser.parse(request.queryValues["ordering"], allowed: allowed, fallback: fallback).map {
            column, descending in
            (special[column] ?? SQLColumn(column, table: table), descending)
        }
    }

    /// The envelope with the rows in the order of `ids`.
    func page<Item: Content>(_ items: [Item], id: (Item) -> Int) -> Page<Item> {
        let byID = Dictionary(items.map { (id($0), $0) }, uniquingKeysWith: { first, _ in first })
        return Page(count: count, next: next, previous: previous, results: ids.compactMap { byID[$0] })
    }
}

/// Whether orders point at a catalog row or a client; such rows are deactivated instead of deleted.
enum OrderReferences {
    /// Some order line refers to the catalog row (`order_items.item_type` + `ref_id`).
    static func lineExists(_ type: String, ids: [Int], on db: any Database) async throws -> Bool {
        guard !ids.isEmpty else { return false }
        let rows = try await (try db.sql()).select().column(SQLLiteral.numeric("1"), as: "found").from("order_items")
            .where("item_type", .equal, type)
            .where("ref_id", .in, ids)
            .limit(1).all()
        return !rows.isEmpty
    }

    /// Some row of `table` has `column` equal to `id`.
    static func rowExists(table: String, column: String, id: Int, on db: any Database) async throws -> Bool {
        let rows = try await (try db.sql()).select().column(SQLLiteral.numeric("1"), as: "found").from(table)
            .where(SQLColumn(column), .equal, SQLBind(id))
            .limit(1).all()
        return !rows.isEmpty
    }
}

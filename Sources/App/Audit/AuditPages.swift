import Domain
import Foundation
import Vapor
import WebUI

/// «Журнал действий» (docs/ui.md#audit-log): registered by `registerWebRoutes`. Admins only, as
/// `GET /api/v1/audit/`.
func registerAuditPages(_ signedIn: any RoutesBuilder) {
    let audit = signedIn.grouped(RequireSection(section: .audit))
    audit.get("audit", use: AuditWebController().list)
}

/// `/audit`: the filter in → `AuditService` (the API's reads) → one page of entries, newest first.
struct AuditWebController {
    static let pageSize = 50

    @Sendable func list(req: Request) async throws -> Response {
        let service = try req.auditTrail
        let timeZone = req.application.config.timeZone
        var errors: FormErrors = [:]
        var filter = AuditService.Filter()
        let user = (req.queryValues["user"] ?? "").trimmingCharacters(in: .whitespaces)
        if !user.isEmpty {
            if let id = Int(user) { filter.actorID = id } else { errors["user"] = "Выберите пользователя из списка." }
        }
        let entity = (req.queryValues["entity"] ?? "").trimmingCharacters(in: .whitespaces)
        if !entity.isEmpty { filter.entityType = entity }
        let from = (req.queryValues["from"] ?? "").trimmingCharacters(in: .whitespaces)
        let to = (req.queryValues["to"] ?? "").trimmingCharacters(in: .whitespaces)
        var bounds: [String: [String]] = [:]
        filter.from = try DayBound.parse(from, key: "from", end: false, timeZone: timeZone, errors: &bounds)
        filter.to = try DayBound.parse(to, key: "to", end: true, timeZone: timeZone, errors: &bounds)
        for (key, messages) in bounds { errors[key] = messages.joined(separator: " ") }
        let count = try await service.count(filter)
        let (page, totalPages) = req.webPage(count: count, size: Self.pageSize)
        let entries = try await service.entries(filter, limit: Self.pageSize, offset: (page - 1) * Self.pageSize)
        let names = try await service.names(of: entries)
        let users = try await service.actors().map { Choice(value: String($0.id), label: $0.name) }
        let model = AuditLogModel(
            context: req.pageContext(),
            filter: .init(
                user: errors["user"] == nil ? user : "", entity: entity, from: errors["from"] == nil ? from : "",
                to: errors["to"] == nil ? to : ""),
            rows: entries.map { Self.row($0, names: names, timeZone: timeZone) }, users: users, page: page,
            totalPages: totalPages, totalCount: count, errors: errors)
        return WebReply.page(AuditLogPage(model: model), on: req)
    }

    // MARK: - Entries as rows

    static func row(_ entry: AuditService.Entry, names: [String: String], timeZone: TimeZone) -> AuditLogModel.Row {
        let type = entry.entity_type
        let name = names[type + ":" + entry.entity_id]
        let title = AuditVocabulary.entity(type)
        let entity: String =
            switch type {
            case "order", "invoice": title + " " + (name ?? entry.entity_id)
            case "client", "user": name.map { title + " «" + $0 + "»" } ?? title + " № " + entry.entity_id
            case "report": title + " «" + (ReportKind(rawValue: entry.entity_id)?.title ?? entry.entity_id) + "»"
            default: title + " № " + entry.entity_id
            }
        let changes = JSONValue.parse(entry.changes)?.objectValue ?? [:]
        return AuditLogModel.Row(
            id: String(entry.id), at: entry.created_at,
            userName: entry.actor_name.isEmpty ? (entry.actor_id == nil ? "Система" : "—") : entry.actor_name,
            action: AuditVocabulary.action(entry.action), entity: entity,
            entityURL: entry.action == "delete" ? nil : url(type: type, id: entry.entity_id),
            changes: Self.changes(AuditRecorder.redacted(changes), entity: type, timeZone: timeZone))
    }

    /// The page of an entity, where there is one.
    static func url(type: String, id: String) -> String? {
        switch type {
        case "order": UUID(uuidString: id) == nil ? nil : Paths.order(id)
        case "client": Int(id) == nil ? nil : Paths.client(id)
        case "invoice": Int(id) == nil ? nil : Paths.invoice(id)
        case "payment": Paths.payments()
        case "expense": Paths.expenses()
        case "salary_record": Paths.salaries()
        case "user": Int(id) == nil ? nil : Paths.editUser(id)
        case "equipment": Paths.editCatalogItem(.equipment, id)
        case "service": Paths.editCatalogItem(.services, id)
        case "material": Paths.editCatalogItem(.materials, id)
        case "attachment": Paths.editCatalogItem(.attachments, id)
        case "report": ReportKind(rawValue: id).map { Paths.report($0) }
        default: nil
        }
    }

    /// The changed fields in key order: `{"from", "to"}` pairs as было → стало (pairs that read the same left
    /// out), other values as plain facts (empty ones left out).
    static func changes(
        _ changes: [String: JSONValue], entity: String, timeZone: TimeZone
    ) -> [AuditLogModel.Change] {
        changes.sorted { $0.key < $1.key }.compactMap { key, value -> AuditLogModel.Change? in
            let label = AuditVocabulary.field(key)
            if let pair = value.objectValue, !pair.isEmpty, Set(pair.keys).isSubset(of: ["from", "to"]) {
                let before = pair["from"]
                let after = pair["to"]
                let old = before.flatMap { text($0, key: key, entity: entity, timeZone: timeZone) }
                let new = after.flatMap { text($0, key: key, entity: entity, timeZone: timeZone) }
                // An empty field that stayed empty (a new entity's blank description) is not a change.
                if old == new { return nil }
                return AuditLogModel.Change(label: label, before: old, after: new)
            }
            guard let fact = text(value, key: key, entity: entity, timeZone: timeZone) else { return nil }
            return AuditLogModel.Change(label: label, before: nil, after: fact, isTransition: false)
        }
    }

    /// A stored value in words: vocabularies translated, times (stored as seconds since 1970) in the company's
    /// zone, money with its sign, yes/no; nil for an empty value.
    static func text(_ value: JSONValue, key: String, entity: String, timeZone: TimeZone) -> String? {
        switch value {
        case .null: return nil
        case .bool(let flag): return flag ? "да" : "нет"
        case .number(let number): return RussianFormat.decimal(number)
        case .array(let items):
            let parts = items.compactMap { text($0, key: key, entity: entity, timeZone: timeZone) }
            return parts.isEmpty ? nil : parts.joined(separator: ", ")
        case .object: return value.jsonText
        case .string(let string):
            if string.isEmpty { return nil }
            if let word = AuditVocabulary.value(string, field: key, entity: entity) { return word }
            if key.hasSuffix("_dt") || key.hasSuffix("_at"), let seconds = Double(string) {
                return RussianFormat.dateTime(Date(timeIntervalSince1970: seconds), in: timeZone)
            }
            if moneyFields.contains(key), let kopecks = Money(string: string)?.kopecks {
                return RussianFormat.money(kopecks)
            }
            return string
        }
    }

    static let moneyFields: Set<String> = [
        "amount", "prepayment_amount", "total_amount", "estimated_total", "credit_limit", "price", "hourly_rate",
        "daily_rate",
    ]
}

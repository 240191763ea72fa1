import Domain
import Fluent
import Foundation
import Vapor

/// What a spreadsheet import refuses as a whole (a bad row is a problem of its line, not an error).
enum TableImportError: APIMappedError {
    case forbidden
    case unreadable(String)
    /// The preview to commit is gone (too old, or another server).
    case expired

    var apiError: any Error {
        switch self {
        case .forbidden: APIError.forbidden()
        case .unreadable(let message): FieldErrors("file", message)
        case .expired: FieldErrors("file", "Предпросмотр устарел: загрузите файл ещё раз.")
        }
    }
}

/// Equipment, services, materials and clients from a spreadsheet (docs/import.md#spreadsheets): every row is
/// read (`ImportSheet`) and checked by the catalogue's and the clients' own rules (their services' `apply`)
/// before anything is written; then the good rows are saved in one transaction, each with its audit entry.
/// An existing row is found by code (equipment), ИНН or name (clients) or name (services, materials) and
/// updated with the file's cells (an empty one clears an optional field).
struct TableImportService {
    let context: ServiceContext

    var db: any Database { context.db }

    /// The same roles that edit the catalogue and the clients.
    static func mayImport(_ role: Role) -> Bool { role == .admin || role == .manager }

    enum Record: @unchecked Sendable {
        case equipment(Equipment)
        case service(ServiceItem, ServiceCategory)
        case material(MaterialItem)
        case client(Client)
    }

    struct Row: Sendable {
        var line: Int
        /// Our id of the row it updates; nil for a new one.
        var existingID: Int?
        var record: Record
        var before: [String: JSONValue]
        /// The row as it will be saved, by column key.
        var saved: [String: ImportValue]
    }

    struct Prepared: Sendable {
        var kind: ImportKind
        var columns: [ImportColumn]
        var rows: [Row]
        var problems: [ImportSheet.Problem]
        var created: Int { rows.filter { $0.existingID == nil }.count }
        var updated: Int { rows.count - created }
    }

    /// Reads and checks a file; writes nothing.
    func prepare(_ kind: ImportKind, data: Data) async throws -> Prepared {
        guard Self.mayImport(context.caller.role) else { throw TableImportError.forbidden }
        let table: [[String]]
        do {
            table = try SpreadsheetFile.table(data)
        } catch let error as SpreadsheetFile.ReadError {
            throw TableImportError.unreadable(error.message)
        }
        let sheet = ImportSheet(kind: kind, table: table)
        var problems = sheet.problems
        var rows: [Row] = []
        let existing = try await ExistingRows.load(kind, on: db)
        let catalog = CatalogService(context: context)
        let clients = ClientService(context: context)
        for source in sheet.goodRows {
            do {
                if let row = try await prepareRow(
                    source, kind: kind, existing: existing, catalog: catalog, clients: clients, problems: &problems)
                {
                    rows.append(row)
                }
            } catch let error as CatalogError {
                problems += Self.problems(of: error.problems, line: source.line, kind: kind)
            } catch let error as ClientError {
                guard case .invalid(let fields) = error else { throw error }
                problems += Self.problems(of: fields, line: source.line, kind: kind)
            }
        }
        problems.sort { ($0.line, $0.message) < ($1.line, $1.message) }
        let bad = Set(problems.map(\.line))
        return Prepared(
            kind: kind, columns: sheet.columns.isEmpty ? kind.columns : sheet.columns,
            rows: rows.filter { !bad.contains($0.line) }, problems: problems)
    }

    /// Saves the good rows of a prepared file in one transaction.
    func commit(_ prepared: Prepared) async throws -> (created: Int, updated: Int) {
        guard Self.mayImport(context.caller.role) else { throw TableImportError.forbidden }
        let rows = prepared.rows
        try await context.writes.transaction(on: context.db) { [context] db in
            let audit = context.audit(on: db)
            var categories: [String: ServiceCategory] = [:]
            for row in rows {
                let (entity, id, after): (String, Int?, [String: JSONValue])
                switch row.record {
                case .equipment(let equipment):
                    try await equipment.save(on: db)
                    (entity, id, after) = ("equipment", equipment.id, CatalogService.auditFields(equipment))
                case .service(let service, var category):
                    if category.id == nil {
                        // «Прочее», made once for all the rows that need it.
                        if let made = categories[category.name] {
                            category = made
                        } else {
                            try await category.save(on: db)
                            categories[category.name] = category
                        }
                    }
                    service.$category.id = try category.requireID()
                    try await service.save(on: db)
                    (entity, id, after) = ("service", service.id, CatalogService.auditFields(service))
                case .material(let material):
                    try await material.save(on: db)
                    (entity, id, after) = ("material", material.id, CatalogService.auditFields(material))
                case .client(let client):
                    try await client.save(on: db)
                    (entity, id, after) = ("client", client.id, ClientService.auditFields(client))
                }
                if row.existingID == nil {
                    var changes = AuditRecorder.created(after)
                    changes["source"] = .string("import")
                    try await audit.record(.create, entity: entity, id: String(id ?? 0), changes: changes)
                } else {
                    var changes = AuditRecorder.diff(before: row.before, after: after)
                    guard !changes.isEmpty else { continue }
                    changes["source"] = .string("import")
                    try await audit.record(.update, entity: entity, id: String(id ?? 0), changes: changes)
                }
            }
        }
        return (prepared.created, prepared.updated)
    }

    // MARK: - Rows

    private func prepareRow(
        _ source: ImportSheet.Row, kind: ImportKind, existing: ExistingRows, catalog: CatalogService,
        clients: ClientService, problems: inout [ImportSheet.Problem]
    ) async throws -> Row? {
        let values = source.values
        // An empty cell clears an optional text or number; a unit, a flag, a choice and a client's phone cannot be
        // empty and keep their value (docs/import.md#empty-cells).
        let cleared = source.cleared
        func text(_ key: String) -> Patch<String> {
            values[key]?.text.map(Patch.set) ?? (cleared.contains(key) ? .set("") : .keep)
        }
        func kept(_ key: String) -> Patch<String> { values[key]?.text.map(Patch.set) ?? .keep }
        func scaled(_ key: String) -> Patch<Int64> { values[key]?.scaled.map(Patch.set) ?? .keep }
        func optionalScaled(_ key: String) -> Patch<Int64?> {
            values[key]?.scaled.map { .set($0) } ?? (cleared.contains(key) ? .set(nil) : .keep)
        }
        func flag(_ key: String) -> Patch<Bool> { values[key]?.flag.map(Patch.set) ?? .keep }
        switch kind {
        case .equipment:
            let found = source.text("code").flatMap { existing.equipment[$0] }
            let equipment = found ?? Equipment(code: "", name: "", hourlyRate: 0)
            let before = CatalogService.auditFields(equipment)
            var input = EquipmentInput()
            input.code = text("code")
            input.name = text("name")
            input.description = text("description")
            input.hourlyRate = scaled("hourly_rate")
            input.dailyRate = optionalScaled("daily_rate")
            input.fuelConsumption = optionalScaled("fuel_consumption")
            if let status = values["status"]?.text.flatMap(EquipmentStatus.init(rawValue:)) {
                input.status = .set(status)
            }
            try await catalog.apply(input, to: equipment, requireAll: found == nil)
            let record = Record.equipment(equipment)
            return Row(
                line: source.line, existingID: found?.id, record: record, before: before, saved: Self.values(of: record)
            )
        case .services:
            let found = source.text("name").flatMap { existing.services[$0.lowercased()] }
            let service = found ?? ServiceItem(name: "", categoryID: 0, unit: CatalogUnit.serviceDefault)
            let before = found.map { CatalogService.auditFields($0) } ?? [:]
            var input = ServiceItemInput()
            if let name = source.text("category") {
                guard let category = existing.categories[name.lowercased()] else {
                    problems.append(
                        .init(line: source.line, message: "«Категория»: нет категории «\(name)» в каталоге."))
                    return nil
                }
                input.category = .set(category.id)
            }
            input.name = text("name")
            input.unit = kept("unit")
            input.price = optionalScaled("price")
            input.defaultDuration = optionalScaled("default_duration")
            input.isActive = flag("is_active")
            let current = found.flatMap { existing.categoriesByID[$0.$category.id] }
            let category = try await catalog.apply(input, to: service, current: current, requireAll: found == nil)
            let record = Record.service(service, category)
            return Row(
                line: source.line, existingID: found?.id, record: record, before: before, saved: Self.values(of: record)
            )
        case .materials:
            let found = source.text("name").flatMap { existing.materials[$0.lowercased()] }
            let material = found ?? MaterialItem(name: "", category: .soil, unit: CatalogUnit.materialDefault, price: 0)
            let before = CatalogService.auditFields(material)
            var input = MaterialInput()
            input.name = text("name")
            if let category = values["category"]?.text.flatMap(MaterialCategory.init(rawValue:)) {
                input.category = .set(category)
            }
            input.unit = kept("unit")
            input.price = scaled("price")
            input.density = optionalScaled("density")
            input.supplier = text("supplier")
            input.isActive = flag("is_active")
            try catalog.apply(input, to: material, requireAll: found == nil)
            let record = Record.material(material)
            return Row(
                line: source.line, existingID: found?.id, record: record, before: before, saved: Self.values(of: record)
            )
        case .clients:
            let byINN = source.text("inn").flatMap { $0.isEmpty ? nil : existing.clientsByINN[$0] }
            let found = byINN ?? source.text("name").flatMap { existing.clients[$0.lowercased()] }
            let client = found ?? Client(name: "", phone: "")
            let before = ClientService.auditFields(client)
            var input = ClientInput()
            for (key, path) in [
                ("name", \ClientInput.name), ("contact_person", \.contactPerson), ("phone", \.phone),
                ("email", \.email), ("address", \.address), ("city", \.city), ("inn", \.inn), ("kpp", \.kpp),
                ("notes", \.notes),
            ] {
                input[keyPath: path] = key == "phone" ? kept(key) : text(key)
            }
            try clients.apply(input, to: client, requireAll: found == nil)
            let record = Record.client(client)
            return Row(
                line: source.line, existingID: found?.id, record: record, before: before, saved: Self.values(of: record)
            )
        }
    }

    /// A record as the import's columns show it: what a preview shows, what the export writes.
    static func values(of record: Record) -> [String: ImportValue] {
        func optional(_ value: Int64?) -> ImportValue { value.map(ImportValue.scaled) ?? .text("") }
        switch record {
        case .equipment(let equipment):
            return [
                "code": .text(equipment.code), "name": .text(equipment.name), "description": .text(equipment.details),
                "hourly_rate": .scaled(equipment.hourlyRate), "daily_rate": optional(equipment.dailyRate),
                "fuel_consumption": optional(equipment.fuelConsumption), "status": .text(equipment.status.rawValue),
            ]
        case .service(let service, let category):
            return [
                "name": .text(service.name), "category": .text(category.name), "unit": .text(service.unit),
                "price": optional(service.price), "default_duration": optional(service.defaultDuration),
                "is_active": .flag(service.isActive),
            ]
        case .material(let material):
            return [
                "name": .text(material.name), "category": .text(material.category.rawValue),
                "unit": .text(material.unit), "price": .scaled(material.price), "density": optional(material.density),
                "supplier": .text(material.supplier), "is_active": .flag(material.isActive),
            ]
        case .client(let client):
            return [
                "name": .text(client.name), "contact_person": .text(client.contactPerson), "phone": .text(client.phone),
                "email": .text(client.email), "address": .text(client.address), "city": .text(client.city),
                "inn": .text(client.inn), "kpp": .text(client.kpp), "notes": .text(client.notes),
            ]
        }
    }

    /// Every record of a kind in the import's columns, for `TableExport`: what the export writes, an import
    /// reads back unchanged (docs/import.md#round-trip).
    func export(_ kind: ImportKind, into writer: TableWriter) async throws {
        guard Self.mayImport(context.caller.role) else { throw TableImportError.forbidden }
        var records: [Record] = []
        switch kind {
        case .equipment: records = try await Equipment.query(on: db).sort(\.$code).all().map(Record.equipment)
        case .services:
            let categories = Dictionary(
                try await ServiceCategory.query(on: db).all().compactMap { category in
                    category.id.map { ($0, category) }
                },
                uniquingKeysWith: { first, _ in first })
            for service in try await ServiceItem.query(on: db).sort(\.$name).all() {
                if let category = categories[service.$category.id] { records.append(.service(service, category)) }
            }
        case .materials: records = try await MaterialItem.query(on: db).sort(\.$name).all().map(Record.material)
        case .clients: records = try await Client.query(on: db).sort(\.$name).all().map(Record.client)
        }
        for record in records {
            let values = Self.values(of: record)
            try writer.write(kind.columns.map { Self.cell(values[$0.key], column: $0) })
        }
    }

    static func cell(_ value: ImportValue?, column: ImportColumn) -> ExportCell {
        switch (value, column.format) {
        case (nil, _): return .empty
        case (.scaled(let amount), _): return .hundredths(amount)
        case (.flag(let flag), _): return .text(flag ? "да" : "нет")
        case (.text(let code), .choice(let options)): return .text(options.first { $0.code == code }?.title ?? code)
        case (.text(let code), .unit): return .text(CatalogUnit.label(code))
        case (.text(let text), _): return text.isEmpty ? .empty : .text(text)
        }
    }

    /// A service's field problems as problems of the file's line, named by the file's column titles.
    static func problems(of fields: [String: [String]], line: Int, kind: ImportKind) -> [ImportSheet.Problem] {
        fields.sorted { $0.key < $1.key }.flatMap { key, messages in
            let column = key == "category_id" ? "category" : key
            let title = kind.columns.first { $0.key == column }?.title ?? key
            return messages.map { ImportSheet.Problem(line: line, message: "«\(title)»: \($0)") }
        }
    }
}

/// The rows of ours an import may update: machines by their exact code (unique as written), the rest by their
/// lowercased name (and clients by ИНН).
struct ExistingRows: @unchecked Sendable {
    var equipment: [String: Equipment] = [:]
    var services: [String: ServiceItem] = [:]
    var categories: [String: ServiceCategory] = [:]
    var categoriesByID: [Int: ServiceCategory] = [:]
    var materials: [String: MaterialItem] = [:]
    var clients: [String: Client] = [:]
    var clientsByINN: [String: Client] = [:]

    static func load(_ kind: ImportKind, on db: any Database) async throws -> ExistingRows {
        var rows = ExistingRows()
        switch kind {
        case .equipment:
            for item in try await Equipment.query(on: db).all() { rows.equipment[item.code] = item }
        case .services:
            for category in try await ServiceCategory.query(on: db).all() {
                rows.categories[category.name.lowercased()] = category
                if let id = category.id { rows.categoriesByID[id] = category }
            }
            for item in try await ServiceItem.query(on: db).all() { rows.services[item.name.lowercased()] = item }
        case .materials:
            for item in try await MaterialItem.query(on: db).all() { rows.materials[item.name.lowercased()] = item }
        case .clients:
            for client in try await Client.query(on: db).all() {
                rows.clients[client.name.lowercased()] = client
                if !client.inn.isEmpty { rows.clientsByINN[client.inn] = client }
            }
        }
        return rows
    }
}

extension Request {
    /// The spreadsheet import, as the signed-in caller.
    var tableImport: TableImportService { get throws { TableImportService(context: try services) } }
}

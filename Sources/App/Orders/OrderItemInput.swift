import Domain
import Foundation
import SQLKit
import Vapor

/// One order line as stored: money in kopecks, quantities and percents in hundredths.
struct OrderLine: Sendable, Equatable {
    var itemType: ItemType
    var refID: Int?
    var name: String
    var quantity: Int64
    var unit: String
    var unitPrice: Int64
    var manualPrice: Bool
    var taxRate: Int64
    var discount: Int64
    var fuelExpense: Int64?
    var repairExpense: Int64?
    var shifts: Decimal?
    var hours: Decimal?
    var dailyRate: Int64?
    var billingMode: String?
    var note: String?
    var extraMetadata: [String: JSONValue] = [:]

    var metadataJSON: String {
        var object = extraMetadata
        if let shifts { object["shifts"] = .number(shifts) }
        if let hours { object["hours"] = .number(hours) }
        if let dailyRate { object["daily_rate"] = .number(Scaled.toDecimal(dailyRate, scale: 2)) }
        if let billingMode { object["billing_mode"] = .string(billingMode) }
        if let note { object["note"] = .string(note) }
        return JSONValue.object(object).jsonText
    }

    /// The figures the reports sum for this line when the order is priced in `context`.
    func figures(in context: PricingContext) -> LineFigures {
        LineFigures(pricingItem, materialCategory: extraMetadata["material_category"]?.stringValue, context: context)
    }

    var pricingItem: PricingItem {
        PricingItem(
            name: name, itemType: itemType, quantity: Scaled.toDecimal(quantity, scale: 2),
            unitPrice: Scaled.toDecimal(unitPrice, scale: 2), taxRate: Scaled.toDecimal(taxRate, scale: 2),
            discount: Scaled.toDecimal(discount, scale: 2), shifts: shifts, hours: hours,
            dailyRate: dailyRate.map { Scaled.toDecimal($0, scale: 2) }, billingMode: billingMode, note: note,
            unit: unit)
    }
}

extension OrderLine {
    /// Metadata keys that have their own properties; anything else is kept in `extraMetadata`.
    static let knownMetadataKeys = ["shifts", "hours", "daily_rate", "billing_mode", "note"]

    /// A line from an `order_items` row (the columns of `OrderStore.lines`).
    init(row: any SQLRow) throws {
        let metadata = JSONValue.parse(try row.decode(column: "metadata", as: String.self))?.objectValue ?? [:]
        try self.init(row: FastRow(.sql(row)), metadata: metadata)
    }

    /// A line from an `order_items` row whose metadata the caller has parsed already, or does not need
    /// (`[:]`: the order JSON writes the stored metadata text as it is).
    init(row: FastRow, metadata: [String: JSONValue]) throws {
        var extra = metadata
        for key in Self.knownMetadataKeys { extra.removeValue(forKey: key) }
        self.init(
            itemType: ItemType(rawValue: try row.decode(column: "item_type", as: String.self)) ?? .service,
            refID: try row.decode(column: "ref_id", as: Int?.self),
            name: try row.decode(column: "name_snapshot", as: String.self),
            quantity: try row.decode(column: "quantity", as: Int64.self),
            unit: try row.decode(column: "unit", as: String.self),
            unitPrice: try row.decode(column: "unit_price", as: Int64.self),
            manualPrice: try row.decode(column: "manual_price", as: Bool.self),
            taxRate: try row.decode(column: "tax_rate", as: Int64.self),
            discount: try row.decode(column: "discount", as: Int64.self),
            fuelExpense: try row.decode(column: "fuel_expense", as: Int64?.self),
            repairExpense: try row.decode(column: "repair_expense", as: Int64?.self),
            shifts: metadata["shifts"]?.decimalValue, hours: metadata["hours"]?.decimalValue,
            dailyRate: metadata["daily_rate"]?.decimalValue.map { Scaled.toInt($0, scale: 2) },
            billingMode: metadata["billing_mode"]?.stringValue, note: metadata["note"]?.stringValue,
            extraMetadata: extra)
    }
}

/// Catalog rows an order line may point at, loaded in one query per type.
struct CatalogPrices {
    struct Entry {
        var name: String
        var price: Int64?
        var dailyRate: Int64?
        var unit: String
        var category: String?
        var isAvailable: Bool
    }

    var equipment: [Int: Entry] = [:]
    var services: [Int: Entry] = [:]
    var materials: [Int: Entry] = [:]
    var attachments: [Int: Entry] = [:]

    func entry(_ type: ItemType, _ id: Int) -> Entry? {
        switch type {
        case .equipment: equipment[id]
        case .service: services[id]
        case .material: materials[id]
        case .attachment: attachments[id]
        }
    }

    static func load(for references: [(ItemType, Int)], on sql: any SQLDatabase) async throws -> CatalogPrices {
        var prices = CatalogPrices()
        func ids(_ type: ItemType) -> [Int] { Array(Set(references.filter { $0.0 == type }.map(\.1))) }
        let equipmentIDs = ids(.equipment)
        if !equipmentIDs.isEmpty {
            for row in try await sql.select().columns("id", "name", "hourly_rate", "daily_rate", "status")
                .from("equipment").where("id", .in, equipmentIDs).all()
            {
                prices.equipment[try row.decode(column: "id", as: Int.self)] = Entry(
                    name: try row.decode(column: "name", as: String.self),
                    price: try row.decode(column: "hourly_rate", as: Int64?.self),
                    dailyRate: try row.decode(column: "daily_rate", as: Int64?.self), unit: "hour", category: nil,
                    isAvailable: try row.decode(column: "status", as: String.self) != "inactive")
            }
        }
        let serviceIDs = ids(.service)
        if !serviceIDs.isEmpty {
            for row in try await sql.select().columns("id", "name", "price", "unit", "is_active")
                .from("services").where("id", .in, serviceIDs).all()
            {
                prices.services[try row.decode(column: "id", as: Int.self)] = Entry(
                    name: try row.decode(column: "name", as: String.self),
                    price: try row.decode(column: "price", as: Int64?.self), dailyRate: nil,
                    unit: try row.decode(column: "unit", as: String.self), category: nil,
                    isAvailable: try row.decode(column: "is_active", as: Bool.self))
            }
        }
        let materialIDs = ids(.material)
        if !materialIDs.isEmpty {
            for row in try await sql.select().columns("id", "name", "price", "unit", "category", "is_active")
                .from("materials").where("id", .in, materialIDs).all()
            {
                prices.materials[try row.decode(column: "id", as: Int.self)] = Entry(
                    name: try row.decode(column: "name", as: String.self),
                    price: try row.decode(column: "price", as: Int64?.self), dailyRate: nil,
                    unit: try row.decode(column: "unit", as: String.self),
                    category: try row.decode(column: "category", as: String.self),
                    isAvailable: try row.decode(column: "is_active", as: Bool.self))
            }
        }
        let attachmentIDs = ids(.attachment)
        if !attachmentIDs.isEmpty {
            for row in try await sql.select().columns("id", "name", "price", "status")
                .from("attachments").where("id", .in, attachmentIDs).all()
            {
                prices.attachments[try row.decode(column: "id", as: Int.self)] = Entry(
                    name: try row.decode(column: "name", as: String.self),
                    price: try row.decode(column: "price", as: Int64?.self), dailyRate: nil, unit: "pcs",
                    category: nil, isAvailable: try row.decode(column: "status", as: String.self) != "inactive")
            }
        }
        return prices
    }
}

/// Parses the `items` list of an order body into lines priced from the catalog on the server.
///
/// Prices, tax rates and discounts sent by the client count only from a caller who may set prices
/// (`AccessPolicy.maySetPrices`): `manual_price: true` with `unit_price`, a free-form line, or a catalog service
/// without a fixed price. Anyone else gets the catalog's price or the figures of the matching line already on
/// the order; a line with neither is refused (docs/security.md).
struct OrderItemsParser {
    let sql: any SQLDatabase
    let timeZone: TimeZone
    let maySetPrices: Bool
    /// The order's lines before this change: where a caller who may not set prices takes them from.
    var currentLines: [OrderLine] = []

    /// Throws `OrderError.invalid` with one message object per line (`{"items": [{}, {"ref_id": [...]}]}`).
    func parse(_ drafts: [OrderLineDraft]) async throws -> [OrderLine] {
        let references = drafts.compactMap { line -> (ItemType, Int)? in
            guard let type = line.itemType, let refID = line.refID else { return nil }
            return (type, refID)
        }
        let catalog = try await CatalogPrices.load(for: references, on: sql)
        var lines: [OrderLine] = []
        var itemErrors: [[String: [String]]] = []
        var hasErrors = false
        for draft in drafts {
            var errors: [String: [String]] = [:]
            let line = parseLine(draft, catalog: catalog, errors: &errors)
            if let line, errors.isEmpty { lines.append(line) }
            if !errors.isEmpty { hasErrors = true }
            itemErrors.append(errors)
        }
        if hasErrors {
            throw OrderError.invalid(OrderFieldErrors(lists: ["items": itemErrors]))
        }
        return lines
    }

    private func parseLine(
        _ draft: OrderLineDraft, catalog: CatalogPrices, errors: inout [String: [String]]
    ) -> OrderLine? {
        errors = draft.problems
        if draft.manualPrice, !maySetPrices {
            errors["manual_price", default: []].append(Self.priceRefusal)
        }
        guard let type = draft.itemType, errors.isEmpty else { return nil }
        let refID = draft.refID
        let quantity = draft.quantity ?? 1
        let taxRate = draft.taxRate ?? 0
        let discount = draft.discount ?? 0
        let fuel = draft.fuelExpense
        let repair = draft.repairExpense
        var sentPrice = draft.unitPrice
        let manual = draft.manualPrice
        let sentName = draft.name
        let sentUnit = draft.unit
        let shifts = draft.shifts
        let hours = draft.hours
        let billingMode = draft.billingMode
        let note = draft.note
        let metadata = draft.metadata
        // Whatever a caller who may not set prices typed, the money figures are the order's own.
        let onOrder = currentLines.first { current in
            current.itemType == type && current.refID == refID && (refID != nil || current.name == (sentName ?? ""))
        }
        if !maySetPrices { sentPrice = onOrder?.manualPrice == true ? onOrder?.unitPrice : nil }

        var line = OrderLine(
            itemType: type, refID: refID, name: sentName ?? "", quantity: Scaled.toInt(quantity, scale: 2),
            unit: sentUnit ?? "", unitPrice: 0, manualPrice: (manual || !maySetPrices) && sentPrice != nil,
            taxRate: maySetPrices ? Scaled.toInt(taxRate, scale: 2) : onOrder?.taxRate ?? 0,
            discount: maySetPrices ? Scaled.toInt(discount, scale: 2) : onOrder?.discount ?? 0,
            fuelExpense: type == .equipment ? fuel : nil, repairExpense: type == .equipment ? repair : nil,
            shifts: type == .equipment ? shifts : nil, hours: type == .equipment ? hours : nil, dailyRate: nil,
            billingMode: type == .service ? billingMode : nil, note: note, extraMetadata: metadata)

        guard let refID else {
            // A free-form line (no catalog row) needs a name and a price typed in by staff.
            if type == .service || manual || onOrder != nil, let sentPrice, let sentName, !sentName.isEmpty {
                line.unitPrice = sentPrice
                line.manualPrice = true
                if line.unit.isEmpty { line.unit = onOrder?.unit ?? "pcs" }
                return line
            }
            if !maySetPrices, sentName?.isEmpty == false {
                errors["unit_price", default: []].append(Self.priceRefusal)
            } else {
                errors["ref_id", default: []].append(FieldMessage.required)
            }
            return nil
        }
        guard let entry = catalog.entry(type, refID) else {
            errors["ref_id", default: []].append("\(type.title): позиция каталога \(refID) не найдена.")
            return nil
        }
        guard entry.isAvailable else {
            errors["ref_id", default: []].append("\(type.title) «\(entry.name)» неактивна в каталоге.")
            return nil
        }
        line.name = entry.name
        if line.unit.isEmpty || type == .equipment { line.unit = entry.unit }
        if line.manualPrice, let sentPrice {
            line.unitPrice = sentPrice
        } else if let price = entry.price {
            line.unitPrice = price
        } else if let sentPrice {
            line.unitPrice = sentPrice  // a catalog service without a fixed price is priced per order
            line.manualPrice = true
        } else {
            errors["unit_price", default: []].append(
                maySetPrices ? "У услуги нет цены в каталоге: укажите цену." : Self.priceRefusal)
            return nil
        }
        if type == .equipment {
            line.dailyRate = entry.dailyRate
            if line.pricingItem.usesShiftsAndHours {
                line.quantity = Scaled.toInt((shifts ?? 0) + (hours ?? 0), scale: 2)
            }
        }
        if type == .material, let category = entry.category {
            line.extraMetadata["material_category"] = .string(category)
        }
        for issue in line.pricingItem.validationIssues {
            errors[issue.field, default: []].append(issue.message)
        }
        return errors.isEmpty ? line : nil
    }

    static let priceRefusal = "Цену может задать только администратор или менеджер."
}

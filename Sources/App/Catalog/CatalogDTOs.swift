import Foundation
import Vapor

// JSON of the catalog endpoints, in the original API's shapes (docs/api-contract.md#resources): decimals are strings
// with a fixed scale, absent values are `null`, datetimes are ISO 8601 in the company time zone.

/// `{"id", "code", "name", "description", "hourly_rate", "daily_rate", "fuel_consumption", "status", "photos",
/// "last_maintenance_date", "attributes", "created_at", "updated_at"}`.
struct EquipmentResponse: Content {
    var id: Int
    var code: String
    var name: String
    var description: String
    var hourly_rate: String
    var daily_rate: String?
    var fuel_consumption: String?
    var status: String
    var photos: JSONValue
    var last_maintenance_date: String?
    var attributes: JSONValue
    var created_at: String
    var updated_at: String

    init(_ equipment: Equipment, timeZone: TimeZone) {
        id = equipment.id ?? 0
        code = equipment.code
        name = equipment.name
        description = equipment.details
        hourly_rate = Scaled.text(equipment.hourlyRate, scale: 2)
        daily_rate = equipment.dailyRate.map { Scaled.text($0, scale: 2) }
        fuel_consumption = equipment.fuelConsumption.map { Scaled.text($0, scale: 2) }
        status = equipment.statusValue
        photos = StoredJSON.value(equipment.photos, fallback: .array([]))
        last_maintenance_date = equipment.lastMaintenanceDate
        attributes = StoredJSON.value(equipment.attributes, fallback: .object([:]))
        created_at = StoredJSON.time(equipment.createdAt, in: timeZone)
        updated_at = StoredJSON.time(equipment.updatedAt ?? equipment.createdAt, in: timeZone)
    }

    private enum CodingKeys: String, CodingKey {
        case id, code, name, description, hourly_rate, daily_rate, fuel_consumption, status, photos
        case last_maintenance_date, attributes, created_at, updated_at
    }

    // Optional values are written as `null`, not left out.
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(code, forKey: .code)
        try c.encode(name, forKey: .name)
        try c.encode(description, forKey: .description)
        try c.encode(hourly_rate, forKey: .hourly_rate)
        try c.encode(daily_rate, forKey: .daily_rate)
        try c.encode(fuel_consumption, forKey: .fuel_consumption)
        try c.encode(status, forKey: .status)
        try c.encode(photos, forKey: .photos)
        try c.encode(last_maintenance_date, forKey: .last_maintenance_date)
        try c.encode(attributes, forKey: .attributes)
        try c.encode(created_at, forKey: .created_at)
        try c.encode(updated_at, forKey: .updated_at)
    }
}

/// `{"id", "name", "description", "sort_order", "created_at", "updated_at"}`.
struct ServiceCategoryResponse: Content {
    var id: Int
    var name: String
    var description: String
    var sort_order: Int
    var created_at: String
    var updated_at: String

    init(_ category: ServiceCategory, timeZone: TimeZone) {
        id = category.id ?? 0
        name = category.name
        description = category.details
        sort_order = category.sortOrder
        created_at = StoredJSON.time(category.createdAt, in: timeZone)
        updated_at = StoredJSON.time(category.updatedAt ?? category.createdAt, in: timeZone)
    }
}

/// `{"id", "name", "unit", "price", "default_duration", "included_items", "is_active", "category": {…},
/// "created_at", "updated_at"}`. The category is read-only here; clients write `category_id`.
struct ServiceItemResponse: Content {
    var id: Int
    var name: String
    var unit: String
    var price: String?
    var default_duration: String?
    var included_items: JSONValue
    var is_active: Bool
    var category: ServiceCategoryResponse
    var created_at: String
    var updated_at: String

    init(_ service: ServiceItem, category: ServiceCategory, timeZone: TimeZone) {
        id = service.id ?? 0
        name = service.name
        unit = service.unit
        price = service.price.map { Scaled.text($0, scale: 2) }
        default_duration = service.defaultDuration.map { Scaled.text($0, scale: 2) }
        included_items = StoredJSON.value(service.includedItems, fallback: .array([]))
        is_active = service.isActive
        self.category = ServiceCategoryResponse(category, timeZone: timeZone)
        created_at = StoredJSON.time(service.createdAt, in: timeZone)
        updated_at = StoredJSON.time(service.updatedAt ?? service.createdAt, in: timeZone)
    }

    private enum CodingKeys: String, CodingKey {
        case id, name, unit, price, default_duration, included_items, is_active, category, created_at, updated_at
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(name, forKey: .name)
        try c.encode(unit, forKey: .unit)
        try c.encode(price, forKey: .price)
        try c.encode(default_duration, forKey: .default_duration)
        try c.encode(included_items, forKey: .included_items)
        try c.encode(is_active, forKey: .is_active)
        try c.encode(category, forKey: .category)
        try c.encode(created_at, forKey: .created_at)
        try c.encode(updated_at, forKey: .updated_at)
    }
}

/// `{"id", "name", "category", "unit", "price", "density", "supplier", "is_active", "created_at", "updated_at"}`.
struct MaterialItemResponse: Content {
    var id: Int
    var name: String
    var category: String
    var unit: String
    var price: String
    var density: String?
    var supplier: String
    var is_active: Bool
    var created_at: String
    var updated_at: String

    init(_ material: MaterialItem, timeZone: TimeZone) {
        id = material.id ?? 0
        name = material.name
        category = material.categoryValue
        unit = material.unit
        price = Scaled.text(material.price, scale: 2)
        density = material.density.map { Scaled.text($0, scale: 2) }
        supplier = material.supplier
        is_active = material.isActive
        created_at = StoredJSON.time(material.createdAt, in: timeZone)
        updated_at = StoredJSON.time(material.updatedAt ?? material.createdAt, in: timeZone)
    }

    private enum CodingKeys: String, CodingKey {
        case id, name, category, unit, price, density, supplier, is_active, created_at, updated_at
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(name, forKey: .name)
        try c.encode(category, forKey: .category)
        try c.encode(unit, forKey: .unit)
        try c.encode(price, forKey: .price)
        try c.encode(density, forKey: .density)
        try c.encode(supplier, forKey: .supplier)
        try c.encode(is_active, forKey: .is_active)
        try c.encode(created_at, forKey: .created_at)
        try c.encode(updated_at, forKey: .updated_at)
    }
}

/// `{"id", "equipment", "equipment_name", "equipment_code", "name", "price", "status", "metadata",
/// "created_at", "updated_at"}`.
struct AttachmentResponse: Content {
    var id: Int
    var equipment: Int
    var equipment_name: String
    var equipment_code: String
    var name: String
    var price: String
    var status: String
    var metadata: JSONValue
    var created_at: String
    var updated_at: String

    init(_ attachment: Attachment, equipment: Equipment, timeZone: TimeZone) {
        id = attachment.id ?? 0
        self.equipment = equipment.id ?? attachment.$equipment.id
        equipment_name = equipment.name
        equipment_code = equipment.code
        name = attachment.name
        price = Scaled.text(attachment.price, scale: 2)
        status = attachment.statusValue
        metadata = StoredJSON.value(attachment.metadata, fallback: .object([:]))
        created_at = StoredJSON.time(attachment.createdAt, in: timeZone)
        updated_at = StoredJSON.time(attachment.updatedAt ?? attachment.createdAt, in: timeZone)
    }
}

/// JSON kept as text in the database, and timestamps as the API writes them.
enum StoredJSON {
    /// The stored JSON, or `fallback` when the column holds something unreadable.
    static func value(_ text: String, fallback: JSONValue) -> JSONValue {
        JSONValue.parse(text) ?? fallback
    }

    static func time(_ date: Date?, in timeZone: TimeZone) -> String {
        ISOTime.format(date ?? Date(), in: timeZone)
    }

    /// An audit value for an optional scaled number: the decimal text, or `null`.
    static func scaled(_ value: Int64?, scale: Int = 2) -> JSONValue {
        value.map { .string(Scaled.text($0, scale: scale)) } ?? .null
    }
}

extension JSONInput {
    /// A decimal stored as a scaled integer (hundredths for `scale` 2, millionths for 6).
    /// Absent → `.absent`; explicit `null` → `.value(nil)` when allowed; invalid → recorded, `.absent`.
    mutating func scaled(
        _ key: String, required: Bool = false, nullable: Bool = true, maxDigits: Int, scale: Int,
        minimum: Decimal? = 0, maximum: Decimal? = nil
    ) -> Scaled.Input {
        guard has(key) else {
            if required { fail(key, FieldMessage.required) }
            return .absent
        }
        let before = errors[key]?.count ?? 0
        let number = decimal(
            key, required: required, nullable: nullable, maxDigits: maxDigits, scale: scale, minimum: minimum,
            maximum: maximum)
        if (errors[key]?.count ?? 0) != before { return .absent }
        return .value(number.map { Scaled.toInt($0, scale: scale) })
    }

    /// A JSON array; `null` is rejected. With `stringsOnly`, every element must be a string.
    mutating func jsonArray(_ key: String, stringsOnly: Bool = false) -> [JSONValue]? {
        guard let value = values[key] else { return nil }
        guard case .array(let elements) = value else {
            fail(key, value == .null ? FieldMessage.null : FieldMessage.list)
            return nil
        }
        if stringsOnly, elements.contains(where: { $0.stringValue == nil }) {
            fail(key, FieldMessage.string)
            return nil
        }
        return elements
    }

    /// A JSON object; `null` is rejected.
    mutating func jsonObject(_ key: String) -> [String: JSONValue]? {
        guard let value = values[key] else { return nil }
        guard case .object(let object) = value else {
            fail(key, value == .null ? FieldMessage.null : FieldMessage.object)
            return nil
        }
        return object
    }
}

extension Scaled {
    /// A decimal field read from a request: left out, or given (possibly as `null`).
    enum Input {
        case absent
        case value(Int64?)
    }
}

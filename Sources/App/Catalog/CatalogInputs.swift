import Domain
import Foundation

// What the catalog service accepts. Every field is a `Patch`: `.keep` leaves the stored value (PATCH, or a field a
// form does not show); a create or a PUT requires the fields the API always required. The API reads these from
// JSON (`…APIController`), the web from forms (`CatalogEditWebController`); `unreadable` carries the problems
// the edge found while reading, so they are reported together with the service's own.

/// A machine of the fleet. Money in kopecks; fuel consumption in hundredths of a litre per hour.
struct EquipmentInput: Sendable {
    var code: Patch<String> = .keep
    var name: Patch<String> = .keep
    var description: Patch<String> = .keep
    var hourlyRate: Patch<Int64> = .keep
    var dailyRate: Patch<Int64?> = .keep
    var fuelConsumption: Patch<Int64?> = .keep
    var status: Patch<EquipmentStatus> = .keep
    var photos: Patch<[JSONValue]> = .keep
    /// `YYYY-MM-DD`, or nil to clear it.
    var lastMaintenanceDate: Patch<String?> = .keep
    var attributes: Patch<[String: JSONValue]> = .keep
    var unreadable: [String: [String]] = [:]
}

/// A service sold by the hour or by the job. `category` nil means «Прочее» (made on demand).
struct ServiceItemInput: Sendable {
    var category: Patch<Int?> = .keep
    var name: Patch<String> = .keep
    var unit: Patch<String> = .keep
    var price: Patch<Int64?> = .keep
    var defaultDuration: Patch<Int64?> = .keep
    var includedItems: Patch<[JSONValue]> = .keep
    var isActive: Patch<Bool> = .keep
    var unreadable: [String: [String]] = [:]
}

/// A new service category.
struct ServiceCategoryInput: Sendable {
    var name: String?
    var description: String = ""
    var sortOrder: Int = 0
    var unreadable: [String: [String]] = [:]
}

/// A material priced per unit.
struct MaterialInput: Sendable {
    var name: Patch<String> = .keep
    var category: Patch<MaterialCategory> = .keep
    var unit: Patch<String> = .keep
    var price: Patch<Int64> = .keep
    var density: Patch<Int64?> = .keep
    var supplier: Patch<String> = .keep
    var isActive: Patch<Bool> = .keep
    var unreadable: [String: [String]] = [:]
}

/// A tool mounted on one machine.
struct AttachmentInput: Sendable {
    var equipment: Patch<Int> = .keep
    var name: Patch<String> = .keep
    var price: Patch<Int64> = .keep
    var status: Patch<EquipmentStatus> = .keep
    var metadata: Patch<[String: JSONValue]> = .keep
    var unreadable: [String: [String]] = [:]
}

/// What the catalog service refuses.
enum CatalogError: APIMappedError {
    case notFound
    /// Field problems, keyed by the API's field names.
    case invalid([String: [String]])

    var apiError: any Error {
        switch self {
        case .notFound: APIError.notFound()
        case .invalid(let problems): FieldErrors(problems)
        }
    }

    /// The problems of a field, for tests and the web forms.
    var problems: [String: [String]] {
        if case .invalid(let problems) = self { return problems }
        return [:]
    }
}

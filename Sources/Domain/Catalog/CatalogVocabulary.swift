/// The catalog's closed word lists, defined once: the API validates against them, the web forms offer them,
/// the database stores their raw values (docs/api-contract.md#resources).

/// Whether a machine (or an attachment) can be booked. Stored as its raw value.
public enum EquipmentStatus: String, CaseIterable, Sendable {
    case available
    case busy
    case maintenance
    case inactive

    /// The Russian label shown to users.
    public var title: String {
        switch self {
        case .available: "Доступна"
        case .busy: "Занята"
        case .maintenance: "На обслуживании"
        case .inactive: "Неактивна"
        }
    }
}

/// What kind of material a row is. The web form once also offered «Прочее» (`other`), which the API refused;
/// only these three can be stored.
public enum MaterialCategory: String, CaseIterable, Sendable {
    case soil
    case tool
    case attachment

    /// «Грунт», «Инструмент», «Навеска».
    public var title: String {
        switch self {
        case .soil: "Грунт"
        case .tool: "Инструмент"
        case .attachment: "Навеска"
        }
    }
}

/// Units a service or a material is priced in: the stored code and the short Russian label.
/// Codes not in the list are stored and shown as typed.
public enum CatalogUnit {
    /// `m3` → «м³».
    public static let labels: [String: String] = [
        "m3": "м³", "hour": "ч", "pcs": "шт", "shift": "смена", "day": "дн.", "t": "т", "km": "км",
        "service": "усл.", "m2": "м²", "m": "м", "kg": "кг", "trip": "рейс",
    ]

    /// Labels (and the spellings people type) back to codes: «м³», «м3» → `m3`.
    private static let codes: [String: String] = {
        var codes = Dictionary(uniqueKeysWithValues: labels.map { ($0.value, $0.key) })
        codes["м3"] = "m3"
        codes["м2"] = "m2"
        codes["шт."] = "pcs"
        return codes
    }()

    /// The label shown for a stored unit code; an unknown code is shown as it is.
    public static func label(_ code: String) -> String { labels[code] ?? code }

    /// The code stored for a label typed in a form; anything unknown is kept as typed.
    public static func code(_ label: String) -> String { codes[label] ?? label }

    /// The unit a new material form starts with (`m3`).
    public static let materialDefault = "m3"
    /// The unit a new service form starts with (`service`).
    public static let serviceDefault = "service"
}

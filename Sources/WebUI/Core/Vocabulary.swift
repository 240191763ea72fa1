import Domain

/// Enumerations the pages show. They mirror server-side values (raw values are the stored/API strings) and carry the
/// Russian labels; the controllers map database values onto them. Order-line types, salary statuses and the
/// catalog's vocabulary (`EquipmentStatus`, `MaterialCategory`, `CatalogUnit`) are Domain's own.

/// The four catalogue sections; the raw value is the URL segment (`/catalog/equipment`).
public enum CatalogKind: String, CaseIterable, Sendable {
    case equipment
    case services
    case materials
    case attachments

    /// Tab and page title: «Техника», «Услуги», «Материалы», «Навески».
    public var title: String {
        switch self {
        case .equipment: "Техника"
        case .services: "Услуги"
        case .materials: "Материалы"
        case .attachments: "Навески"
        }
    }

    /// Add button and new-item page title.
    public var addTitle: String {
        switch self {
        case .equipment: "Добавить технику"
        case .services: "Добавить услугу"
        case .materials: "Добавить материал"
        case .attachments: "Добавить навеску"
        }
    }

    /// Edit page title.
    public var editTitle: String {
        switch self {
        case .equipment: "Редактировать технику"
        case .services: "Редактировать услугу"
        case .materials: "Редактировать материал"
        case .attachments: "Редактировать навеску"
        }
    }

    /// Empty-list text.
    public var emptyText: String {
        switch self {
        case .equipment: "Техника не найдена."
        case .services: "Услуги не найдены."
        case .materials: "Материалы не найдены."
        case .attachments: "Навески не найдены."
        }
    }
}

/// Group labels for Domain's order-line type in the catalogue picker.
extension ItemType {
    /// «Техника», «Услуги», «Материалы», «Навески».
    var groupTitle: String {
        switch self {
        case .equipment: "Техника"
        case .service: "Услуги"
        case .material: "Материалы"
        case .attachment: "Навески"
        }
    }
}

/// The three report pages; the raw value is the URL segment (`/reports/summary`).
public enum ReportKind: String, CaseIterable, Sendable {
    case summary
    case equipment
    case employees

    public var title: String {
        switch self {
        case .summary: "Общий отчёт"
        case .equipment: "Отчёт по технике"
        case .employees: "Отчёт по сотрудникам"
        }
    }

    public var subtitle: String {
        switch self {
        case .summary: "Выручка, расходы, маржа и количество завершённых заявок."
        case .equipment: "Загрузка техники, выручка и расходы по каждой единице."
        case .employees: "Выручка, часы работы и количество назначений по операторам."
        }
    }
}

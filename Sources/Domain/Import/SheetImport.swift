import Foundation

/// What a spreadsheet import can load (docs/import.md#spreadsheets).
public enum ImportKind: String, CaseIterable, Sendable {
    case equipment
    case services
    case materials
    case clients

    /// «Техника», «Услуги», «Материалы», «Клиенты».
    public var title: String {
        switch self {
        case .equipment: "Техника"
        case .services: "Услуги"
        case .materials: "Материалы"
        case .clients: "Клиенты"
        }
    }

    /// The columns, in the order of the template and of the export.
    public var columns: [ImportColumn] {
        switch self {
        case .equipment:
            [
                .init("code", "Код", .text(50), required: true), .init("name", "Название", .text(255), required: true),
                .init("description", "Описание", .text(10_000)),
                .init("hourly_rate", "Ставка в час", .money, required: true),
                .init("daily_rate", "Ставка за смену", .money),
                .init("fuel_consumption", "Расход топлива", .hundredths),
                .init("status", "Статус", .choice(EquipmentStatus.allCases.map { ($0.rawValue, $0.title) })),
            ]
        case .services:
            [
                .init("name", "Название", .text(200), required: true),
                .init("category", "Категория", .text(200), required: true), .init("unit", "Единица", .unit),
                .init("price", "Цена", .money), .init("default_duration", "Длительность", .hundredths),
                .init("is_active", "Активна", .flag),
            ]
        case .materials:
            [
                .init("name", "Название", .text(200), required: true),
                .init("category", "Категория", .choice(MaterialCategory.allCases.map { ($0.rawValue, $0.title) })),
                .init("unit", "Единица", .unit), .init("price", "Цена", .money, required: true),
                .init("density", "Плотность", .hundredths), .init("supplier", "Поставщик", .text(255)),
                .init("is_active", "Активен", .flag),
            ]
        case .clients:
            [
                .init("name", "Название", .text(255), required: true),
                .init("contact_person", "Контактное лицо", .text(255)), .init("phone", "Телефон", .text(32)),
                .init("email", "E-mail", .text(254)), .init("address", "Адрес", .text(500)),
                .init("city", "Город", .text(120)), .init("inn", "ИНН", .text(20)), .init("kpp", "КПП", .text(20)),
                .init("notes", "Примечание", .text(10_000)),
            ]
        }
    }

    /// The column an existing row is found by: the code for machines, the ИНН (else the name) for clients,
    /// the name for the rest.
    public var matchKeys: [String] {
        switch self {
        case .equipment: ["code"]
        case .clients: ["inn", "name"]
        case .services, .materials: ["name"]
        }
    }
}

/// One column of an import: its API name (also the English header), its Russian header, and how a cell is read.
public struct ImportColumn: Sendable {
    public enum Format: Sendable {
        case text(Int)
        /// Roubles → kopecks.
        case money
        /// A decimal with up to two places → hundredths.
        case hundredths
        /// One of a closed list, by its code or its Russian label.
        case choice([(code: String, title: String)])
        /// A unit code or its label (`CatalogUnit`).
        case unit
        /// да/нет, yes/no, true/false, 1/0.
        case flag
    }

    public let key: String
    public let title: String
    public let format: Format
    public let required: Bool

    public init(_ key: String, _ title: String, _ format: Format, required: Bool = false) {
        self.key = key
        self.title = title
        self.format = format
        self.required = required
    }
}

/// A cell as it will be saved.
public enum ImportValue: Sendable, Equatable {
    case text(String)
    case scaled(Int64)
    case flag(Bool)

    public var text: String? {
        if case .text(let value) = self { return value }
        return nil
    }
    public var scaled: Int64? {
        if case .scaled(let value) = self { return value }
        return nil
    }
    public var flag: Bool? {
        if case .flag(let value) = self { return value }
        return nil
    }
}

/// A spreadsheet read and checked, before anything is written.
public struct ImportSheet: Sendable {
    public struct Row: Sendable {
        /// The line in the file (the header is line 1).
        public var line: Int
        /// The cells that were filled in.
        public var values: [String: ImportValue]
        /// The optional columns of the file whose cell on this line is empty: the import clears these fields
        /// (docs/import.md#empty-cells). A column the file does not have keeps the stored value.
        public var cleared: Set<String> = []

        public func text(_ key: String) -> String? { values[key]?.text }
    }

    public struct Problem: Sendable, Equatable {
        /// The line in the file; 1 is the header.
        public var line: Int
        public var message: String

        public init(line: Int, message: String) {
            self.line = line
            self.message = message
        }
    }

    public var kind: ImportKind
    /// The file's columns that were recognised, in file order.
    public var columns: [ImportColumn]
    public var rows: [Row] = []
    public var problems: [Problem] = []
    /// Lines that had at least one problem (they are not saved).
    public var badLines: Set<Int> { Set(problems.map(\.line)) }
    /// The rows that will be saved.
    public var goodRows: [Row] { rows.filter { !badLines.contains($0.line) } }

    /// Reads `table` (the first row names the columns, in Russian or English). A header problem (an unknown
    /// or missing required column) is a problem of line 1 and no row is read.
    public init(kind: ImportKind, table: [[String]]) {
        self.kind = kind
        self.columns = []
        guard let header = table.first else {
            problems.append(Problem(line: 1, message: "Файл пуст: в первой строке должны быть названия столбцов."))
            return
        }
        var positions: [(Int, ImportColumn)] = []
        for (index, name) in header.enumerated() {
            let wanted = Self.normalized(name)
            if wanted.isEmpty { continue }
            guard let column = kind.columns.first(where: { Self.normalized($0.title) == wanted || $0.key == wanted })
            else {
                problems.append(Problem(line: 1, message: "Неизвестный столбец «\(name)»."))
                continue
            }
            if positions.contains(where: { $0.1.key == column.key }) {
                problems.append(Problem(line: 1, message: "Столбец «\(column.title)» указан дважды."))
                continue
            }
            positions.append((index, column))
        }
        for column in kind.columns where column.required && !positions.contains(where: { $0.1.key == column.key }) {
            problems.append(Problem(line: 1, message: "Нет обязательного столбца «\(column.title)»."))
        }
        columns = positions.map(\.1)
        guard problems.isEmpty else { return }
        var seen: [String: Int] = [:]
        for (offset, cells) in table.dropFirst().enumerated() {
            let line = offset + 2
            if cells.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { continue }
            var row = Row(line: line, values: [:])
            for (index, column) in positions {
                let raw = Self.unguarded(
                    index < cells.count ? cells[index].trimmingCharacters(in: .whitespacesAndNewlines) : "")
                if raw.isEmpty {
                    if column.required {
                        problems.append(Problem(line: line, message: "«\(column.title)»: не заполнено."))
                    } else {
                        row.cleared.insert(column.key)
                    }
                    continue
                }
                switch Self.read(raw, as: column.format) {
                case .success(let value): row.values[column.key] = value
                case .failure(let error):
                    problems.append(Problem(line: line, message: "«\(column.title)»: \(error.message)"))
                }
            }
            if let key = kind.matchKeys.lazy.compactMap({ row.text($0).map { $0.lowercased() } }).first {
                if let first = seen[key] {
                    problems.append(
                        Problem(line: line, message: "Повтор: та же запись уже в строке \(first) файла."))
                } else {
                    seen[key] = line
                }
            }
            rows.append(row)
        }
        if rows.isEmpty, problems.isEmpty {
            problems.append(Problem(line: 2, message: "В файле нет ни одной строки данных."))
        }
    }

    public struct CellError: Error {
        public var message: String
    }

    static func read(_ raw: String, as format: ImportColumn.Format) -> Result<ImportValue, CellError> {
        switch format {
        case .text(let maxLength):
            guard raw.count <= maxLength else {
                return .failure(CellError(message: "не длиннее \(maxLength) символов."))
            }
            return .success(.text(raw))
        case .money, .hundredths:
            let compact = raw.filter { !$0.isWhitespace && $0 != "\u{00A0}" && $0 != "₽" }
            guard
                let value = DecimalParser.parse(compact, maxFractionDigits: 2, maxIntegerDigits: 10, allowsComma: true)
            else { return .failure(CellError(message: "«\(raw)» — не число.")) }
            guard value >= 0 else { return .failure(CellError(message: "не может быть отрицательным.")) }
            var scaled = value * 100
            var rounded = Decimal()
            NSDecimalRound(&rounded, &scaled, 0, .plain)
            return .success(.scaled(Int64(truncating: NSDecimalNumber(decimal: rounded))))
        case .choice(let options):
            let wanted = normalized(raw)
            guard let option = options.first(where: { $0.code == wanted || normalized($0.title) == wanted }) else {
                let list = options.map(\.title).joined(separator: ", ")
                return .failure(CellError(message: "«\(raw)» — нет такого значения (\(list))."))
            }
            return .success(.text(option.code))
        case .unit:
            return .success(.text(CatalogUnit.code(raw)))
        case .flag:
            switch normalized(raw) {
            case "да", "yes", "true", "1", "+": return .success(.flag(true))
            case "нет", "no", "false", "0", "-": return .success(.flag(false))
            default: return .failure(CellError(message: "«\(raw)» — укажите «да» или «нет»."))
            }
        }
    }

    /// Our CSV export writes `'` before text a spreadsheet would run as a formula (`'+7999…`); read back, the
    /// mark is dropped so that the export imports unchanged.
    static func unguarded(_ cell: String) -> String {
        guard cell.hasPrefix("'"), let next = cell.dropFirst().first, "=+-@".contains(next) else { return cell }
        return String(cell.dropFirst())
    }

    /// Header and choice matching ignores case, surrounding spaces, `*` (required marks) and ё/е.
    static func normalized(_ text: String) -> String {
        text.trimmingCharacters(in: .whitespacesAndNewlines).trimmingCharacters(in: CharacterSet(charactersIn: "*"))
            .trimmingCharacters(in: .whitespaces).lowercased().replacingOccurrences(of: "ё", with: "е")
    }
}

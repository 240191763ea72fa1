import Domain
import Foundation
import SQLKit
import Testing
import Vapor
import ZIPFoundation

@testable import App

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// The worked example of docs/domain-rules.md#reports-worked-example, built through the API: two completed orders
/// in March 2025, one in progress, a rent expense in March and an "other" expense in February.
struct WorkedExample {
    var admin: String
    var manager: String
    var accountant: String
    var ivanov: (id: Int, token: String)
    var petrov: (id: Int, token: String)
    var clientID: Int
    var machine1: Int
    var machine2: Int
    var orderA: String
    var orderB: String
    var orderC: String
}

extension TestApp {
    func buildWorkedExample() async throws -> WorkedExample {
        let (_, admin) = try await user(.admin)
        let (_, manager) = try await user(.manager)
        let (_, accountant) = try await user(.accountant)
        let (ivanovUser, ivanovToken) = try await user(.operator, firstName: "Иван", lastName: "Иванов")
        let (petrovUser, petrovToken) = try await user(.operator, firstName: "Пётр", lastName: "Петров")
        let ivanov = try #require(ivanovUser.id)
        let petrov = try #require(petrovUser.id)
        let clientID = try await client()
        let machine1 = try await equipment(name: "MST 644 S", hourlyRate: 245_000, dailyRate: 3_000_000)
        let machine2 = try await equipment(name: "SY35U", hourlyRate: 245_000, dailyRate: nil)
        let planning = try await service(name: "Планировка участка", price: 500_000)
        let removal = try await service(name: "Вывоз мусора", price: 700_000)
        let soil = try await material(name: "Чернозем", price: 120_000, category: "soil")
        let hammer = try await material(name: "Гидромолот", price: 400_000, category: "attachment")

        let orderA = try await completedOrder(
            manager: manager, clientID: clientID, operators: [ivanov, petrov],
            start: "2025-03-10T08:00:00+03:00", end: "2025-03-11T19:00:00+03:00",
            items: [
                ["item_type": "equipment", "ref_id": machine1, "discount": 10, "metadata": ["shifts": 2, "hours": 3]],
                ["item_type": "service", "ref_id": planning, "quantity": 2, "tax_rate": 20],
                ["item_type": "material", "ref_id": soil, "quantity": 10],
                ["item_type": "material", "ref_id": hammer, "quantity": 1],
            ],
            completion: [
                [
                    "item_type": "equipment", "ref_id": machine1, "metadata": ["shifts": 2, "hours": 3],
                    "fuel_expense": "3000", "repair_expense": 1500,
                ],
                ["item_type": "service", "ref_id": planning, "quantity": 2],
                ["item_type": "material", "ref_id": soil, "quantity": 10],
                ["item_type": "material", "ref_id": hammer, "quantity": 1],
            ])
        try #require(
            try await send(.GET, "/api/v1/orders/\(orderA)/", token: manager).string("total_amount") == "88615.00")
        try await pay(orderA, manager: manager, [(ivanov, 8000), (petrov, 6000)])

        let orderB = try await completedOrder(
            manager: manager, clientID: clientID, operators: [ivanov],
            start: "2025-03-20T09:00:00+03:00", end: "2025-03-20T15:00:00+03:00",
            items: [
                ["item_type": "equipment", "ref_id": machine2, "metadata": ["hours": 6]],
                ["item_type": "service", "ref_id": removal, "quantity": 1],
            ],
            completion: [
                ["item_type": "equipment", "ref_id": machine2, "metadata": ["hours": 6], "fuel_expense": 1200],
                ["item_type": "service", "ref_id": removal, "quantity": 1],
            ])
        try #require(
            try await send(.GET, "/api/v1/orders/\(orderB)/", token: manager).string("total_amount") == "21700.00")
        try await pay(orderB, manager: manager, [(ivanov, 3000)])

        let created = try await createOrder(
            token: manager,
            [
                "client_id": clientID, "start_dt": "2025-03-25T09:00:00+03:00", "operator_ids": [petrov],
                "items": [["item_type": "equipment", "ref_id": machine1, "metadata": ["hours": 4]]],
            ])
        let orderC = try #require(created.string("id"))
        for status in ["APPROVED", "IN_PROGRESS"] {
            try #require(
                try await send(.PATCH, "/api/v1/orders/\(orderC)/status/", token: manager, json: ["status": status])
                    .status == .ok)
        }
        try await pay(orderC, manager: manager, [(petrov, 2500)])

        let rent = try await send(
            .POST, "/api/v1/expenses/", token: accountant,
            json: [
                "category": "rent", "amount": "10000.00", "date": "2025-03-15", "comment": "Аренда площадки",
            ])
        try #require(rent.status == .created)
        let other = try await send(
            .POST, "/api/v1/expenses/", token: accountant,
            json: [
                "category": "other", "amount": 500, "date": "2025-02-28",
            ])
        try #require(other.status == .created)
        return WorkedExample(
            admin: admin, manager: manager, accountant: accountant, ivanov: (ivanov, ivanovToken),
            petrov: (petrov, petrovToken), clientID: clientID, machine1: machine1, machine2: machine2, orderA: orderA,
            orderB: orderB, orderC: orderC)
    }

    /// Creates an order, moves it to IN_PROGRESS and completes it; returns its id.
    func completedOrder(
        manager: String, clientID: Int?, operators: [Int] = [], start: String, end: String, items: [[String: Any]],
        completion: [[String: Any]]? = nil, meta: [String: Any]? = nil
    ) async throws -> String {
        var body: [String: Any] = ["start_dt": start, "end_dt": end, "operator_ids": operators, "items": items]
        body["client_id"] = clientID ?? NSNull()
        if let meta { body["meta"] = meta }
        let created = try await createOrder(token: manager, body)
        guard created.status == .created, let id = created.string("id") else {
            throw TestFailure("create: \(created.body)")
        }
        for status in ["APPROVED", "IN_PROGRESS"] {
            let reply = try await send(.PATCH, "/api/v1/orders/\(id)/status/", token: manager, json: ["status": status])
            guard reply.status == .ok else { throw TestFailure("\(status): \(reply.body)") }
        }
        let done = try await send(
            .POST, "/api/v1/orders/\(id)/complete/", token: manager,
            json: [
                "end_dt": end, "items": completion ?? items,
            ])
        guard done.status == .ok else { throw TestFailure("complete: \(done.body)") }
        return id
    }

    func pay(_ orderID: String, manager: String, _ amounts: [(Int, Int)]) async throws {
        let reply = try await send(
            .POST, "/api/v1/orders/\(orderID)/salaries/", token: manager,
            json: [
                "operator_salaries": amounts.map { ["operator_id": $0.0, "salary": $0.1] }
            ])
        guard reply.status == .ok else { throw TestFailure("salaries: \(reply.body)") }
    }
}

/// Reads an `.xlsx` body back: unzips it with ZIPFoundation and parses the sheet XML into rows of cell texts.
enum XLSXReader {
    struct Workbook {
        var entries: [String]
        var rows: [[String]]
        var sheetName: String?
    }

    static func read(_ data: Data) throws -> Workbook {
        let archive = try Archive(data: data, accessMode: .read)
        var entries: [String] = []
        var sheet = Data()
        var workbook = Data()
        for entry in archive {
            entries.append(entry.path)
            if entry.path == "xl/worksheets/sheet1.xml" {
                _ = try archive.extract(entry) { sheet.append($0) }
            }
            if entry.path == "xl/workbook.xml" {
                _ = try archive.extract(entry) { workbook.append($0) }
            }
        }
        let parser = SheetParser()
        // A stream feeds libxml2 in chunks; one chunk above 10 MB is refused without its "huge" option.
        let xml = XMLParser(stream: InputStream(data: sheet))
        xml.delegate = parser
        guard xml.parse() else { throw TestFailure("sheet XML does not parse: \(String(describing: xml.parserError))") }
        let names = SheetNameParser()
        let workbookXML = XMLParser(data: workbook)
        workbookXML.delegate = names
        _ = workbookXML.parse()
        return Workbook(entries: entries, rows: parser.rows, sheetName: names.name)
    }

    private final class SheetParser: NSObject, XMLParserDelegate {
        var rows: [[String]] = []
        private var row: [String] = []
        private var text = ""
        private var inValue = false
        private var column = 0

        func parser(
            _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
            attributes: [String: String] = [:]
        ) {
            switch name {
            case "row": row = []
            case "c":
                // Cells may be skipped when empty: place them by their reference (A1, B1, …).
                let letters = (attributes["r"] ?? "").prefix { $0.isLetter }
                column = letters.reduce(0) { $0 * 26 + Int($1.asciiValue ?? 65) - 64 } - 1
                while row.count < column { row.append("") }
                text = ""
            case "v", "t":
                inValue = true
            default: break
            }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            if inValue { text += string }
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            switch name {
            case "v", "t": inValue = false
            case "c": row.append(text)
            case "row": rows.append(row)
            default: break
            }
        }
    }

    private final class SheetNameParser: NSObject, XMLParserDelegate {
        var name: String?
        func parser(
            _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
            attributes: [String: String] = [:]
        ) {
            if name == "sheet" { self.name = attributes["name"] }
        }
    }
}

/// Splits CSV text (RFC 4180 quoting) into rows of fields.
enum CSVReader {
    static func rows(_ text: String, separator: Character) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var quoted = false
        var iterator = Array(text).makeIterator()
        var pending: Character? = nil
        while let character = pending ?? iterator.next() {
            pending = nil
            if quoted {
                if character == "\"" {
                    if let next = iterator.next() {
                        if next == "\"" {
                            field.append("\"")
                        } else {
                            quoted = false
                            pending = next
                        }
                    } else {
                        quoted = false
                    }
                } else {
                    field.append(character)
                }
            } else if character == "\"" {
                quoted = true
            } else if character == separator {
                row.append(field)
                field = ""
            } else if character == "\r\n" || character == "\n" {
                row.append(field)
                rows.append(row)
                row = []
                field = ""
            } else {
                field.append(character)
            }
        }
        if !field.isEmpty || !row.isEmpty {
            row.append(field)
            rows.append(row)
        }
        return rows
    }
}

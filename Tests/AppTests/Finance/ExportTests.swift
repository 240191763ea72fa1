import Domain
import Foundation
import SQLKit
import Testing
import Vapor

@testable import App

@Suite("Exports: CSV with BOM, semicolons for Excel-ru, real XLSX read back")
struct ExportTests {
    @Test func summaryCSVHasABOMAndParsesBack() async throws {
        try await TestApp.run { t in
            let data = try await t.buildWorkedExample()
            let reply = try await t.send(
                .GET, "/api/v1/reports/summary/?\(ReportTests.march)&export=csv", token: data.admin)
            #expect(reply.status == .ok)
            #expect(reply.headers.first(name: .contentType)?.hasPrefix("text/csv") == true)
            #expect(reply.headers.first(name: .contentDisposition)?.contains("summary-report.csv") == true)
            #expect(Array(reply.data.prefix(3)) == [0xEF, 0xBB, 0xBF])
            let text = String(decoding: reply.data.dropFirst(3), as: UTF8.self)
            let rows = CSVReader.rows(text, separator: ",")
            #expect(rows.first == ["Показатель", "Значение", "Подробности"])
            let values = Dictionary(rows.dropFirst().map { ($0[0], $0[1]) }, uniquingKeysWith: { first, _ in first })
            #expect(values["Выручка"] == "110315.00")
            #expect(values["Расходы"] == "15700.00")
            #expect(values["Расходы: ремонт"] == "1500.00")
            #expect(values["Зарплаты"] == "17000.00")
            #expect(values["Маржа"] == "77615.00")
            #expect(values["Заявок"] == "2")
            let equipmentDetails = rows.first { $0.first == "Выручка: техника" }?.last
            #expect(equipmentDetails?.contains("смены: 2.00") == true)
        }
    }

    @Test func semicolonCSVUsesDecimalCommas() async throws {
        try await TestApp.run { t in
            let data = try await t.buildWorkedExample()
            let reply = try await t.send(
                .GET, "/api/v1/reports/equipment/?\(ReportTests.march)&export=csv&sep=semicolon", token: data.accountant
            )
            #expect(reply.status == .ok)
            let rows = CSVReader.rows(String(decoding: reply.data.dropFirst(3), as: UTF8.self), separator: ";")
            let header = try #require(rows.first)
            #expect(header.contains("Ремонт"))
            #expect(header.contains("Маржа"))
            let machine = try #require(rows.first { $0.first == String(data.machine1) })
            #expect(machine[header.firstIndex(of: "Выручка без топлива и ремонта") ?? 0] == "56115,00")
            #expect(machine[header.firstIndex(of: "Ремонт") ?? 0] == "1500,00")
            #expect(machine[header.firstIndex(of: "Маржа") ?? 0] == "42115,00")
            let badSeparator = try await t.send(
                .GET, "/api/v1/reports/equipment/?export=csv&sep=tab", token: data.admin)
            #expect(badSeparator.status == .badRequest)
        }
    }

    @Test func employeesXLSXIsARealWorkbook() async throws {
        try await TestApp.run { t in
            let data = try await t.buildWorkedExample()
            let reply = try await t.send(
                .GET, "/api/v1/reports/employees/?\(ReportTests.march)&export=xlsx", token: data.admin)
            #expect(reply.status == .ok)
            #expect(
                reply.headers.first(name: .contentType)
                    == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            #expect(reply.headers.first(name: .contentDisposition)?.contains("employees-report.xlsx") == true)
            #expect(Array(reply.data.prefix(2)) == [0x50, 0x4B])  // "PK": a zip file
            let book = try XLSXReader.read(reply.data)
            for part in [
                "[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml",
                "xl/worksheets/sheet1.xml",
            ] {
                #expect(book.entries.contains(part))
            }
            #expect(book.sheetName == "Сотрудники")
            #expect(
                book.rows.first == [
                    "ID", "Сотрудник", "Начислено", "Часы", "Заявок", "Ожидает", "Одобрено", "Выплачено",
                ])
            let ivanov = try #require(book.rows.first { $0.count > 1 && $0[1] == "Иван Иванов" })
            #expect(ivanov[2] == "11000.00")
            #expect(ivanov[3] == "41.00")
            #expect(ivanov[4] == "2")
            #expect(book.rows.count == 3)
        }
    }

    @Test func summaryAndEquipmentXLSXReadBack() async throws {
        try await TestApp.run { t in
            let data = try await t.buildWorkedExample()
            let summary = try XLSXReader.read(
                try await t.send(.GET, "/api/v1/reports/summary/?\(ReportTests.march)&export=xlsx", token: data.admin)
                    .data)
            #expect(summary.rows.first { $0.first == "Маржа" }?[1] == "77615.00")
            let equipment = try XLSXReader.read(
                try await t.send(.GET, "/api/v1/reports/equipment/?\(ReportTests.march)&export=xlsx", token: data.admin)
                    .data)
            let header = try #require(equipment.rows.first)
            let machine = try #require(equipment.rows.first { $0.first == String(data.machine1) })
            #expect(machine[header.firstIndex(of: "Выручка без топлива и ремонта") ?? 0] == "56115.00")
            #expect(machine[header.firstIndex(of: "Загрузка, %") ?? 0] == "7.66")
        }
    }

    @Test func orderListExportsFollowTheListFiltersAndScope() async throws {
        try await TestApp.run { t in
            let data = try await t.buildWorkedExample()
            let csv = try await t.send(
                .GET, "/api/v1/orders/?export=csv&status=COMPLETED&ordering=start_dt", token: data.manager)
            #expect(csv.status == .ok)
            #expect(csv.headers.first(name: .contentDisposition)?.contains("orders.csv") == true)
            let rows = CSVReader.rows(String(decoding: csv.data.dropFirst(3), as: UTF8.self), separator: ",")
            #expect(rows.count == 3)
            #expect(rows[0] == OrderExport.headers)
            #expect(rows[1][1] == "Завершён")
            #expect(rows[1][5] == "2025-03-10 08:00")
            #expect(rows[1][8] == "Иван Иванов, Пётр Петров")
            #expect(rows[1][9] == "88615.00")
            #expect(rows[2][9] == "21700.00")

            let xlsx = try await t.send(.GET, "/api/v1/orders/?export=xlsx", token: data.manager)
            let book = try XLSXReader.read(xlsx.data)
            #expect(book.rows.count == 4)
            #expect(book.rows.dropFirst().contains { $0.count > 2 && $0[2] == "ООО Ромашка" })

            // An operator exports only their own orders.
            let own = try await t.send(.GET, "/api/v1/orders/?export=csv", token: data.petrov.token)
            #expect(CSVReader.rows(String(decoding: own.data.dropFirst(3), as: UTF8.self), separator: ",").count == 3)
            #expect(try await t.send(.GET, "/api/v1/orders/?export=pdf", token: data.manager).status == .badRequest)
            #expect(try await t.send(.GET, "/api/v1/orders/?export=csv").status == .unauthorized)
        }
    }

    @Test func textThatLooksLikeAFormulaIsDefused() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let writer = try CSVTableWriter(directory: directory, semicolons: false)
        try writer.write([.text("=HYPERLINK(\"x\")"), .text("a,b"), .number("-5.50"), .text("Кран \"Ивановец\"")])
        let text = String(decoding: try Data(contentsOf: try writer.finish()).dropFirst(3), as: UTF8.self)
        #expect(text == "\"'=HYPERLINK(\"\"x\"\")\",\"a,b\",-5.50,\"Кран \"\"Ивановец\"\"\"\r\n")
        #expect(XLSXTableWriter.columnName(0) == "A")
        #expect(XLSXTableWriter.columnName(25) == "Z")
        #expect(XLSXTableWriter.columnName(26) == "AA")
        #expect(XLSXTableWriter.escape("a<b & \u{1}c") == "a&lt;b &amp; c")
    }

    /// 100 000 orders exported as XLSX without the process growing by more than 100 MiB.
    /// Slow (inserting the rows takes a while): runs when RINGO_EXPORT_STRESS=1.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["RINGO_EXPORT_STRESS"] == "1"))
    func allOrdersXLSXStreams() async throws {
        try await TestApp.run { t in
            let (_, admin) = try await t.user(.admin)
            let clientID = try await t.client()
            let sql = try t.db.sql()
            let total = Int(ProcessInfo.processInfo.environment["RINGO_EXPORT_ORDERS"] ?? "") ?? 100_000
            let start = Date(timeIntervalSince1970: 1_740_000_000)
            var number = 0
            while number < total {
                var insert = sql.insert(into: "orders").columns(
                    "id", "number", "number_value", "client_id", "address", "start_at", "end_at", "status",
                    "total_amount", "created_at", "updated_at", "search_text")
                for _ in 0..<min(500, total - number) {
                    number += 1
                    insert = insert.values(
                        SQLBind(UUID().uuidString.lowercased()), SQLBind(String(format: "%06d", number)),
                        SQLBind(Int64(number)), SQLBind(clientID), SQLBind("ст. Елизаветинская, ул. Садовая \(number)"),
                        SQLBind(start.addingTimeInterval(Double(number) * 600)),
                        SQLBind(start.addingTimeInterval(Double(number) * 600 + 3600)), SQLBind("COMPLETED"),
                        SQLBind(Int64(number) * 12_345), SQLBind(start), SQLBind(start), SQLBind(""))
                }
                try await insert.run()
            }
            let before = MemoryProbe.residentBytes()
            MemoryProbe.resetPeak()
            let began = Date()
            // VaporTesting's client keeps at most 1 MiB of a body; this one takes the whole file.
            let reply = try #require(try await t.concurrently([(.GET, "/api/v1/orders/?export=xlsx", admin)]).first)
            let seconds = Date().timeIntervalSince(began)
            let peak = MemoryProbe.peakBytes()
            #expect(reply.status == .ok)
            let growth = peak.map { $0 - before } ?? 0
            print(
                "orders xlsx: \(total) rows, \(reply.data.count) bytes, \(String(format: "%.1f", seconds)) s, "
                    + "RSS before \(before / 1_048_576) MiB, peak growth \(growth / 1_048_576) MiB")
            #expect(growth <= 100 * 1_048_576)
            if let path = ProcessInfo.processInfo.environment["RINGO_EXPORT_KEEP"] {
                try reply.data.write(to: URL(fileURLWithPath: path))
            }
            let book = try XLSXReader.read(reply.data)
            #expect(book.rows.count == total + 1)
        }
    }
}

/// Resident memory of this process from /proc (Linux).
enum MemoryProbe {
    static func residentBytes() -> Int { value("VmRSS") ?? 0 }
    static func peakBytes() -> Int? { value("VmHWM") }

    /// Resets the peak (VmHWM) to the current RSS.
    static func resetPeak() {
        try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)
    }

    private static func value(_ key: String) -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix(key + ":") {
            let digits = line.split(separator: " ").dropFirst().first { Int($0) != nil }
            return digits.flatMap { Int($0) }.map { $0 * 1024 }
        }
        return nil
    }
}

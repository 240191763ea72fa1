import Domain
import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting

@testable import App

/// The spreadsheet import (docs/import.md#spreadsheets): the service's rules without HTTP, and the web's
/// upload → preview → save.
struct TableImportTests {
    static func csv(_ text: String) -> Data { Data(text.utf8) }

    @Test func equipmentIsCreatedOrUpdatedByCodeAndBadRowsAreNotSaved() async throws {
        try await TestApp.run { t in
            let (admin, _) = try await t.user(.admin)
            let service = TableImportService(context: try t.services(as: admin))
            let existing = Equipment(code: "EX-1", name: "Старое имя", hourlyRate: 100_000)
            try await existing.save(on: t.db)
            let file = Self.csv(
                "Код;Название;Ставка в час;Ставка за смену;Статус\n"
                    + "EX-1;Экскаватор;1 500,50;;\n"
                    + "LD-2;Погрузчик;1200;9600;На обслуживании\n"
                    + "LD-3;;abc;;\n")
            let prepared = try await service.prepare(.equipment, data: file)
            #expect(prepared.created == 1)
            #expect(prepared.updated == 1)
            #expect(
                prepared.problems == [
                    .init(line: 4, message: "«Название»: не заполнено."),
                    .init(line: 4, message: "«Ставка в час»: «abc» — не число."),
                ])
            // Nothing is written by the preview.
            #expect(try await Equipment.query(on: t.db).count() == 1)

            let saved = try await service.commit(prepared)
            #expect(saved.created == 1 && saved.updated == 1)
            let machines = try await Equipment.query(on: t.db).sort(\.$code).all()
            #expect(machines.map(\.code) == ["EX-1", "LD-2"])
            #expect(machines[0].name == "Экскаватор")
            #expect(machines[0].hourlyRate == 150_050)
            #expect(machines[1].dailyRate == 960_000)
            #expect(machines[1].status == .maintenance)
            let audit = try await t.db.sql().raw(
                "SELECT COUNT(*) AS n FROM audit_entries WHERE entity_type = 'equipment' AND changes LIKE '%import%'"
            ).first()?.decode(column: "n", as: Int.self)
            #expect(audit == 2)
        }
    }

    @Test func servicesNeedAKnownCategoryAndClientsAreMatchedByINN() async throws {
        try await TestApp.run { t in
            let (admin, _) = try await t.user(.admin)
            let service = TableImportService(context: try t.services(as: admin))
            try await ServiceCategory(name: "Земляные работы").save(on: t.db)
            let services = try await service.prepare(
                .services,
                data: Self.csv("name,category,price\nКопка,земляные работы,2500\nВывоз,Перевозки,100\n"))
            #expect(services.rows.map(\.line) == [2])
            #expect(
                services.problems == [.init(line: 3, message: "«Категория»: нет категории «Перевозки» в каталоге.")])
            _ = try await service.commit(services)
            #expect(try await ServiceItem.query(on: t.db).all().map(\.name) == ["Копка"])

            let client = Client(name: "ООО Ромашка", phone: "+79990001122")
            client.inn = "7707083893"
            try await client.save(on: t.db)
            let clients = try await service.prepare(
                .clients,
                data: Self.csv(
                    "Название;Телефон;ИНН\nРомашка (новое имя);;7707083893\nИП Петров;89990002233;\n"
                        + "Без телефона;;\nПлохой;+7999;\n"))
            #expect(clients.rows.map(\.line) == [2, 3])
            #expect(clients.problems.map(\.line) == [4, 5])
            #expect(clients.updated == 1)
            _ = try await service.commit(clients)
            let all = try await Client.query(on: t.db).sort(\.$name).all()
            #expect(all.map(\.name) == ["ИП Петров", "Ромашка (новое имя)"])
            #expect(all[0].phone == "+79990002233")
        }
    }

    @Test func anEmptyCellClearsAnOptionalFieldAndAColumnLeftOutKeepsIt() async throws {
        try await TestApp.run { t in
            let (admin, _) = try await t.user(.admin)
            let service = TableImportService(context: try t.services(as: admin))
            let client = Client(name: "ООО Ромашка", phone: "+79990001122")
            client.contactPerson = "Иван Петров"
            client.city = "Самара"
            client.notes = "Платит вовремя"
            try await client.save(on: t.db)
            let machine = Equipment(code: "EX-1", name: "Экскаватор", hourlyRate: 100_000)
            machine.dailyRate = 800_000
            machine.status = .maintenance
            try await machine.save(on: t.db)

            // The export with the city blanked: the city is cleared, everything else stays.
            var table = try await Self.exported(.clients, service: service)
            let city = try #require(table[0].firstIndex(of: "Город"))
            #expect(table[1][city] == "Самара")
            table[1][city] = ""
            let blanked = try await service.prepare(.clients, data: Self.csv(table))
            #expect(blanked.problems.isEmpty)
            #expect(blanked.updated == 1)
            _ = try await service.commit(blanked)
            var stored = try #require(try await Client.find(client.id, on: t.db))
            #expect(stored.city == "")
            #expect(stored.contactPerson == "Иван Петров")
            #expect(stored.notes == "Платит вовремя")

            // A file without the notes column keeps them; its empty contact cell clears the contact.
            _ = try await service.commit(
                try await service.prepare(.clients, data: Self.csv("Название;Контактное лицо\nООО Ромашка;\n")))
            stored = try #require(try await Client.find(client.id, on: t.db))
            #expect(stored.contactPerson == "")
            #expect(stored.notes == "Платит вовремя")
            #expect(stored.phone == "+79990001122")

            // A blank required cell is the row's error; an optional number is cleared, a status is kept.
            var machines = try await Self.exported(.equipment, service: service)
            let name = try #require(machines[0].firstIndex(of: "Название"))
            let daily = try #require(machines[0].firstIndex(of: "Ставка за смену"))
            let status = try #require(machines[0].firstIndex(of: "Статус"))
            machines[1][daily] = ""
            machines[1][status] = ""
            let cleared = try await service.prepare(.equipment, data: Self.csv(machines))
            #expect(cleared.problems.isEmpty)
            _ = try await service.commit(cleared)
            let saved = try #require(try await Equipment.find(machine.id, on: t.db))
            #expect(saved.dailyRate == nil)
            #expect(saved.status == .maintenance)
            #expect(saved.hourlyRate == 100_000)
            machines[1][name] = ""
            let bad = try await service.prepare(.equipment, data: Self.csv(machines))
            #expect(bad.problems == [.init(line: 2, message: "«Название»: не заполнено.")])
            #expect(bad.rows.isEmpty)
        }
    }

    @Test func anOperatorMayNotImportAndAnUnreadableFileIsSaidSo() async throws {
        try await TestApp.run { t in
            let (driver, _) = try await t.user(.operator)
            await #expect(throws: TableImportError.self) {
                _ = try await TableImportService(context: try t.services(as: driver))
                    .prepare(.materials, data: Self.csv("name;price\nA;1\n"))
            }
            let (admin, _) = try await t.user(.admin)
            await #expect(throws: TableImportError.self) {
                _ = try await TableImportService(context: try t.services(as: admin))
                    .prepare(.materials, data: Data([0x50, 0x4B, 0x03, 0x04, 0x00]))
            }
        }
    }

    @Test func anXLSXTemplateFilledInAndUploadedOnTheWebIsPreviewedThenSaved() async throws {
        try await TestApp.run { t in
            let (web, _, _) = try await WebClient.signedIn(t, .manager)
            let list = try await web.get("/catalog/materials")
            #expect(list.contains("href=\"/import/materials\""))
            let form = try await web.get("/import/materials")
            #expect(form.status == .ok)
            #expect(form.contains("enctype=\"multipart/form-data\""))

            // The template is the header row; a sheet with it and two rows (one bad) is what a user uploads.
            let template = try await t.app.testing(method: .inMemory).sendRequest(
                .GET, "/import/materials/template?format=xlsx",
                headers: ["Cookie": web.cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")])
            #expect(template.status == .ok)
            let header = try XLSXReader.read(Data(buffer: template.body)).rows.first ?? []
            #expect(header == ImportKind.materials.columns.map(\.title))
            let book = try Self.xlsx([header, ["Щебень", "Грунт", "м³", "1250.5", "", "", "да"], ["", "", "", "x"]])

            let preview = try await Self.upload(web, kind: "materials", file: book, name: "materials.xlsx")
            #expect(preview.status == .ok)
            #expect(preview.contains("Щебень"))
            #expect(preview.contains("250,50"))
            #expect(preview.contains("«Название»: не заполнено."))
            #expect(try await MaterialItem.query(on: t.db).count() == 0)
            let token = try #require(Self.value(of: "token", in: preview.body))

            let saved = try await web.post("/import/materials/commit", [("token", token)])
            #expect(saved.status == .ok)
            #expect(saved.contains("Сохранено: 1"))
            #expect(saved.contains("новая запись"))
            let material = try #require(try await MaterialItem.query(on: t.db).first())
            #expect(material.price == 125_050)
            #expect(material.unit == "m3")
            // The token is used up.
            let again = try await web.post("/import/materials/commit", [("token", token)])
            #expect(again.status == .badRequest)
            #expect(again.contains("Предпросмотр устарел"))
        }
    }

    @Test(arguments: ["csv", "xlsx"])
    func whatTheExportWritesTheImportReadsBackUnchanged(_ format: String) async throws {
        try await TestApp.run { t in
            let (web, _, _) = try await WebClient.signedIn(t, .admin)
            let machine = Equipment(code: "EX-9", name: "Экскаватор «Большой»; 20 т", hourlyRate: 250_050)
            machine.dailyRate = 1_800_000
            machine.fuelConsumption = 1_250
            machine.status = .maintenance
            try await machine.save(on: t.db)
            try await Equipment(code: "LD-1", name: "Погрузчик", hourlyRate: 100_000).save(on: t.db)
            let cookie = web.cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
            let export = try await t.app.testing(method: .inMemory).sendRequest(
                .GET, "/import/equipment/export?format=\(format)", headers: ["Cookie": cookie])
            #expect(export.status == .ok)
            let before = try await Equipment.query(on: t.db).sort(\.$code).all().map {
                [$0.code, $0.name, String($0.hourlyRate), String(describing: $0.dailyRate), $0.statusValue]
            }
            let auditBefore = try await t.db.sql().raw("SELECT COUNT(*) AS n FROM audit_entries").first()?
                .decode(column: "n", as: Int.self)

            try await web.get("/import/equipment")
            let preview = try await Self.upload(
                web, kind: "equipment", file: Data(buffer: export.body), name: "equipment.\(format)")
            #expect(preview.contains("Строк с ошибками: 0"))
            #expect(preview.contains("новых записей, 2\u{00A0}обновления"))
            let token = try #require(Self.value(of: "token", in: preview.body))
            let saved = try await web.post("/import/equipment/commit", [("token", token)])
            #expect(saved.status == .ok)
            let after = try await Equipment.query(on: t.db).sort(\.$code).all().map {
                [$0.code, $0.name, String($0.hourlyRate), String(describing: $0.dailyRate), $0.statusValue]
            }
            #expect(after == before)
            #expect(try await Equipment.query(on: t.db).first()?.fuelConsumption == 1_250)
            let auditAfter = try await t.db.sql().raw("SELECT COUNT(*) AS n FROM audit_entries").first()?
                .decode(column: "n", as: Int.self)
            #expect(auditAfter == auditBefore)
        }
    }

    @Test func anOperatorCannotOpenTheImportPages() async throws {
        try await TestApp.run { t in
            let (web, _, _) = try await WebClient.signedIn(t, .operator)
            let page = try await web.get("/import/clients")
            #expect(page.status != .ok)
        }
    }

    /// What the export writes for `kind`, as rows of cells (the header first).
    static func exported(_ kind: ImportKind, service: TableImportService) async throws -> [[String]] {
        let writer = try TableWriter(
            ExportRequest(format: .csv, usesSemicolons: true), sheetName: kind.title,
            headers: kind.columns.map(\.title))
        defer { writer.discard() }
        try await service.export(kind, into: writer)
        return try SpreadsheetFile.table(try Data(contentsOf: try writer.finish()))
    }

    static func csv(_ rows: [[String]]) -> Data {
        csv(rows.map { $0.joined(separator: ";") }.joined(separator: "\n") + "\n")
    }

    static func value(of name: String, in html: String) -> String? {
        guard let range = html.range(of: "name=\"\(name)\" value=\"") else { return nil }
        let rest = html[range.upperBound...]
        return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
    }

    static func upload(_ web: WebClient, kind: String, file: Data, name: String) async throws -> WebClient.Page {
        let boundary = "ringo-import-\(UUID().uuidString)"
        var body = ByteBuffer()
        body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n\(web.csrf)\r\n")
        body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(name)\"\r\n")
        body.writeString("Content-Type: application/octet-stream\r\n\r\n")
        body.writeBytes(file)
        body.writeString("\r\n--\(boundary)--\r\n")
        var headers = HTTPHeaders()
        headers.add(name: .cookie, value: web.cookies.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: "; "))
        headers.add(name: .contentType, value: "multipart/form-data; boundary=\(boundary)")
        let response = try await web.t.app.testing(method: .inMemory)
            .sendRequest(.POST, "/import/\(kind)", headers: headers, body: body)
        let page = WebClient.Page(status: response.status, headers: response.headers, body: response.body.string)
        if let token = WebClient.csrfToken(in: page.body) { web.csrf = token }
        return page
    }

    /// A workbook written by our own export writer (inline strings; numbers as numbers).
    static func xlsx(_ rows: [[String]]) throws -> Data {
        let writer = try TableWriter(
            ExportRequest(format: .xlsx, usesSemicolons: false), sheetName: "Лист1", headers: rows.first ?? [])
        for row in rows.dropFirst() {
            try writer.write(row.map { Double($0) != nil ? ExportCell.number($0) : ExportCell.text($0) })
        }
        let url = try writer.finish()
        defer { writer.discard() }
        return try Data(contentsOf: url)
    }
}

import Domain
import Foundation
import Testing

@testable import WebUI

@Suite struct ImportPageTests {
    static func preview() -> ImportModel.Preview {
        let columns = ImportKind.materials.columns
        return ImportModel.Preview(
            columns: columns,
            rows: [
                .init(
                    line: 2, updates: false,
                    values: [
                        "name": .text(Fixture.evil), "category": .text("soil"), "unit": .text("m3"),
                        "price": .scaled(125_050), "is_active": .flag(true),
                    ]),
                .init(line: 3, updates: true, values: ["name": .text("Песок"), "price": .scaled(70_000)]),
            ],
            problems: [.init(line: 4, message: "«Цена»: «abc» — не число.")], created: 1, updated: 1,
            token: "0123456789abcdef0123456789abcdef")
    }

    @Test func theUploadFormPostsAFileWithItsTokenAndOffersTheTemplates() {
        let html = ImportPage(model: ImportModel(context: Fixture.context(.manager), kind: .equipment)).render()
        #expect(html.contains("<h1 class=\"page-title\">Импорт: Техника</h1>"))
        #expect(html.contains("action=\"/import/equipment\""))
        #expect(html.contains("enctype=\"multipart/form-data\""))
        #expect(html.contains("href=\"/import/equipment/template?format=xlsx\""))
        #expect(html.contains("href=\"/import/equipment/export?format=csv\""))
        #expect(html.contains("Код*, Название*, Описание, Ставка в час*"))
        #expect(html.contains("href=\"/catalog/equipment\""))
        #expect(!html.contains("Проверка файла"))
        #expect(HTMLChecks.unlabelledControls(in: html).isEmpty)
        #expect(HTMLChecks.postFormsWithoutCSRF(in: html, token: Fixture.csrf).isEmpty)
    }

    @Test func thePreviewShowsRowsAsTheyWillBeSavedAndEveryBadRow() {
        let model = ImportModel(context: Fixture.context(.admin), kind: .materials, preview: Self.preview())
        let html = ImportPage(model: model).render()
        #expect(html.contains("Строк с ошибками: 1"))
        #expect(html.contains("name=\"token\" value=\"0123456789abcdef0123456789abcdef\""))
        #expect(html.contains("action=\"/import/materials/commit\""))
        #expect(html.contains("Сохранить 2\u{00A0}строки"))
        #expect(html.contains("«Цена»: «abc» — не число."))
        #expect(html.contains("1\u{202F}250,50\u{00A0}₽"))
        #expect(html.contains(">Грунт<"))
        #expect(html.contains(">м³<"))
        #expect(html.contains(">создать<"))
        #expect(html.contains(">обновить<"))
        #expect(!html.contains("<script>alert(1)</script>"))
        #expect(HTMLChecks.postFormsWithoutCSRF(in: html, token: Fixture.csrf).isEmpty)
        #expect(HTMLChecks.duplicateIDs(in: html).isEmpty)
    }

    @Test func theResultSaysWhatWasSavedAndLeadsBackToTheClients() {
        let model = ImportModel(context: Fixture.context(.manager), kind: .clients, saved: (created: 5, updated: 1))
        let html = ImportPage(model: model).render()
        #expect(html.contains("Сохранено: 5\u{00A0}новых записей, 1\u{00A0}обновлена."))
        #expect(html.contains("href=\"/clients\""))
        #expect(model.section == .clients)
    }

    @Test func aFileErrorIsShownAboveTheForm() {
        let model = ImportModel(context: Fixture.context(.manager), kind: .services, error: "Файл XLSX повреждён.")
        let html = ImportPage(model: model).render()
        #expect(html.contains("role=\"alert\""))
        #expect(html.contains("Файл XLSX повреждён."))
    }
}

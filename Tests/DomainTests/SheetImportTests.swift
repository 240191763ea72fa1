import Domain
import Testing

struct CSVTextTests {
    @Test func semicolonsQuotesAndLineBreaksAreRead() {
        let text = "Название;Цена\r\n\"Щебень; фракция 20\";\"1 250,50\"\n\"Песок \"\"речной\"\"\";700\n\n"
        #expect(CSVText.separator(of: text) == ";")
        #expect(
            CSVText.rows(text) == [
                ["Название", "Цена"], ["Щебень; фракция 20", "1 250,50"], ["Песок \"речной\"", "700"],
            ])
    }

    @Test func commasAreTheSeparatorWhenTheHeaderUsesThem() {
        let text = "name,price\nSand,\"700,50\"\n"
        #expect(CSVText.separator(of: text) == ",")
        #expect(CSVText.rows(text) == [["name", "price"], ["Sand", "700,50"]])
    }

    @Test func utf8WithABOMAndWindows1251AreDecoded() {
        let utf8: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("Грунт;Ёж №1".utf8)
        #expect(CSVText.decode(utf8) == "Грунт;Ёж №1")
        // «Грунт;Ёж №1» in Windows-1251.
        let cp1251: [UInt8] = [0xC3, 0xF0, 0xF3, 0xED, 0xF2, 0x3B, 0xA8, 0xE6, 0x20, 0xB9, 0x31]
        #expect(CSVText.decode(cp1251) == "Грунт;Ёж №1")
    }
}

struct ImportSheetTests {
    @Test func russianAndEnglishHeadersAreRecognisedAndCellsReadAsTheyWillBeSaved() {
        let sheet = ImportSheet(
            kind: .materials,
            table: [
                ["Название*", "category", "Единица", "ЦЕНА", "Активен"],
                ["Щебень", "Грунт", "м³", "1 250,50", "да"],
                ["Навеска", "attachment", "шт", "300", "нет"],
            ])
        #expect(sheet.problems.isEmpty)
        #expect(sheet.columns.map(\.key) == ["name", "category", "unit", "price", "is_active"])
        #expect(sheet.rows.count == 2)
        #expect(sheet.rows[0].values["price"] == .scaled(125_050))
        #expect(sheet.rows[0].values["category"] == .text("soil"))
        #expect(sheet.rows[0].values["unit"] == .text("m3"))
        #expect(sheet.rows[0].values["is_active"] == .flag(true))
        #expect(sheet.rows[1].values["category"] == .text("attachment"))
        #expect(sheet.rows[1].values["is_active"] == .flag(false))
    }

    @Test func anEmptyOptionalCellClearsAMissingColumnKeepsAndTheExportsFormulaGuardIsDropped() {
        let sheet = ImportSheet(
            kind: .equipment,
            table: [
                ["Код", "Название", "Ставка в час", "Ставка за смену", "Описание"],
                ["EX-1", "Экскаватор", "1500", "", " "],
                ["EX-2", "Погрузчик", "", "9000", "Новый"],
                ["'-3", "'=1+1", "100", "", "'обычный текст"],
            ])
        #expect(sheet.rows[0].cleared == ["daily_rate", "description"])
        #expect(sheet.rows[0].values["daily_rate"] == nil)
        #expect(!sheet.rows[0].cleared.contains("fuel_consumption"))
        #expect(sheet.rows[1].cleared.isEmpty)
        #expect(sheet.goodRows.map(\.line) == [2, 4])
        #expect(sheet.problems == [.init(line: 3, message: "«Ставка в час»: не заполнено.")])
        // The formula guard of our CSV export is dropped; any other leading `'` is the text's own.
        #expect(sheet.rows[2].values["code"] == .text("-3"))
        #expect(sheet.rows[2].values["name"] == .text("=1+1"))
        #expect(sheet.rows[2].values["description"] == .text("'обычный текст"))
    }

    @Test func everyBadRowIsReportedInRussianWithItsLine() {
        let sheet = ImportSheet(
            kind: .equipment,
            table: [
                ["Код", "Название", "Ставка в час", "Статус"],
                ["EX-1", "Экскаватор", "1500", "Доступна"],
                ["EX-2", "Погрузчик", "много", ""],
                ["EX-1", "Снова", "1000", ""],
                ["", "Без кода", "100", "сломан"],
            ])
        #expect(sheet.goodRows.map(\.line) == [2])
        #expect(
            sheet.problems == [
                .init(line: 3, message: "«Ставка в час»: «много» — не число."),
                .init(line: 4, message: "Повтор: та же запись уже в строке 2 файла."),
                .init(line: 5, message: "«Код»: не заполнено."),
                .init(
                    line: 5,
                    message: "«Статус»: «сломан» — нет такого значения "
                        + "(Доступна, Занята, На обслуживании, Неактивна)."),
            ])
    }

    @Test func anUnknownOrMissingColumnStopsTheFileAtItsHeader() {
        let sheet = ImportSheet(kind: .clients, table: [["Телефон", "Цвет"], ["+79990000000", "синий"]])
        #expect(sheet.rows.isEmpty)
        #expect(
            sheet.problems == [
                .init(line: 1, message: "Неизвестный столбец «Цвет»."),
                .init(line: 1, message: "Нет обязательного столбца «Название»."),
            ])
        #expect(ImportSheet(kind: .clients, table: []).problems.count == 1)
        #expect(ImportSheet(kind: .clients, table: [["Название"]]).problems.map(\.line) == [2])
    }

    @Test func negativeAndOverlyPreciseNumbersAreRefused() {
        let sheet = ImportSheet(
            kind: .materials, table: [["name", "price"], ["A", "-5"], ["B", "1.234"], ["C", "12 000 ₽"]])
        #expect(sheet.goodRows.map(\.line) == [4])
        #expect(sheet.goodRows.first?.values["price"] == .scaled(1_200_000))
    }
}

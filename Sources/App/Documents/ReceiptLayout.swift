import Documents
import Domain
import Foundation
import WebUI

/// What the receipt («Чек») of a completed order shows, read by `DocumentService` (docs/documents.md).
struct ReceiptContent: Sendable {
    struct Line: Sendable {
        var kind: ItemType
        var name: String
        var quantity: String
        var unitPrice: String
        /// Kopecks, tax included as priced.
        var total: Int64
    }

    var number: String
    var clientName: String?
    var clientPhone: String?
    var address: String
    var start: Date
    var end: Date?
    var comment: String
    var lines: [Line]
    var total: Int64
    var generatedAt: Date
    var timeZone: TimeZone
}

/// Lays the receipt out on A4 with 20 mm margins; every date in the company's time zone.
enum ReceiptLayout {
    static func pdf(_ receipt: ReceiptContent, fonts: (regular: Font, bold: Font)) -> [UInt8] {
        let margin = 20 * 72 / 25.4
        let document = PDFDocument(
            title: "Чек по заказу \(receipt.number)", regularFont: fonts.regular, boldFont: fonts.bold,
            margins: PDFMargins(top: margin, left: margin, bottom: margin, right: margin),
            creationDate: receipt.generatedAt)
        let page = document.addPage()
        let width = page.size.width - 2 * margin
        page.text("ЧЕК", x: margin, y: margin, width: width, alignment: .center, size: 18, bold: true)
        var y = margin + 36
        func labelled(_ label: String, _ value: String) {
            page.text(label + ":", x: margin, y: y, size: 10, bold: true)
            y = page.textBlock(value, x: margin + 120, y: y, width: width - 120, size: 10) + 2
        }
        let missing = "Не указан"
        labelled("Номер заказа", receipt.number)
        labelled("Клиент", receipt.clientName ?? missing)
        if let phone = receipt.clientPhone, !phone.isEmpty { labelled("Телефон", phone) }
        labelled("Адрес", receipt.address.isEmpty ? missing : receipt.address)
        labelled("Дата начала", RussianFormat.dateTime(receipt.start, in: receipt.timeZone))
        labelled("Дата окончания", receipt.end.map { RussianFormat.dateTime($0, in: receipt.timeZone) } ?? "Не указана")
        if !receipt.comment.isEmpty { labelled("Комментарий", receipt.comment) }

        let millimetre = 72 / 25.4
        var table = PDFTable(
            columns: [
                PDFTableColumn("Наименование", width: 68 * millimetre),
                PDFTableColumn("Количество", width: 30 * millimetre, alignment: .right),
                PDFTableColumn("Цена за ед.", width: 42 * millimetre, alignment: .right),
                PDFTableColumn("Сумма", width: 30 * millimetre, alignment: .right),
            ],
            rows: receipt.lines.map { line in
                [line.kind.title + ": " + line.name, line.quantity, line.unitPrice, RussianFormat.money(line.total)]
            })
        if table.rows.isEmpty { table.rows = [["Нет позиций", "", "", RussianFormat.money(0)]] }
        let end = document.draw(table, on: page, x: margin, y: y + 8)
        end.page.text(
            "ИТОГО: " + RussianFormat.money(receipt.total), x: margin, y: end.y + 10, width: width, alignment: .right,
            size: 12, bold: true)
        end.page.text(
            "Дата формирования чека: " + RussianFormat.dateTime(receipt.generatedAt, in: receipt.timeZone),
            x: margin, y: end.y + 40, size: 9, color: .gray(0.3))
        return document.data()
    }
}

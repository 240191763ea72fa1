import Documents
import Domain
import Foundation
import WebUI

/// What an issued act shows, kept in `acts.content` so that it is re-rendered identically when prices, the order
/// or the requisites change later (docs/documents.md).
struct ActContent: Codable, Sendable, Equatable {
    /// From the gap-free sequence of acts of `year`.
    var number: Int
    var year: Int
    var issuedAt: Date
    var orderNumber: String
    var company: CompanyRequisites
    var buyer: InvoiceContent.Party
    var positions: [InvoiceContent.Position]
    /// Kopecks: the order's total, VAT included when the company charges it.
    var total: Int64

    var vatAmount: Money? { InvoiceContent.includedVAT(in: total, at: company.vat) }
}

/// «Акт оказанных услуг»: the parties, the works, the totals with VAT, the amount in words, the statement that the
/// services were rendered in full, and the signatures of both sides.
enum ActLayout {
    static let fulfilled =
        "Вышеперечисленные услуги выполнены полностью и в срок. Заказчик претензий по объему, качеству и срокам "
        + "оказания услуг не имеет."

    static func title(_ act: ActContent, timeZone: TimeZone) -> String {
        "Акт № \(act.number) от \(InvoiceLayout.longDate(act.issuedAt, in: timeZone))"
    }

    static func pdf(_ act: ActContent, timeZone: TimeZone, fonts: (regular: Font, bold: Font)) -> [UInt8] {
        let margin = 15 * 72 / 25.4
        let document = PDFDocument(
            title: title(act, timeZone: timeZone), regularFont: fonts.regular, boldFont: fonts.bold,
            margins: PDFMargins(top: margin, left: margin, bottom: margin, right: margin), creationDate: act.issuedAt)
        let page = document.addPage()
        let width = page.size.width - 2 * margin
        let company = act.company
        var y = margin

        page.text(title(act, timeZone: timeZone), x: margin, y: y, size: 14, bold: true)
        y += 22
        page.line(from: PDFPoint(x: margin, y: y), to: PDFPoint(x: margin + width, y: y), width: 1.5)
        y += 8
        func party(_ title: String, _ text: String) {
            let below = page.textBlock(title, x: margin, y: y, width: 90, size: 9)
            y = max(below, page.textBlock(text, x: margin + 95, y: y, width: width - 95, size: 9, bold: true)) + 5
        }
        party(
            "Исполнитель:",
            InvoiceLayout.partyText(
                InvoiceContent.Party(
                    name: company.name, inn: company.inn, kpp: company.kpp, address: company.address,
                    phone: company.phone)))
        party("Заказчик:", InvoiceLayout.partyText(act.buyer))
        party("Основание:", "Заявка № \(act.orderNumber)")

        let millimetre = 72 / 25.4
        let table = PDFTable(
            columns: [
                PDFTableColumn("№", width: 8 * millimetre, alignment: .center),
                PDFTableColumn("Наименование работ, услуг", width: width - 98 * millimetre),
                PDFTableColumn("Кол-во", width: 18 * millimetre, alignment: .right),
                PDFTableColumn("Ед.", width: 14 * millimetre, alignment: .center),
                PDFTableColumn("Цена", width: 28 * millimetre, alignment: .right),
                PDFTableColumn("Сумма", width: 30 * millimetre, alignment: .right),
            ],
            rows: act.positions.enumerated().map { index, position in
                [
                    "\(index + 1)", position.name, position.quantity, position.unit,
                    RussianFormat.amount(position.price),
                    RussianFormat.amount(position.sum),
                ]
            })
        var end = document.draw(table, on: page, x: margin, y: y + 4)
        func total(_ title: String, _ amount: String) {
            end.page.text(
                title, x: margin, y: end.y + 4, width: width - 32 * millimetre, alignment: .right, size: 9, bold: true)
            end.page.text(
                amount, x: margin + width - 30 * millimetre, y: end.y + 4, width: 30 * millimetre,
                alignment: .right, size: 9, bold: true)
            end.y += 13
        }
        total("Итого:", RussianFormat.amount(act.total))
        if let vat = act.vatAmount, case .rate(let percent) = company.vat {
            total("В том числе НДС (\(percent)%):", RussianFormat.amount(vat.kopecks))
        } else {
            total("Без налога (НДС):", "—")
        }
        end.y += 6
        end.page.text(
            "Всего оказано услуг \(act.positions.count), на сумму \(RussianFormat.amount(act.total)) руб.", x: margin,
            y: end.y, size: 9)
        end.y =
            end.page.textBlock(
                AmountInWords.rubles(Money(kopecks: act.total)), x: margin, y: end.y + 13, width: width, size: 9,
                bold: true) + 8
        end.y = end.page.textBlock(fulfilled, x: margin, y: end.y, width: width, size: 9) + 6
        end.page.line(from: PDFPoint(x: margin, y: end.y), to: PDFPoint(x: margin + width, y: end.y), width: 1.5)
        end.y += 20
        let half = width / 2
        for (index, (side, name)) in [("ИСПОЛНИТЕЛЬ", company.director), ("ЗАКАЗЧИК", "")].enumerated() {
            let x = margin + Double(index) * half
            end.page.text(side, x: x, y: end.y, size: 9, bold: true)
            end.page.line(from: PDFPoint(x: x, y: end.y + 36), to: PDFPoint(x: x + half - 20, y: end.y + 36))
            if !name.isEmpty {
                end.page.text(name, x: x, y: end.y + 39, width: half - 20, alignment: .right, size: 8)
            }
        }
        return document.data()
    }
}

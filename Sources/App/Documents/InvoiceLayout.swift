import Documents
import Domain
import Foundation
import WebUI

/// What an issued invoice shows, kept in the invoice's `metadata` so that it is re-rendered identically when
/// prices, the order or the requisites change later (docs/documents.md).
struct InvoiceContent: Codable, Sendable, Equatable {
    struct Position: Codable, Sendable, Equatable {
        var name: String
        var quantity: String
        var unit: String
        /// Kopecks.
        var price: Int64
        var sum: Int64
    }

    struct Party: Codable, Sendable, Equatable {
        var name: String
        var inn: String
        var kpp: String
        var address: String
        var phone: String
    }

    var number: String
    var issuedAt: Date
    var orderNumber: String
    var company: CompanyRequisites
    var buyer: Party
    var positions: [Position]
    /// Kopecks: what the client pays, VAT included when the company charges it.
    var total: Int64

    /// The VAT inside `total` at the company's rate, half-up to the kopeck; nil without VAT.
    var vatAmount: Money? { Self.includedVAT(in: total, at: company.vat) }

    /// The VAT inside a tax-included `total`: `total × p / (100 + p)`, half-up to the kopeck; nil without VAT.
    static func includedVAT(in total: Int64, at vat: CompanyRequisites.VAT) -> Money? {
        guard case .rate(let percent) = vat, percent > 0 else { return nil }
        return Money(rounding: Money(kopecks: total).decimal * Decimal(percent) / Decimal(100 + percent))
    }

    /// «Оплата по счёту № INV-202612-0001 от 04.12.2026», also the payment's purpose in the QR code.
    func purpose(in timeZone: TimeZone) -> String {
        var text = "Оплата по счёту № \(number) от \(RussianFormat.date(issuedAt, in: timeZone))"
        if let vat = vatAmount {
            if case .rate(let percent) = company.vat {
                text += ", в т.ч. НДС \(percent)% " + RussianFormat.amount(vat.kopecks)
            }
        } else {
            text += ", без НДС"
        }
        return text
    }

    /// The payment QR code's text in the format of ГОСТ Р 56042-2014 (UTF-8, `ST00012`).
    func paymentQRText(in timeZone: TimeZone) -> String {
        // `|` separates the fields; the no-break spaces of Russian number formatting become plain spaces.
        func clean(_ value: String) -> String {
            value.replacingOccurrences(of: "|", with: " ").replacingOccurrences(of: "\u{202F}", with: " ")
                .replacingOccurrences(of: "\u{00A0}", with: " ")
        }
        var fields = [
            "ST00012", "Name=" + clean(company.name), "PersonalAcc=" + company.account,
            "BankName=" + clean(company.bankName), "BIC=" + company.bik, "CorrespAcc=" + company.correspondentAccount,
            "PayeeINN=" + company.inn,
        ]
        if !company.kpp.isEmpty { fields.append("KPP=" + company.kpp) }
        fields.append("Sum=\(total)")
        fields.append("Purpose=" + clean(purpose(in: timeZone)))
        return fields.joined(separator: "|")
    }
}

/// «Счёт на оплату» in the usual Russian form: the payee's bank block, the parties, the positions, the totals with
/// VAT, the amount in words, the signatures, and a payment QR code that banking apps scan.
enum InvoiceLayout {
    static let monthsGenitive = [
        "января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября", "ноября",
        "декабря",
    ]

    /// «4 декабря 2026 г.»
    static func longDate(_ date: Date, in timeZone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.day, .month, .year], from: date)
        return "\(parts.day ?? 1) \(monthsGenitive[(parts.month ?? 1) - 1]) \(parts.year ?? 2000) г."
    }

    static func pdf(_ invoice: InvoiceContent, timeZone: TimeZone, fonts: (regular: Font, bold: Font)) throws -> [UInt8]
    {
        let margin = 15 * 72 / 25.4
        let document = PDFDocument(
            title: "Счёт на оплату № \(invoice.number)", regularFont: fonts.regular, boldFont: fonts.bold,
            margins: PDFMargins(top: margin, left: margin, bottom: margin, right: margin),
            creationDate: invoice.issuedAt)
        let page = document.addPage()
        let width = page.size.width - 2 * margin
        let company = invoice.company

        // The QR code beside the bank block.
        let qr = try QRCode(text: invoice.paymentQRText(in: timeZone), correction: .medium)
        let qrSide = 105.0
        let module = qrSide / Double(qr.size)
        let qrX = margin + width - qrSide
        page.fillRects(
            qr.darkRuns().map { run in
                PDFRect(
                    x: qrX + Double(run.x) * module, y: margin + Double(run.y) * module,
                    width: Double(run.length) * module, height: module)
            })
        page.text("Оплата по QR-коду", x: qrX, y: margin + qrSide + 6, width: qrSide, alignment: .center, size: 7)

        // Bank block: a grid of the payee's bank and account.
        let blockWidth = width - qrSide - 12
        let left = blockWidth * 0.58
        let label = blockWidth * 0.12
        let value = blockWidth - left - label
        var y = margin
        let rowHeight = 14.0
        func cell(_ text: String, x: Double, y: Double, width: Double, height: Double, size: Double = 8.5) {
            page.rect(x: x, y: y, width: width, height: height, fill: nil, stroke: .black, lineWidth: 0.5)
            page.textBlock(text, x: x + 3, y: y + 2.5, width: width - 6, size: size)
        }
        cell(company.bankName + "\nБанк получателя", x: margin, y: y, width: left, height: 2 * rowHeight + 6)
        cell("БИК", x: margin + left, y: y, width: label, height: rowHeight)
        cell(company.bik, x: margin + left + label, y: y, width: value, height: rowHeight)
        cell("Сч. №", x: margin + left, y: y + rowHeight, width: label, height: rowHeight + 6)
        cell(
            company.correspondentAccount, x: margin + left + label, y: y + rowHeight, width: value,
            height: rowHeight + 6)
        y += 2 * rowHeight + 6
        cell("ИНН " + company.inn, x: margin, y: y, width: left / 2, height: rowHeight)
        cell("КПП " + company.kpp, x: margin + left / 2, y: y, width: left / 2, height: rowHeight)
        cell("Сч. №", x: margin + left, y: y, width: label, height: 2 * rowHeight + 12)
        cell(company.account, x: margin + left + label, y: y, width: value, height: 2 * rowHeight + 12)
        cell(company.name + "\nПолучатель", x: margin, y: y + rowHeight, width: left, height: rowHeight + 12)
        y += 2 * rowHeight + 12
        // Below the code's caption too, keeping the code's quiet zone free.
        y = max(y, margin + qrSide + 14) + 18

        page.text(
            "Счёт на оплату № \(invoice.number) от \(longDate(invoice.issuedAt, in: timeZone))",
            x: margin, y: y, size: 14, bold: true)
        y += 22
        page.line(from: PDFPoint(x: margin, y: y), to: PDFPoint(x: margin + width, y: y), width: 1.5)
        y += 8
        func party(_ title: String, _ text: String) {
            let below = page.textBlock(title, x: margin, y: y, width: 90, size: 9)
            y = max(below, page.textBlock(text, x: margin + 95, y: y, width: width - 95, size: 9, bold: true)) + 5
        }
        party(
            "Поставщик (Исполнитель):",
            partyText(
                InvoiceContent.Party(
                    name: company.name, inn: company.inn, kpp: company.kpp, address: company.address,
                    phone: company.phone)))
        party("Покупатель (Заказчик):", partyText(invoice.buyer))
        party("Основание:", "Заявка № \(invoice.orderNumber)")

        let millimetre = 72 / 25.4
        let table = PDFTable(
            columns: [
                PDFTableColumn("№", width: 8 * millimetre, alignment: .center),
                PDFTableColumn("Товары (работы, услуги)", width: width - 98 * millimetre),
                PDFTableColumn("Кол-во", width: 18 * millimetre, alignment: .right),
                PDFTableColumn("Ед.", width: 14 * millimetre, alignment: .center),
                PDFTableColumn("Цена", width: 28 * millimetre, alignment: .right),
                PDFTableColumn("Сумма", width: 30 * millimetre, alignment: .right),
            ],
            rows: invoice.positions.enumerated().map { index, position in
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
        total("Итого:", RussianFormat.amount(invoice.total))
        if let vat = invoice.vatAmount, case .rate(let percent) = company.vat {
            total("В том числе НДС (\(percent)%):", RussianFormat.amount(vat.kopecks))
        } else {
            total("Без налога (НДС):", "—")
        }
        total("Всего к оплате:", RussianFormat.amount(invoice.total))
        end.y += 6
        let count = invoice.positions.count
        end.page.text(
            "Всего наименований \(count), на сумму \(RussianFormat.amount(invoice.total)) руб.", x: margin, y: end.y,
            size: 9)
        end.y =
            end.page.textBlock(
                AmountInWords.rubles(Money(kopecks: invoice.total)), x: margin, y: end.y + 13, width: width, size: 9,
                bold: true) + 6
        end.page.line(from: PDFPoint(x: margin, y: end.y), to: PDFPoint(x: margin + width, y: end.y), width: 1.5)
        end.y += 28
        let half = width / 2
        for (index, (role, name)) in [("Руководитель", company.director), ("Бухгалтер", company.accountant)]
            .enumerated()
        {
            let x = margin + Double(index) * half
            end.page.text(role, x: x, y: end.y, size: 9, bold: true)
            end.page.line(from: PDFPoint(x: x + 82, y: end.y + 11), to: PDFPoint(x: x + half - 10, y: end.y + 11))
            end.page.text(name, x: x + 82, y: end.y + 13, width: half - 92, alignment: .right, size: 8)
        }
        return document.data()
    }

    /// «ООО «Ринго», ИНН 7701234567, КПП 770101001, г. Москва, …, тел. +7…».
    static func partyText(_ party: InvoiceContent.Party) -> String {
        var parts = [party.name]
        if !party.inn.isEmpty { parts.append("ИНН " + party.inn) }
        if !party.kpp.isEmpty { parts.append("КПП " + party.kpp) }
        if !party.address.isEmpty { parts.append(party.address) }
        if !party.phone.isEmpty { parts.append("тел. " + party.phone) }
        return parts.joined(separator: ", ")
    }
}

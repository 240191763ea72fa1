import Documents
import Domain
import Foundation
import WebUI

/// A client's account over a period as the company's books show it: the balance before, the acts and orders billed
/// (debit) and the payments received (credit) day by day, and the balance after; positive balances are the
/// client's debt. The figures are the client ledger's (`ClientLedger`, docs/documents.md).
struct ReconciliationStatement: Sendable {
    struct Entry: Sendable, Equatable {
        /// The day in the company's time zone, `YYYY-MM-DD`.
        var day: String
        var document: String
        /// Kopecks.
        var debit: Int64
        var credit: Int64
    }

    enum Owing: String, Sendable { case client, company, nobody }

    var clientID: Int
    var clientName: String
    /// `YYYY-MM-DD`, both included.
    var from: String
    var to: String
    /// Kopecks: billed − paid before `from`.
    var openingBalance: Int64
    var entries: [Entry]

    var debitTurnover: Int64 { entries.reduce(0) { $0 + $1.debit } }
    var creditTurnover: Int64 { entries.reduce(0) { $0 + $1.credit } }
    var closingBalance: Int64 { openingBalance + debitTurnover - creditTurnover }
    var owes: Owing { closingBalance > 0 ? .client : closingBalance < 0 ? .company : .nobody }
}

/// «Акт сверки взаимных расчётов»: the company's half of the table filled in, the client's half left for them.
enum ReconciliationLayout {
    /// «15.01.2026» from `2026-01-15`.
    static func russianDay(_ day: String) -> String {
        let parts = day.split(separator: "-")
        guard parts.count == 3 else { return day }
        return "\(parts[2]).\(parts[1]).\(parts[0])"
    }

    /// The company's conclusion: who owes whom how much at the end of the period.
    static func conclusion(_ statement: ReconciliationStatement, company: String) -> String {
        let head = "По данным \(company) на \(russianDay(statement.to)) задолженность "
        let amount = RussianFormat.amount(abs(statement.closingBalance))
        switch statement.owes {
        case .client: return head + "в пользу \(company) составляет \(amount) руб."
        case .company: return head + "в пользу \(statement.clientName) составляет \(amount) руб."
        case .nobody: return head + "отсутствует."
        }
    }

    static func pdf(
        _ statement: ReconciliationStatement, company: CompanyRequisites, fonts: (regular: Font, bold: Font),
        createdAt: Date
    ) -> [UInt8] {
        let margin = 12 * 72 / 25.4
        let document = PDFDocument(
            title: "Акт сверки взаимных расчётов", regularFont: fonts.regular, boldFont: fonts.bold,
            margins: PDFMargins(top: margin, left: margin, bottom: margin, right: margin), creationDate: createdAt)
        let page = document.addPage()
        let width = page.size.width - 2 * margin
        var y = margin
        page.text(
            "Акт сверки взаимных расчётов", x: margin, y: y, width: width, alignment: .center, size: 14, bold: true)
        y += 20
        page.text(
            "за период с \(russianDay(statement.from)) по \(russianDay(statement.to))", x: margin, y: y, width: width,
            alignment: .center, size: 10)
        y += 16
        y =
            page.textBlock(
                "между \(company.name) и \(statement.clientName)", x: margin, y: y, width: width, alignment: .center,
                size: 10) + 10

        func money(_ kopecks: Int64) -> String { kopecks == 0 ? "" : RussianFormat.amount(kopecks) }
        let half = width / 2
        let dateWidth = half * 0.2
        let documentWidth = half * 0.4
        let amountWidth = half * 0.2
        for (index, side) in ["По данным \(company.name)", "По данным \(statement.clientName)"].enumerated() {
            let x = margin + Double(index) * half
            page.rect(x: x, y: y, width: half, height: 26)
            page.textBlock(side, x: x + 3, y: y + 3, width: half - 6, alignment: .center, size: 8, bold: true)
        }
        y += 26
        let opening = statement.openingBalance
        var rows: [[String]] = [
            ["", "Сальдо начальное", money(max(opening, 0)), money(max(-opening, 0)), "", "", "", ""]
        ]
        for entry in statement.entries {
            rows.append([
                russianDay(entry.day), entry.document, money(entry.debit), money(entry.credit), "", "", "", "",
            ])
        }
        let closing = statement.closingBalance
        rows.append([
            "", "Обороты за период", money(statement.debitTurnover), money(statement.creditTurnover), "", "", "", "",
        ])
        rows.append(["", "Сальдо конечное", money(max(closing, 0)), money(max(-closing, 0)), "", "", "", ""])
        var columns: [PDFTableColumn] = []
        for _ in 0..<2 {
            columns += [
                PDFTableColumn("Дата", width: dateWidth, alignment: .center),
                PDFTableColumn("Документ", width: documentWidth),
                PDFTableColumn("Дебет", width: amountWidth, alignment: .right),
                PDFTableColumn("Кредит", width: amountWidth, alignment: .right),
            ]
        }
        var table = PDFTable(columns: columns, rows: rows)
        table.fontSize = 7.5
        var end = document.draw(table, on: page, x: margin, y: y)
        end.y += 12
        end.y =
            end.page.textBlock(
                conclusion(statement, company: company.name), x: margin, y: end.y, width: width, size: 9,
                bold: true) + 24
        for (index, (side, name)) in [("От \(company.name)", company.director), ("От \(statement.clientName)", "")]
            .enumerated()
        {
            let x = margin + Double(index) * half
            end.page.textBlock(side, x: x, y: end.y, width: half - 20, size: 9, bold: true)
            end.page.line(from: PDFPoint(x: x, y: end.y + 40), to: PDFPoint(x: x + half - 20, y: end.y + 40))
            if !name.isEmpty {
                end.page.text(name, x: x, y: end.y + 43, width: half - 20, alignment: .right, size: 8)
            }
        }
        return document.data()
    }
}

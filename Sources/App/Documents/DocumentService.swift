import Documents
import Domain
import Fluent
import Foundation
import SQLKit
import Vapor
import WebUI

/// A rendered document, ready to be sent: its bytes and the file names a browser saves it under.
struct RenderedDocument: Sendable {
    var bytes: [UInt8]
    /// ASCII, for `filename=`.
    var fileName: String
    /// Russian, for `filename*=UTF-8''…`.
    var russianFileName: String
}

/// The documents of orders and clients as PDF, for the API and the web alike (docs/documents.md).
struct DocumentService {
    let db: any Database
    let caller: AuthUser
    let timeZone: TimeZone
    var now: @Sendable () -> Date = { Date() }

    static let receiptOnlyWhenCompleted = "Чек можно получить только для завершенных заявок"

    static func mayReadReceipt(of order: OrderRecord) -> Bool { order.status == .completed }

    /// The receipt («Чек») of a completed order the caller may see.
    func receipt(orderID: String) async throws -> RenderedDocument {
        guard UUID(uuidString: orderID) != nil else { throw APIError.notFound() }
        let sql = try db.sql()
        let store = OrderStore(sql: sql)
        guard let order = try await store.load(orderID.lowercased()) else { throw APIError.notFound() }
        if !AccessPolicy.maySeeAllOrders(caller.role), !(try await store.operatorIDs(of: order.id)).contains(caller.id) {
            throw APIError.notFound()
        }
        guard Self.mayReadReceipt(of: order) else { throw APIError.badRequest(Self.receiptOnlyWhenCompleted) }
        let fonts = try Self.fonts()
        let detail = try await OrderPageData(sql: sql, timeZone: timeZone).detail(of: order)
        let stored = detail.lines.map(\.line)
        let shown = OrderPageData.detailLines(order, lines: stored)
        let lines = zip(stored, shown).map { line, figures in
            ReceiptContent.Line(
                kind: line.itemType, name: line.name, quantity: figures.quantityText,
                unitPrice: Self.unitPriceText(line), total: figures.total)
        }
        let completion = detail.history.first { $0.to == .completed }
        let content = ReceiptContent(
            number: order.number, clientName: detail.client?.name, clientPhone: detail.client?.phone,
            address: order.address, start: order.startAt, end: order.endAt, comment: completion?.comment ?? "",
            lines: lines, total: order.totalAmount != 0 ? order.totalAmount : lines.reduce(0) { $0 + $1.total },
            generatedAt: now(), timeZone: timeZone)
        return RenderedDocument(
            bytes: ReceiptLayout.pdf(content, fonts: fonts), fileName: "receipt_\(Self.safe(order.number)).pdf",
            russianFileName: "Чек_\(Self.safe(order.number)).pdf")
    }

    /// «30 000,00 ₽ за смену, 2 450,00 ₽ за час» for machines billed by shifts and hours, «800,00 ₽ за м³» otherwise.
    static func unitPriceText(_ line: OrderLine) -> String {
        if line.itemType == .equipment, line.shifts != nil || line.hours != nil {
            var parts: [String] = []
            if (line.shifts ?? 0) > 0 {
                let shiftPrice = line.dailyRate ?? line.unitPrice * 8
                parts.append(RussianFormat.money(shiftPrice) + " за смену")
            }
            if (line.hours ?? 0) > 0 || parts.isEmpty { parts.append(RussianFormat.money(line.unitPrice) + " за час") }
            return parts.joined(separator: ", ")
        }
        return RussianFormat.money(line.unitPrice) + " за " + OrderPageData.unitLabel(line.unit)
    }

    /// The document fonts, or a 503 that says what to install.
    static func fonts() throws -> (regular: Font, bold: Font) {
        switch DocumentFonts.load() {
        case .success(let fonts): return fonts
        case .failure(let missing):
            throw APIError(
                status: .serviceUnavailable,
                detail: "Документы недоступны: не найдены шрифты DejaVu Sans в \(missing.directory). "
                    + "Установите пакет fonts-dejavu-core или задайте RINGO_FONT_DIR.")
        }
    }

    /// Letters, digits, `-` and `_` of a number, for a file name.
    private static func safe(_ text: String) -> String {
        String(text.unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) || $0 == "-" || $0 == "_" }.map(Character.init))
    }
}

extension Request {
    var documents: DocumentService {
        get throws {
            DocumentService(db: db, caller: try caller, timeZone: application.config.timeZone)
        }
    }
}

extension RenderedDocument {
    /// `application/pdf` under the Russian file name (RFC 6266 `filename*`): the API sends it as an attachment, as
    /// the original did; the web opens it in the browser.
    func response(inline: Bool = false) -> Response {
        let response = Response(status: .ok, body: .init(data: Data(bytes)))
        response.headers.contentType = HTTPMediaType(type: "application", subType: "pdf")
        let attributeCharacters = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        let encoded = russianFileName.addingPercentEncoding(withAllowedCharacters: attributeCharacters) ?? fileName
        response.headers.replaceOrAdd(
            name: .contentDisposition, value: (inline ? "inline" : "attachment") + "; filename=\"\(fileName)\"; filename*=UTF-8''\(encoded)")
        response.headers.replaceOrAdd(name: .cacheControl, value: "private, no-store")
        return response
    }
}

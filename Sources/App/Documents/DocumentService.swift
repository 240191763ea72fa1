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
    let caller: Caller
    let timeZone: TimeZone
    let writes: WriteSerializer
    var now: @Sendable () -> Date = { Date() }

    static let receiptOnlyWhenCompleted = "Чек можно получить только для завершенных заявок"

    static func mayReadReceipt(of order: OrderRecord) -> Bool { order.status == .completed }

    /// The receipt («Чек») of a completed order the caller may see.
    func receipt(orderID: String) async throws -> RenderedDocument {
        guard UUID(uuidString: orderID) != nil else { throw APIError.notFound() }
        let sql = try db.sql()
        let store = OrderStore(sql: sql)
        guard let order = try await store.load(orderID.lowercased()) else { throw APIError.notFound() }
        if !AccessPolicy.maySeeAllOrders(caller.role), !(try await store.operatorIDs(of: order.id)).contains(caller.id)
        {
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

    /// The invoice («Счёт на оплату») as issued: rendered from the figures kept with it, which are taken from the
    /// order and the requisites the first time and again only when the invoice is re-issued with a new amount.
    func invoice(id: Int) async throws -> RenderedDocument {
        let sql = try db.sql()
        guard
            let row = try await sql.select().columns("order_id", "number", "amount", "issued_at", "metadata")
                .from("invoices").where("id", .equal, id).first()
        else { throw APIError.notFound() }
        let amount = try row.decode(column: "amount", as: Int64.self)
        var metadata = JSONValue.parse(try row.decode(column: "metadata", as: String.self))?.objectValue ?? [:]
        let kept = metadata["document"].flatMap {
            try? JSONDecoder().decode(InvoiceContent.self, from: Data($0.jsonText.utf8))
        }
        let content: InvoiceContent
        if let kept, kept.total == amount {
            content = kept
        } else {
            content = try await issueContent(
                orderID: try row.decode(column: "order_id", as: String.self),
                number: try row.decode(column: "number", as: String.self), amount: amount,
                issuedAt: try row.decode(column: "issued_at", as: Date.self), sql: sql)
            metadata["document"] = JSONValue.parse(String(decoding: try JSONEncoder().encode(content), as: UTF8.self))
            let stored = JSONValue.object(metadata).jsonText
            try await writes.run {
                try await sql.update("invoices").set("metadata", to: SQLBind(stored)).where("id", .equal, id).run()
            }
        }
        let bytes = try InvoiceLayout.pdf(content, timeZone: timeZone, fonts: try Self.fonts())
        let safeNumber = Self.safe(content.number)
        return RenderedDocument(
            bytes: bytes, fileName: "invoice_\(safeNumber).pdf", russianFileName: "Счёт_\(safeNumber).pdf")
    }

    /// The invoice's figures from its order now, with the company's and the buyer's requisites.
    private func issueContent(
        orderID: String, number: String, amount: Int64, issuedAt: Date, sql: any SQLDatabase
    ) async throws -> InvoiceContent {
        let company = try await Self.companyForDocuments(sql: sql)
        guard let order = try await OrderStore(sql: sql).load(orderID) else { throw APIError.notFound() }
        let buyer = try await Self.buyer(clientID: order.clientID, sql: sql)
        let positions = try await Self.workPositions(of: order, billing: amount, sql: sql)
        return InvoiceContent(
            number: number, issuedAt: issuedAt, orderNumber: order.number, company: company, buyer: buyer,
            positions: positions, total: amount)
    }

    /// The positions an invoice or an act lists for an order billed `amount`: one per line (a machine billed by
    /// shifts and hours is one position «Аренда: … (1 смена, 2 ч)»), and a position for the difference when the
    /// order total is not the sum of its lines (docs/documents.md).
    static func workPositions(
        of order: OrderRecord, billing amount: Int64, sql: any SQLDatabase
    ) async throws
        -> [InvoiceContent.Position]
    {
        let stored = try await OrderStore(sql: sql).lines(of: order.id)
        let shown = OrderPageData.detailLines(order, lines: stored)
        var positions = zip(stored, shown).map { line, figures -> InvoiceContent.Position in
            if line.itemType == .equipment, line.shifts != nil || line.hours != nil {
                return InvoiceContent.Position(
                    name: "Аренда: \(line.name) (\(figures.quantityText))", quantity: "1", unit: "усл.",
                    price: figures.total, sum: figures.total)
            }
            return InvoiceContent.Position(
                name: line.itemType == .equipment ? "Аренда: " + line.name : line.name,
                quantity: RussianFormat.decimal(Scaled.toDecimal(line.quantity, scale: 2)),
                unit: OrderPageData.unitLabel(line.unit), price: line.unitPrice, sum: figures.total)
        }
        let listed = positions.reduce(Int64(0)) { $0 + $1.sum }
        if positions.isEmpty {
            positions = [
                InvoiceContent.Position(
                    name: "Услуги спецтехники по заявке № \(order.number)", quantity: "1", unit: "усл.", price: amount,
                    sum: amount)
            ]
        } else if listed != amount {
            // The late-delivery reduction and an order total set by hand differ from the sum of the lines.
            let difference = amount - listed
            positions.append(
                InvoiceContent.Position(
                    name: difference < 0 ? "Скидка" : "Корректировка суммы", quantity: "1", unit: "усл.",
                    price: difference,
                    sum: difference))
        }
        return positions
    }

    /// The buyer's requisites from the order's client; «Частное лицо» without one.
    static func buyer(clientID: Int?, sql: any SQLDatabase) async throws -> InvoiceContent.Party {
        guard let clientID,
            let client = try await sql.select().columns("name", "inn", "kpp", "address", "phone").from("clients")
                .where("id", .equal, clientID).first()
        else { return InvoiceContent.Party(name: "Частное лицо", inn: "", kpp: "", address: "", phone: "") }
        return InvoiceContent.Party(
            name: try client.decode(column: "name", as: String.self),
            inn: try client.decode(column: "inn", as: String.self),
            kpp: try client.decode(column: "kpp", as: String.self),
            address: try client.decode(column: "address", as: String.self),
            phone: try client.decode(column: "phone", as: String.self))
    }

    /// The company's requisites, or a 400 naming those a document needs and lacks.
    static func companyForDocuments(sql: any SQLDatabase) async throws -> CompanyRequisites {
        let company = try await CompanyService.load(from: sql)
        let missing = company.missingForInvoice
        if !missing.isEmpty {
            throw APIError(
                status: .badRequest,
                detail: "Заполните реквизиты компании: " + missing.map(\.label).joined(separator: ", ") + ".",
                extra: ["missing_fields": .array(missing.map { .string($0.field) })])
        }
        return company
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
    static func safe(_ text: String) -> String {
        String(
            text.unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) || $0 == "-" || $0 == "_" }.map(
                Character.init))
    }
}

extension Request {
    var documents: DocumentService {
        get throws {
            DocumentService(
                db: db, caller: try caller, timeZone: application.config.timeZone, writes: application.writeSerializer)
        }
    }
}

extension RenderedDocument {
    /// `application/pdf` under the Russian file name (RFC 6266 `filename*`): the API sends it as an attachment, as
    /// the original did; the web opens it in the browser.
    func response(inline: Bool = false) -> Response {
        let response = Response(status: .ok, body: .init(data: Data(bytes)))
        response.headers.contentType = HTTPMediaType(type: "application", subType: "pdf")
        let attributeCharacters = CharacterSet(
            charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        let encoded = russianFileName.addingPercentEncoding(withAllowedCharacters: attributeCharacters) ?? fileName
        response.headers.replaceOrAdd(
            name: .contentDisposition,
            value: (inline ? "inline" : "attachment") + "; filename=\"\(fileName)\"; filename*=UTF-8''\(encoded)")
        response.headers.replaceOrAdd(name: .cacheControl, value: "private, no-store")
        return response
    }
}

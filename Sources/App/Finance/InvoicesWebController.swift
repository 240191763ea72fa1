import Domain
import Foundation
import SQLKit
import Vapor
import WebUI

/// «Счета» (docs/ui.md#invoices-and-payments): the list, one invoice with «Внести оплату», «Выставить счёт» on a
/// completed order and the PDF. Reads and writes go through `InvoiceService` and `PaymentService`, as the API's.
struct InvoicesWebController {
    static let pageSize = 50

    // MARK: - List

    @Sendable func list(req: Request) async throws -> Response {
        let service = try req.invoices
        let (filter, shown) = try Self.filter(req)
        if let export = try ExportRequest.parse(req) {
            return try await Self.export(req, export: export, filter: filter, sort: shown.sort)
        }
        let count = try await service.count(filter)
        let (page, totalPages) = req.webPage(count: count, size: Self.pageSize)
        let invoices = try await service.invoices(
            filter, ordering: shown.sort, limit: Self.pageSize, offset: (page - 1) * Self.pageSize)
        let today = filter.today
        let rows = invoices.map { invoice in
            InvoiceListModel.Row(
                id: String(invoice.id), number: invoice.number, state: Self.state(invoice, today: today),
                clientID: invoice.clientID.map(String.init), clientName: invoice.clientName, orderID: invoice.orderID,
                orderNumber: invoice.orderNumber, amount: invoice.amount, paid: invoice.paid,
                issuedAt: invoice.issuedAt, dueDate: invoice.dueDate)
        }
        let model = InvoiceListModel(
            context: req.pageContext(), filter: shown, clients: try await Self.clientChoices(req), rows: rows,
            page: page, totalPages: totalPages, totalCount: count)
        return WebReply.page(InvoiceListPage(model: model), on: req)
    }

    static func state(_ invoice: InvoiceStore.Invoice, today: String) -> InvoiceState {
        InvoiceState.of(
            isPaid: invoice.paymentStatus == .success, paid: invoice.paid, dueDate: invoice.dueDate, today: today)
    }

    /// The list's query as the service's filter and as the page shows it; malformed values are dropped.
    private static func filter(_ req: Request) throws -> (InvoiceService.Filter, InvoiceListModel.Filter) {
        let timeZone = req.application.config.timeZone
        let state = req.queryValues["status"].flatMap(InvoiceState.init(rawValue:))
        let clientID = req.queryValues["client"].flatMap { Int($0) }
        let from = OrdersWebController.day(req.queryValues["from"])
        let to = OrdersWebController.day(req.queryValues["to"])
        let sort = MoneyPages.sort(req.queryValues["sort"], allowed: InvoiceService.orderingFields)
        var filter = InvoiceService.Filter(
            orderID: nil, clientID: clientID, paymentStatus: nil,
            period: try MoneyPages.period(from: from, to: to, timeZone: timeZone))
        filter.state = state
        filter.today = ISOTime.day(of: Date(), in: timeZone)
        let shown = InvoiceListModel.Filter(
            state: state, client: clientID.map(String.init) ?? "", from: from, to: to, sort: sort)
        return (filter, shown)
    }

    static func clientChoices(_ req: Request) async throws -> [Choice] {
        try await req.clients.activeClients().map {
            Choice(value: String($0.id), label: $0.name)
        }
    }

    /// The filtered list, every page of it, as CSV or XLSX.
    private static func export(
        _ req: Request, export: ExportRequest, filter: InvoiceService.Filter, sort: String
    ) async throws -> Response {
        let service = try req.invoices
        let timeZone = req.application.config.timeZone
        let headers = ["Счёт", "Статус", "Клиент", "Заявка", "Выставлен", "Сумма", "Оплачено", "Оплатить до"]
        return try await TableExport.respond(
            req, export: export, filename: "invoices", sheetName: "Счета", headers: headers
        ) { writer in
            var offset = 0
            let batch = 1000
            while true {
                let invoices = try await service.invoices(filter, ordering: sort, limit: batch, offset: offset)
                for invoice in invoices {
                    try writer.write([
                        .text(invoice.number), .text(state(invoice, today: filter.today).title),
                        .optionalText(invoice.clientName), .text(invoice.orderNumber),
                        .text(ISOTime.day(of: invoice.issuedAt, in: timeZone)), .money(invoice.amount),
                        .money(invoice.paid), .optionalText(invoice.dueDate.map { String($0.prefix(10)) }),
                    ])
                }
                guard invoices.count == batch else { break }
                offset += batch
            }
        }
    }

    // MARK: - One invoice

    @Sendable func show(req: Request) async throws -> Response {
        let id = try req.intParameter()
        let timeZone = req.application.config.timeZone
        let entry = InvoiceDetailModel.Entry(paidAt: ISOTime.day(of: Date(), in: timeZone))
        return try await page(req, id: id, entry: entry, defaultAmount: true)
    }

    /// POST «Внести оплату»: a successful payment against this invoice, through `PaymentService` (the invoice's
    /// status follows at once; an amount above what is left is kept as the client's advance).
    @Sendable func pay(req: Request) async throws -> Response {
        let id = try req.intParameter()
        let invoice = try await req.invoices.invoice(id)
        let form = try await WebForm(request: req)
        let entry = InvoiceDetailModel.Entry(
            amount: form["amount"], paidAt: form["paid_at"], method: form["method"], comment: form.raw("comment") ?? "")
        var edge = MoneyPages.Entry(
            amount: entry.amount, paidAt: entry.paidAt, method: entry.method, comment: entry.comment)
        var input = edge.input(timeZone: req.application.config.timeZone)
        input.order = .set(invoice.orderID)
        input.invoiceID = .set(id)
        let payments = try req.payments
        do {
            _ = try await payments.create(input, problems: edge.problems)
        } catch {
            let described = try WebErrors.describe(error)
            return try await page(
                req, id: id, entry: entry, errors: described.fields,
                formError: described.detail ?? WebErrors.formRejected, status: described.status)
        }
        let flash = try await MoneyPages.savedFlash(orderID: invoice.orderID, payments: payments)
        return WebReply.redirect(to: Paths.invoice(String(id)), flash: flash, on: req)
    }

    private func page(
        _ req: Request, id: Int, entry: InvoiceDetailModel.Entry, defaultAmount: Bool = false,
        errors: FormErrors = [:], formError: String? = nil, status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let invoice = try await req.invoices.invoice(id)
        guard let orderUUID = UUID(uuidString: invoice.orderID) else { throw APIError.notFound() }
        let payments = try await req.payments.payments(ofOrder: orderUUID)
        var credit: Int64 = 0
        if let clientID = invoice.clientID {
            credit = try await req.clientBalances.statement(of: clientID).balance.credit.kopecks
        }
        var entry = entry
        if defaultAmount { entry.amount = RussianFormat.moneyInput(max(invoice.amount - invoice.paid, 0)) }
        let today = ISOTime.day(of: Date(), in: req.application.config.timeZone)
        let model = InvoiceDetailModel(
            context: req.pageContext(), id: String(invoice.id), number: invoice.number,
            state: Self.state(invoice, today: today), issuedAt: invoice.issuedAt, dueDate: invoice.dueDate,
            amount: invoice.amount, paid: invoice.paid, clientID: invoice.clientID.map(String.init),
            clientName: invoice.clientName, orderID: invoice.orderID, orderNumber: invoice.orderNumber,
            clientCredit: credit,
            payments: payments.map { payment in
                InvoiceDetailModel.Payment(
                    id: String(payment.id), paidAt: payment.paidAt, amount: payment.amount, method: payment.method,
                    status: payment.status, comment: payment.comment, recordedBy: payment.createdByName)
            },
            entry: entry, errors: errors, formError: formError, canEmail: req.application.config.mail != nil)
        return WebReply.page(InvoiceDetailPage(model: model), status: status, on: req)
    }

    // MARK: - Issue and PDF

    /// POST `/orders/{id}/invoice`: issues the invoice as `POST /api/v1/orders/{id}/generate_invoice/` does and
    /// opens it.
    @Sendable func issue(req: Request) async throws -> Response {
        let orderID = try OrdersWebController.orderID(req)
        let issued: InvoiceService.Issued
        do {
            issued = try await req.invoices.issue(orderID: orderID)
        } catch {
            let described = try WebErrors.describe(error)
            return try OrdersWebController.actionFailure(
                req, orderID: orderID, status: described.status, detail: described.detail ?? WebErrors.formRejected)
        }
        let message = issued.created ? "Счёт \(issued.number) выставлен" : "Сумма счёта \(issued.number) обновлена"
        return WebReply.redirect(to: Paths.invoice(String(issued.id)), flash: Flash(.success, message), on: req)
    }

    /// GET `/invoices/{id}/pdf`: the invoice opened in the browser, or a page that says which requisites to fill in
    /// (with the way to the form for admins, who fill them in).
    @Sendable func pdf(req: Request) async throws -> Response {
        try await DocumentsWebController.open(req) { try await req.documents.invoice(id: try req.intParameter()) }
    }
}

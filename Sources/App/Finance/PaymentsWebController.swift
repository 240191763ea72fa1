import Domain
import Foundation
import SQLKit
import Vapor
import WebUI

/// «Платежи» (docs/ui.md#invoices-and-payments): the list, «Новый платёж», edit and delete. Every write goes
/// through `PaymentService` (the invoice's status and the audit entry in the same transaction); a payment above the
/// debt is accepted and kept as the client's advance, as in the API.
struct PaymentsWebController {
    static let pageSize = 50

    // MARK: - List

    @Sendable func list(req: Request) async throws -> Response {
        let service = try req.payments
        let (filter, shown) = try Self.filter(req)
        if let export = try ExportRequest.parse(req) {
            return try await Self.export(req, export: export, filter: filter, sort: shown.sort)
        }
        let count = try await service.count(filter)
        let (page, totalPages) = req.webPage(count: count, size: Self.pageSize)
        let payments = try await service.payments(
            filter, ordering: shown.sort, limit: Self.pageSize, offset: (page - 1) * Self.pageSize)
        let advances = try await service.excess(ofOrders: payments.map(\.orderID))
        let rows = payments.map { payment in
            PaymentListModel.Row(
                id: String(payment.id), paidAt: payment.paidAt, clientID: payment.clientID.map(String.init),
                clientName: payment.clientName, invoiceID: payment.orderInvoiceID.map(String.init),
                invoiceNumber: payment.orderInvoiceNumber, orderID: payment.orderID, orderNumber: payment.orderNumber,
                amount: payment.amount, method: payment.method, status: payment.status, comment: payment.comment,
                recordedBy: payment.createdByName, advance: advances[payment.orderID] ?? 0)
        }
        let model = PaymentListModel(
            context: req.pageContext(), filter: shown, clients: try await InvoicesWebController.clientChoices(req),
            rows: rows, page: page, totalPages: totalPages, totalCount: count)
        return WebReply.page(PaymentListPage(model: model), on: req)
    }

    private static func filter(_ req: Request) throws -> (PaymentService.Filter, PaymentListModel.Filter) {
        let timeZone = req.application.config.timeZone
        let clientID = req.queryValues["client"].flatMap { Int($0) }
        let method = req.queryValues["method"].flatMap(PaymentMethod.init(rawValue:))
        let from = OrdersWebController.day(req.queryValues["from"])
        let to = OrdersWebController.day(req.queryValues["to"])
        let sort = MoneyPages.sort(req.queryValues["sort"], allowed: PaymentService.orderingFields)
        let filter = PaymentService.Filter(
            orderID: nil, clientID: clientID, status: nil, method: method, isPrepayment: nil,
            period: try MoneyPages.period(from: from, to: to, timeZone: timeZone))
        let shown = PaymentListModel.Filter(
            client: clientID.map(String.init) ?? "", method: method?.rawValue ?? "", from: from, to: to, sort: sort)
        return (filter, shown)
    }

    private static func export(
        _ req: Request, export: ExportRequest, filter: PaymentService.Filter, sort: String
    ) async throws -> Response {
        let service = try req.payments
        let timeZone = req.application.config.timeZone
        let headers = ["Дата", "Клиент", "Счёт", "Заявка", "Сумма", "Способ", "Статус", "Комментарий", "Внёс"]
        return try await TableExport.respond(
            req, export: export, filename: "payments", sheetName: "Платежи", headers: headers
        ) { writer in
            var offset = 0
            let batch = 1000
            while true {
                let payments = try await service.payments(filter, ordering: sort, limit: batch, offset: offset)
                for payment in payments {
                    try writer.write([
                        .optionalText(payment.paidAt.map { ISOTime.day(of: $0, in: timeZone) }),
                        .optionalText(payment.clientName), .optionalText(payment.orderInvoiceNumber),
                        .text(payment.orderNumber), .money(payment.amount),
                        .text(MoneyLists.methodTitle(payment.method)),
                        .text(payment.status.title), .text(payment.comment), .text(payment.createdByName),
                    ])
                }
                guard payments.count == batch else { break }
                offset += batch
            }
        }
    }

    // MARK: - New, edit, delete

    /// GET `/payments/new?client=&invoice=&order=`: the invoice fills in its client, order and what is left to pay.
    @Sendable func newForm(req: Request) async throws -> Response {
        let timeZone = req.application.config.timeZone
        var values = PaymentFormModel.Values(
            client: req.queryValues["client"] ?? "", invoice: req.queryValues["invoice"] ?? "",
            order: req.queryValues["order"] ?? "", paidAt: ISOTime.day(of: Date(), in: timeZone))
        if let id = Int(values.invoice), let invoice = try? await req.invoices.invoice(id) {
            if values.client.isEmpty { values.client = invoice.clientID.map(String.init) ?? "" }
            values.amount = RussianFormat.moneyInput(max(invoice.amount - invoice.paid, 0))
        }
        return try await form(req, id: nil, values: values)
    }

    @Sendable func create(req: Request) async throws -> Response {
        let values = Self.values(try await WebForm(request: req))
        let payments = try req.payments
        let saved: PaymentStore.Payment
        do {
            let (input, problems) = try await Self.input(values, req: req)
            saved = try await payments.create(input, problems: problems)
        } catch {
            return try await failure(req, id: nil, values: values, error: error)
        }
        return try await Self.done(req, saved, payments: payments)
    }

    @Sendable func editForm(req: Request) async throws -> Response {
        let payment = try await req.payments.payment(try req.intParameter())
        let timeZone = req.application.config.timeZone
        let values = PaymentFormModel.Values(
            client: payment.clientID.map(String.init) ?? "", invoice: payment.invoiceID.map(String.init) ?? "",
            order: payment.invoiceID == nil ? payment.orderID : "", amount: RussianFormat.moneyInput(payment.amount),
            paidAt: ISOTime.day(of: payment.paidAt ?? payment.createdAt, in: timeZone), method: payment.method.rawValue,
            comment: payment.comment)
        return try await form(req, id: payment.id, values: values)
    }

    @Sendable func update(req: Request) async throws -> Response {
        let payments = try req.payments
        let id = try req.intParameter()
        let current = try await payments.payment(id)
        let values = Self.values(try await WebForm(request: req))
        let saved: PaymentStore.Payment
        do {
            var (input, problems) = try await Self.input(values, req: req)
            // The form neither shows the status nor the time of day: an unchanged day keeps the stored moment.
            input.status = .keep
            let timeZone = req.application.config.timeZone
            if let paidAt = current.paidAt, ISOTime.day(of: paidAt, in: timeZone) == values.paidAt {
                input.paidAt = .keep
            }
            saved = try await payments.update(id, with: input, problems: problems)
        } catch {
            return try await failure(req, id: id, values: values, error: error)
        }
        return try await Self.done(req, saved, payments: payments)
    }

    @Sendable func delete(req: Request) async throws -> Response {
        let payments = try req.payments
        let id = try req.intParameter()
        let payment = try await payments.payment(id)
        try await payments.delete(id)
        let back = payment.orderInvoiceID.map { Paths.invoice(String($0)) } ?? Paths.payments()
        return WebReply.redirect(to: back, flash: Flash(.success, "Платёж удалён"), on: req)
    }

    // MARK: - Form plumbing

    static func values(_ form: WebForm) -> PaymentFormModel.Values {
        PaymentFormModel.Values(
            client: form["client"], invoice: form["invoice"], order: form["order"], amount: form["amount"],
            paidAt: form["paid_at"], method: form["method"], comment: form.raw("comment") ?? "")
    }

    /// The form as the service's input: the invoice brings its order; the order must be the chosen client's.
    static func input(
        _ values: PaymentFormModel.Values, req: Request
    ) async throws -> (PaymentInput, [String: [String]]) {
        var entry = MoneyPages.Entry(
            amount: values.amount, paidAt: values.paidAt, method: values.method, comment: values.comment)
        var input = entry.input(timeZone: req.application.config.timeZone)
        input.clientID = Int(values.client)
        if !values.order.isEmpty { input.order = .set(values.order) }
        if values.invoice.isEmpty {
            input.invoiceID = .set(nil)
        } else if let id = Int(values.invoice), let invoice = try? await req.invoices.invoice(id) {
            input.invoiceID = .set(id)
            if values.order.isEmpty { input.order = .set(invoice.orderID) }
        } else {
            entry.problems["invoice"] = [FieldMessage.missingObject(values.invoice)]
        }
        if values.invoice.isEmpty, values.order.isEmpty {
            entry.problems["order"] = ["Выберите счёт или заявку."]
        }
        return (input, entry.problems)
    }

    private static func done(
        _ req: Request, _ payment: PaymentStore.Payment, payments: PaymentService
    ) async throws -> Response {
        let flash = try await MoneyPages.savedFlash(orderID: payment.orderID, payments: payments)
        let back = payment.orderInvoiceID.map { Paths.invoice(String($0)) } ?? Paths.payments()
        return WebReply.redirect(to: back, flash: flash, on: req)
    }

    private func failure(
        _ req: Request, id: Int?, values: PaymentFormModel.Values, error: any Error
    ) async throws -> Response {
        let described = try WebErrors.describe(error)
        var errors = described.fields
        // The API's field names (`order_id`, …) are the form's.
        for (api, field) in [("order_id", "order"), ("invoice_id", "invoice")] {
            if let message = errors.removeValue(forKey: api) { errors[field] = message }
        }
        return try await form(
            req, id: id, values: values, errors: errors, formError: described.detail ?? WebErrors.formRejected,
            status: described.status)
    }

    private func form(
        _ req: Request, id: Int?, values: PaymentFormModel.Values, errors: FormErrors = [:], formError: String? = nil,
        status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let clientID = Int(values.client)
        let invoiceFilter = InvoiceService.Filter(
            orderID: nil, clientID: clientID, paymentStatus: .pending,
            period: ReportPeriod(timeZone: req.application.config.timeZone))
        var invoices = try await req.invoices.invoices(invoiceFilter, limit: 200, offset: 0)
        if let chosen = Int(values.invoice), !invoices.contains(where: { $0.id == chosen }),
            let invoice = try? await req.invoices.invoice(chosen)
        {
            invoices.insert(invoice, at: 0)
        }
        let invoiceChoices = invoices.map { invoice in
            Choice(
                value: String(invoice.id),
                label: invoice.number + " · " + (invoice.clientName ?? "без клиента") + " · осталось "
                    + RussianFormat.money(max(invoice.amount - invoice.paid, 0)))
        }
        var orderChoices: [Choice] = []
        if let clientID {
            orderChoices = try await req.payments.orderChoices(clientID: clientID).map {
                Choice(value: $0.id, label: "Заявка " + $0.number)
            }
        }
        if !values.order.isEmpty, !orderChoices.contains(where: { $0.value == values.order }) {
            orderChoices.insert(Choice(value: values.order, label: "Выбранная заявка"), at: 0)
        }
        var advance: Int64 = 0
        if let id {
            let orderID = try await req.payments.payment(id).orderID
            advance = try await req.payments.excess(ofOrders: [orderID])[orderID] ?? 0
        }
        let model = PaymentFormModel(
            context: req.pageContext(), id: id.map(String.init), values: values,
            clients: try await InvoicesWebController.clientChoices(req), invoices: invoiceChoices,
            orders: orderChoices, errors: errors, formError: formError, advance: advance)
        return WebReply.page(PaymentFormPage(model: model), status: status, on: req)
    }
}

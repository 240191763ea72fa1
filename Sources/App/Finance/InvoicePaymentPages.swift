import Domain
import Foundation
import Vapor
import WebUI

/// «Счета» and «Платежи» (docs/ui.md#invoices-and-payments): registered by `registerWebRoutes`. The sections'
/// roles read; writing a payment takes the API's money roles (`routes.swift`: admin, manager, accountant).
func registerInvoiceAndPaymentPages(_ signedIn: any RoutesBuilder) {
    let invoices = InvoicesWebController()
    let invoiceSection = signedIn.grouped(RequireSection(section: .invoices))
    invoiceSection.get("invoices", use: invoices.list)
    invoiceSection.get("invoices", ":id", use: invoices.show)
    let money = RequireRole(.admin, .manager, .accountant)
    invoiceSection.grouped(money).post("invoices", ":id", "payments", use: invoices.pay)

    let payments = PaymentsWebController()
    let paymentSection = signedIn.grouped(RequireSection(section: .payments))
    paymentSection.get("payments", use: payments.list)
    let writers = paymentSection.grouped(money)
    writers.get("payments", "new", use: payments.newForm)
    writers.post("payments", "new", use: payments.create)
    writers.get("payments", ":id", "edit", use: payments.editForm)
    writers.post("payments", ":id", "edit", use: payments.update)
    writers.post("payments", ":id", "delete", use: payments.delete)
}

/// The edge of both pages' payment forms: the typed fields → `PaymentInput`, with the edge's own field messages.
enum MoneyPages {
    struct Entry {
        var amount: String
        var paidAt: String
        var method: String
        var comment: String
        var problems: [String: [String]] = [:]

        /// A successful payment on the given day (now when the day is today), in the company's zone.
        mutating func input(timeZone: TimeZone) -> PaymentInput {
            var input = PaymentInput()
            input.status = .set(.success)
            if let kopecks = RussianFormat.parseMoney(amount) {
                input.amount = .set(kopecks)
            } else {
                problems["amount"] = [amount.isEmpty ? "Введите сумму платежа." : "Введите сумму, например 12 500,00."]
            }
            if let day = RussianFormat.parseDateInput(paidAt, in: timeZone) {
                let today = ISOTime.day(of: Date(), in: timeZone)
                input.paidAt = .set(paidAt == today ? Date() : day)
            } else {
                problems["paid_at"] = ["Укажите дату оплаты."]
            }
            if let value = PaymentMethod(rawValue: method) {
                input.method = .set(value)
            } else {
                problems["method"] = ["Выберите способ оплаты."]
            }
            if comment.count > 10_000 {
                problems["comment"] = ["Комментарий длиннее 10 000 символов."]
            } else {
                input.comment = .set(comment)
            }
            return input
        }
    }

    /// `sort` when it names an allowed column (`-` first for descending), "" otherwise.
    static func sort(_ raw: String?, allowed: [String: String]) -> String {
        guard let raw, !raw.isEmpty else { return "" }
        let key = raw.hasPrefix("-") ? String(raw.dropFirst()) : raw
        return allowed[key] == nil ? "" : raw
    }

    /// The period of already checked `yyyy-MM-dd` days (or "").
    static func period(from: String, to: String, timeZone: TimeZone) throws -> ReportPeriod {
        var errors: [String: [String]] = [:]
        let start = try DayBound.parse(from, key: "from", end: false, timeZone: timeZone, errors: &errors)
        var end = try DayBound.parse(to, key: "to", end: true, timeZone: timeZone, errors: &errors)
        if let start, let bound = end, bound <= start { end = nil }
        return ReportPeriod(
            rawFrom: from.isEmpty ? nil : from, rawTo: to.isEmpty ? nil : to, start: start, end: end,
            timeZone: timeZone)
    }

    /// «Платёж сохранён», with the advance when the order is now overpaid.
    static func savedFlash(orderID: String, payments: PaymentService) async throws -> Flash {
        let excess = try await payments.excess(ofOrders: [orderID])[orderID] ?? 0
        guard excess > 0 else { return Flash(.success, "Платёж сохранён") }
        return Flash(
            .success, "Платёж сохранён. Переплата " + RussianFormat.money(excess) + " зачтена клиенту как аванс.")
    }
}

import Domain
import Foundation
import SQLKit
import Vapor
import WebUI

/// `/clients/{id}`, the client card (admins, managers, accountants): the client (`ClientService`), the account
/// (`ClientBalanceService.statement`, what `/api/v1/clients/{id}/balance/` shows), the ledger for a period (the
/// reconciliation statement's entries, `DocumentService.reconciliation`, with the running balance) and the
/// client's orders (`OrderListQuery`, latest first).
struct ClientCardWebController {
    static let ordersPageSize = 20

    @Sendable func show(req: Request) async throws -> Response {
        let id = try ClientsWebController.id(req)
        let client = try await req.clients.client(id)
        let statement = try await req.clientBalances.statement(of: id)
        let timeZone = req.application.config.timeZone
        let today = ISOTime.day(of: Date(), in: timeZone)
        var from = OrdersWebController.day(req.queryValues["from"]).nonEmpty ?? String(today.prefix(4)) + "-01-01"
        var to = OrdersWebController.day(req.queryValues["to"]).nonEmpty ?? today
        if from > to { swap(&from, &to) }
        let period = try await req.documents.reconciliation(clientID: id, from: from, to: to)
        var balance = period.openingBalance
        let ledger = period.entries.map { entry in
            balance += entry.debit - entry.credit
            return ClientCardModel.LedgerRow(
                day: entry.day, document: entry.document, debit: entry.debit, credit: entry.credit, balance: balance)
        }

        let orders = try OrderListQuery(caller: try req.caller, timeZone: timeZone) { key in
            switch key {
            case "client": String(id)
            case "ordering": "-start_dt"
            default: nil
            }
        }
        let sql = try req.db.sql()
        let count = try await orders.count(on: sql)
        let (page, totalPages) = req.webPage(count: count, size: Self.ordersPageSize, key: "orders_page")
        let ids = try await orders.ids(page: PageRequest(page: page, size: Self.ordersPageSize), on: sql)
        let summaries = try await OrderPageData(context: try req.services).summaries(ids)

        let account = ClientCardModel.Account(
            balance: statement.balance.balance.kopecks, creditLimit: statement.creditLimit,
            exposure: statement.exposure, isOverLimit: statement.isOverLimit,
            buckets: DebtsWebController.buckets(statement.balance.ageing))
        let model = ClientCardModel(
            context: req.pageContext(), id: String(id), name: client.name, isActive: client.isActive,
            contacts: ClientCardModel.Contacts(
                contactPerson: client.contactPerson, phone: client.phone, email: client.email,
                address: client.address, inn: client.inn, kpp: client.kpp, notes: client.notes),
            account: account, from: from, to: to, openingBalance: period.openingBalance, ledger: ledger,
            orders: summaries, ordersCount: count, ordersPage: page, ordersTotalPages: totalPages,
            canEdit: CatalogWebController.canEdit(req))
        return WebReply.page(ClientCardPage(model: model), on: req)
    }
}

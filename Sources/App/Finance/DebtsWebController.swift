import Domain
import Foundation
import Vapor
import WebUI

/// `/debts` («Должники»): `ClientBalanceService.debtors`, the ledger of every client at once, as a page with a search,
/// column sorting and paging; `?export=csv|xlsx` downloads the whole table. `?as_of=YYYY-MM-DD` ages the debt as
/// of the end of that day, as the balance API does.
struct DebtsWebController {
    static let pageSize = 50

    @Sendable func list(req: Request) async throws -> Response {
        let q = (req.queryValues["q"] ?? "").trimmingCharacters(in: .whitespaces)
        let sort = Self.sort(req.queryValues["sort"])
        let export = try ExportRequest.parse(req)
        let debtors = Self.sorted(
            Self.matching(try await req.clientBalances.debtors(asOf: try Self.asOf(req)), q), sort)
        let timeZone = req.application.config.timeZone
        if let export {
            let oldest = try await req.clientBalances.oldestUnpaid(of: nil)
            let complete = debtors.map {
                var debtor = $0; debtor.oldest = oldest[debtor.clientID]; return debtor
            }
            return try await Self.export(req, export: export, debtors: complete, timeZone: timeZone)
        }

        var totals = DebtListModel.Totals(clients: debtors.count)
        for debtor in debtors {
            totals.debt += debtor.debt.kopecks
            totals.buckets.upTo30 += debtor.ageing.upTo30Days.kopecks
            totals.buckets.days31To60 += debtor.ageing.days31To60.kopecks
            totals.buckets.days61To90 += debtor.ageing.days61To90.kopecks
            totals.buckets.over90 += debtor.ageing.over90Days.kopecks
            if debtor.isOverLimit { totals.overLimit += 1 }
        }
        let (page, totalPages) = req.webPage(count: debtors.count, size: Self.pageSize)
        let shown = Array(debtors.dropFirst((page - 1) * Self.pageSize).prefix(Self.pageSize))
        let oldest = try await req.clientBalances.oldestUnpaid(of: shown.map(\.clientID))
        let rows = shown.map {
            var debtor = $0; debtor.oldest = oldest[debtor.clientID]; return debtor
        }.map { debtor in
            DebtListModel.Row(
                clientID: String(debtor.clientID), name: debtor.name, phone: debtor.phone, debt: debtor.debt.kopecks,
                buckets: Self.buckets(debtor.ageing), oldestDocument: debtor.oldest.map { Self.title($0, timeZone) },
                oldestDate: debtor.oldest?.billedAt, oldestURL: debtor.oldest.map { Paths.order($0.orderID) },
                lastPayment: debtor.lastPaymentAt, creditLimit: debtor.creditLimit, isOverLimit: debtor.isOverLimit)
        }
        let model = DebtListModel(
            context: req.pageContext(), q: q, sort: sort, totals: totals, rows: Array(rows), page: page,
            totalPages: totalPages)
        return WebReply.page(DebtListPage(model: model), on: req)
    }

    static func buckets(_ ageing: AgeingBuckets) -> DebtListModel.Buckets {
        DebtListModel.Buckets(
            upTo30: ageing.upTo30Days.kopecks, days31To60: ageing.days31To60.kopecks,
            days61To90: ageing.days61To90.kopecks, over90: ageing.over90Days.kopecks)
    }

    /// «Акт № 5 от 12.03.2025 (заявка № 000012)» when the order's act was issued, else «Заявка № 000012»: the
    /// reconciliation statement's wording.
    static func title(_ document: ClientBalanceService.Debtor.Document, _ timeZone: TimeZone) -> String {
        let order = "Заявка № " + document.orderNumber
        guard let act = document.actNumber, let issued = document.actIssuedAt else { return order }
        return "Акт № \(act) от \(RussianFormat.date(issued, in: timeZone)) (заявка № \(document.orderNumber))"
    }

    /// The end of the `as_of` day in the company's zone; now when absent.
    static func asOf(_ req: Request) throws -> Date? {
        guard let raw: String = req.queryValues["as_of"], !raw.isEmpty else { return nil }
        guard let day = ISOTime.startOfDay(raw, in: req.application.config.timeZone) else {
            throw FieldErrors("as_of", FieldMessage.date)
        }
        return day.addingTimeInterval(86_399)
    }

    /// A whitelisted `?sort=` value (`DebtListModel.Sort`, `-` for descending); anything else is the default.
    static func sort(_ raw: String?) -> String {
        guard let raw else { return DebtListModel.Sort.default }
        let key = raw.hasPrefix("-") ? String(raw.dropFirst()) : raw
        return DebtListModel.Sort(rawValue: key) == nil ? DebtListModel.Sort.default : raw
    }

    /// Clients whose name or phone contains every word of `q` (case-insensitive).
    static func matching(_ debtors: [ClientBalanceService.Debtor], _ q: String) -> [ClientBalanceService.Debtor] {
        let words = q.lowercased().split(whereSeparator: \.isWhitespace)
        guard !words.isEmpty else { return debtors }
        return debtors.filter { debtor in
            let text = (debtor.name + " " + debtor.phone).lowercased()
            return words.allSatisfy { text.contains($0) }
        }
    }

    /// The service's order (the largest overdue debt first) re-sorted by a column; ties keep the service's order.
    static func sorted(_ debtors: [ClientBalanceService.Debtor], _ sort: String) -> [ClientBalanceService.Debtor] {
        guard sort != DebtListModel.Sort.default else { return debtors }
        let descending = sort.hasPrefix("-")
        guard let key = DebtListModel.Sort(rawValue: descending ? String(sort.dropFirst()) : sort) else {
            return debtors
        }
        // Names are lowered once, not on every comparison.
        let names = key == .name ? debtors.map { $0.name.lowercased() } : []
        func ascending(_ a: ClientBalanceService.Debtor, _ b: ClientBalanceService.Debtor, _ i: Int, _ j: Int) -> Bool?
        {
            switch key {
            case .name:
                let (x, y) = (names[i], names[j])
                return x == y ? nil : x < y
            case .debt: return a.debt == b.debt ? nil : a.debt < b.debt
            case .overdue: return a.overdue == b.overdue ? nil : a.overdue < b.overdue
            case .over90:
                return a.ageing.over90Days == b.ageing.over90Days ? nil : a.ageing.over90Days < b.ageing.over90Days
            case .lastPayment:
                let (x, y) = (a.lastPaymentAt ?? .distantPast, b.lastPaymentAt ?? .distantPast)
                return x == y ? nil : x < y
            }
        }
        return debtors.enumerated().sorted { lhs, rhs in
            guard let order = ascending(lhs.element, rhs.element, lhs.offset, rhs.offset) else {
                return lhs.offset < rhs.offset
            }
            return descending ? !order : order
        }.map(\.element)
    }

    static let exportHeaders = [
        "Клиент", "Телефон", "Долг", "до 30", "31–60", "61–90", "больше 90 дней", "Просрочено",
        "Старейший неоплаченный документ", "Дата документа", "Последняя оплата", "Кредитный лимит",
        "Лимит превышен",
    ]

    static func export(
        _ req: Request, export: ExportRequest, debtors: [ClientBalanceService.Debtor], timeZone: TimeZone
    ) async throws -> Response {
        try await TableExport.respond(
            req, export: export, filename: "debts", sheetName: "Должники", headers: exportHeaders
        ) { writer in
            for debtor in debtors {
                try writer.write([
                    .text(debtor.name), .text(debtor.phone), .money(debtor.debt.kopecks),
                    .money(debtor.ageing.upTo30Days.kopecks), .money(debtor.ageing.days31To60.kopecks),
                    .money(debtor.ageing.days61To90.kopecks), .money(debtor.ageing.over90Days.kopecks),
                    .money(debtor.overdue.kopecks), .optionalText(debtor.oldest.map { title($0, timeZone) }),
                    .optionalText(debtor.oldest.map { ISOTime.day(of: $0.billedAt, in: timeZone) }),
                    .optionalText(debtor.lastPaymentAt.map { ISOTime.day(of: $0, in: timeZone) }),
                    debtor.creditLimit.map(ExportCell.money) ?? .empty, .text(debtor.isOverLimit ? "да" : "нет"),
                ])
            }
        }
    }
}

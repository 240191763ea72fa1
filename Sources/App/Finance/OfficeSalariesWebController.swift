import Domain
import Foundation
import Vapor
import WebUI

/// The office's «Зарплаты» (`/salaries…`, admins and accountants, as `/api/v1/salaries/`): the records with totals
/// per operator and downloads, and the payout workflow one record or many at a time. Each step is
/// `SalaryService.changeStatus` (the `SalaryStatus` transitions, the audit entry, the operator's notification).
struct OfficeSalariesWebController {
    static let pageSize = 50
    /// The most records one bulk post may change.
    static let bulkLimit = 500
    /// How many refused records a bulk step's message names.
    static let namedRefusals = 10

    @Sendable func list(req: Request) async throws -> Response {
        let service = try req.salaries
        let filter = Self.listFilter(req)
        let query = Self.serviceFilter(filter, timeZone: req.application.config.timeZone)
        if let export = try ExportRequest.parse(req) {
            return try await Self.export(req, service: service, filter: query, export: export)
        }
        let count = try await service.count(query)
        let (page, totalPages) = req.webPage(count: count, size: Self.pageSize)
        let records = try await service.records(query, limit: Self.pageSize, offset: (page - 1) * Self.pageSize)
        let totals = try await service.totalsByOperator(query).map { entry in
            OfficeSalaryModel.OperatorTotal(
                name: entry.name,
                totals: SalaryModel.Totals(
                    pending: entry.totals[.pending] ?? 0, approved: entry.totals[.approved] ?? 0,
                    paid: entry.totals[.paid] ?? 0))
        }
        let operators = try await req.users.operators().map { user in
            let name = "\(user.firstName) \(user.lastName)".trimmingCharacters(in: .whitespaces)
            return OfficeSalaryModel.Operator(id: String(user.id ?? 0), name: name.isEmpty ? user.phone : name)
        }
        let model = OfficeSalaryModel(
            context: req.pageContext(), filter: filter, rows: records.map(Self.row), operatorTotals: totals,
            operators: operators, page: page, totalPages: totalPages, totalCount: count)
        return WebReply.page(OfficeSalariesPage(model: model), on: req)
    }

    /// The list's query values; anything malformed is dropped, as on the order list.
    static func listFilter(_ req: Request) -> OfficeSalaryModel.Filter {
        let user = req.queryValues["user"] ?? ""
        return OfficeSalaryModel.Filter(
            userID: Int(user) == nil ? "" : user,
            status: (req.queryValues["status"]).flatMap { SalaryStatus(rawValue: $0) },
            from: OrdersWebController.day(req.queryValues["from"]), to: OrdersWebController.day(req.queryValues["to"]))
    }

    /// The days as the API reads `from`/`to`: company days, both inclusive.
    static func serviceFilter(_ filter: OfficeSalaryModel.Filter, timeZone: TimeZone) -> SalaryService.Filter {
        let start = filter.from.isEmpty ? nil : ISOTime.startOfDay(filter.from, in: timeZone)
        let end = filter.to.isEmpty ? nil : ISOTime.startOfDay(filter.to, in: timeZone)?.addingTimeInterval(86_400)
        return SalaryService.Filter(
            userID: Int(filter.userID), status: filter.status,
            period: ReportPeriod(rawFrom: filter.from, rawTo: filter.to, start: start, end: end, timeZone: timeZone))
    }

    static func row(_ record: SalaryStore.Record) -> OfficeSalaryModel.Row {
        OfficeSalaryModel.Row(
            id: String(record.id), operatorName: record.userName, orderID: record.orderID,
            orderNumber: record.orderNumber, workDate: record.workDate, amount: record.amount, status: record.status,
            paidAt: record.paidAt)
    }

    static let exportHeaders = ["ID", "Оператор", "Заявка", "Дата работ", "Часы", "Сумма", "Статус", "Выплачена"]

    static func export(
        _ req: Request, service: SalaryService, filter: SalaryService.Filter, export: ExportRequest
    ) async throws -> Response {
        let timeZone = req.application.config.timeZone
        return try await TableExport.respond(
            req, export: export, filename: "salaries", sheetName: "Зарплаты", headers: Self.exportHeaders
        ) { table in
            let chunk = 1000
            var offset = 0
            while true {
                let records = try await service.records(filter, limit: chunk, offset: offset)
                for record in records {
                    try table.write([
                        .integer(record.id), .text(record.userName), .optionalText(record.orderNumber),
                        .text(ISOTime.day(of: record.workDate, in: timeZone)), .hundredths(record.hoursWorked),
                        .money(record.amount), .text(record.status.title),
                        .optionalText(record.paidAt.map { ISOTime.format($0, in: timeZone) }),
                    ])
                }
                guard records.count == chunk else { break }
                offset += chunk
            }
        }
    }

    // MARK: - The payout workflow

    /// POST `status`, `back`: one record's step.
    @Sendable func changeStatus(req: Request) async throws -> Response {
        let id = try ClientsWebController.id(req)
        let form = try await WebForm(request: req)
        let back = Self.back(form)
        guard let target = SalaryStatus(rawValue: form["status"]) else {
            return WebReply.redirect(
                to: back, flash: Flash(.error, "Не указан новый статус записи зарплаты."), on: req)
        }
        do {
            _ = try await req.salaries.changeStatus(id, to: target)
        } catch let error as SalaryError {
            if error == .notFound { throw error }
            return WebReply.redirect(to: back, flash: Flash(.error, Self.describe(error, id: id)), on: req)
        }
        return WebReply.redirect(
            to: back, flash: Flash(.success, "Запись № \(id): статус «\(target.title)»"), on: req)
    }

    /// POST `action` (`approved` or `paid`), `ids`, `back`: the step for every ticked record; the allowed ones are
    /// committed one by one, the refused ones are named in the message.
    @Sendable func bulk(req: Request) async throws -> Response {
        let form = try await WebForm(request: req)
        let back = Self.back(form)
        guard let target = SalaryStatus(rawValue: form["action"]), target != .pending else {
            return WebReply.redirect(to: back, flash: Flash(.error, "Выберите действие."), on: req)
        }
        var ids: [Int] = []
        for id in form.values("ids").compactMap({ Int($0) }) where !ids.contains(id) { ids.append(id) }
        guard !ids.isEmpty else {
            return WebReply.redirect(to: back, flash: Flash(.error, "Отметьте записи зарплаты в списке."), on: req)
        }
        guard ids.count <= Self.bulkLimit else {
            return WebReply.redirect(
                to: back, flash: Flash(.error, "За один раз можно изменить не больше \(Self.bulkLimit) записей."),
                on: req)
        }
        let service = try req.salaries
        var done = 0
        var refused: [String] = []
        for id in ids {
            do {
                _ = try await service.changeStatus(id, to: target)
                done += 1
            } catch let error as SalaryError {
                refused.append(Self.describe(error, id: id))
            }
        }
        return WebReply.redirect(
            to: back, flash: Self.bulkFlash(target: target, done: done, refused: refused), on: req)
    }

    static func bulkFlash(target: SalaryStatus, done: Int, refused: [String]) -> Flash {
        let verb = target == .paid ? "Выплачено" : "Утверждено"
        let counted = RussianFormat.counted(done, "запись", "записи", "записей")
        guard !refused.isEmpty else { return Flash(.success, "\(verb): \(counted).") }
        let refusedCount = RussianFormat.counted(refused.count, "запись", "записи", "записей")
        // The message travels in a cookie: name the first refusals, count the rest.
        var named = refused.prefix(Self.namedRefusals).joined(separator: "; ")
        if refused.count > Self.namedRefusals { named += "; и ещё \(refused.count - Self.namedRefusals)" }
        return Flash(.error, "\(verb): \(counted). Не изменено: \(refusedCount). " + named + ".")
    }

    /// «Запись № 12: Выплаченную зарплату изменить нельзя».
    static func describe(_ error: SalaryError, id: Int) -> String {
        switch error {
        case .notFound: "Запись № \(id): не найдена"
        case .transitionRefused(let reason): "Запись № \(id): \(reason)"
        case .changedMeanwhile: "Запись № \(id): изменена одновременно с вашим запросом, обновите страницу"
        }
    }

    /// The list page the post came from (only ever a `/salaries` address).
    static func back(_ form: WebForm) -> String {
        let back = form["back"]
        let list = Paths.salaries()
        guard back == list || back.hasPrefix(list + "?") else { return list }
        return back
    }
}

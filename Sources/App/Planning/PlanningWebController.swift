import Domain
import Foundation
import Vapor
import WebUI

/// «План», «Мои смены», the feed's settings in «Профиль» and the feed itself (docs/planning.md). Reads go through
/// `PlanningService`; a dragged bar is an order update through `OrderService`.
struct PlanningWebController {
    // MARK: - The board

    @Sendable func board(req: Request) async throws -> Response {
        let timeZone = req.application.config.timeZone
        let calendar = BusinessTime.calendar(in: timeZone)
        let today = calendar.startOfDay(for: Date())
        let filter = Self.filter(req)
        let (period, interval) = Self.period(filter, today: today, timeZone: timeZone)
        let service = try req.planning
        let board = try await service.board(filter.resource, period: period).keeping(filter.availability, in: interval)
        // The phone's day list: today unless a day is asked for; read again only when outside the shown days.
        let day = (req.queryValues["day"]).flatMap { RussianFormat.parseDateInput($0, in: timeZone) } ?? today
        let dayPeriod = PlanningPeriod(first: day, last: day, calendar: calendar) ?? period
        let dayRange = dayPeriod.range
        var dayBoard = board
        if !(period.range.contains(dayRange.start) && dayRange.end <= period.end) {
            dayBoard = try await service.board(filter.resource, period: dayPeriod)
                .keeping(filter.availability, in: interval)
        }
        let model = PlanningBoardModel(
            context: req.pageContext(), filter: filter, board: board, today: today, day: dayRange.start,
            dayRows: dayBoard.day(dayRange), canEdit: PlanningPolicy.mayPlan(try req.caller.role))
        return WebReply.page(PlanningBoardPage(model: model), on: req)
    }

    /// `GET /planning/details` (the board's query): `{"<order id>": "client · address"}` for every bar of that board,
    /// which planning.js fetches once the board is shown and sets as the bars' tooltips. Kept out of the page: a
    /// month of a large fleet would carry them on hundreds of bars (docs/planning.md#speed).
    @Sendable func details(req: Request) async throws -> Response {
        let timeZone = req.application.config.timeZone
        let filter = Self.filter(req)
        let today = BusinessTime.calendar(in: timeZone).startOfDay(for: Date())
        let (period, interval) = Self.period(filter, today: today, timeZone: timeZone)
        let board = try await req.planning.board(filter.resource, period: period)
            .keeping(filter.availability, in: interval)
        var details: [String: JSONValue] = [:]
        for row in board.rows {
            for bar in row.bars { details[bar.order.id] = .string(PlanningBoardPage.details(of: bar.order)) }
        }
        return Self.json(.object(details), status: .ok)
    }

    /// The shown period (from the filter's first day, today when it has none) and the interval the free/busy
    /// filter checks.
    static func period(
        _ filter: PlanningBoardModel.Filter, today: Date, timeZone: TimeZone
    ) -> (PlanningPeriod, TimeRange) {
        let first = filter.from.isEmpty ? today : RussianFormat.parseDateInput(filter.from, in: timeZone) ?? today
        let period = PlanningPeriod(first: first, span: filter.span, calendar: BusinessTime.calendar(in: timeZone))
        return (period, interval(filter, period: period, timeZone: timeZone))
    }

    /// The board's query values; anything malformed is dropped, as on the lists.
    static func filter(_ req: Request) -> PlanningBoardModel.Filter {
        let timeZone = req.application.config.timeZone
        func local(_ key: String) -> String {
            guard let raw = req.queryValues[key], let date = RussianFormat.parseDateTimeLocal(raw, in: timeZone)
            else { return "" }
            return RussianFormat.dateTimeLocalInput(date, in: timeZone)
        }
        return PlanningBoardModel.Filter(
            resource: (req.queryValues["resource"]).flatMap(PlanningResource.init(rawValue:)) ?? .equipment,
            span: (req.queryValues["span"]).flatMap(PlanningSpan.init(rawValue:)) ?? .week,
            from: OrdersWebController.day(req.queryValues["from"]),
            availability: (req.queryValues["show"]).flatMap(PlanningAvailability.init(rawValue:)) ?? .all,
            checkFrom: local("check_from"), checkTo: local("check_to"))
    }

    /// The interval the free/busy filter checks: the typed one, its missing ends taken from the shown period.
    static func interval(
        _ filter: PlanningBoardModel.Filter, period: PlanningPeriod, timeZone: TimeZone
    ) -> TimeRange {
        let start = RussianFormat.parseDateTimeLocal(filter.checkFrom, in: timeZone) ?? period.start
        let end = RussianFormat.parseDateTimeLocal(filter.checkTo, in: timeZone) ?? period.end
        return TimeRange(start: start, end: end) ?? period.range
    }

    // MARK: - Drag to reschedule

    /// `POST /planning/move` (JSON, `X-CSRF-Token`): 200 `{"ok": true}`, or the refusal as
    /// `{"detail", "conflicts": [{"order", "number", "resource_name", "period"}]}` with the API's status.
    @Sendable func move(req: Request) async throws -> Response {
        let timeZone = req.application.config.timeZone
        var input = try JSONInput(request: req)
        let orderID = input.string("order", required: true, maxLength: 36, allowBlank: false)
        let resource = input.choice("resource", as: PlanningResource.self, required: true)
        let fromID = input.int("from", required: true, nullable: false, minimum: 1)
        let toID = input.int("to", required: true, nullable: false, minimum: 1)
        let start = input.dateTime("start", required: true, nullable: false)
        guard input.errors.isEmpty, let orderID, let resource, let fromID, let toID, let start else {
            return Self.refusal(.badRequest, detail: "Не удалось перенести заявку: неверные данные.", conflicts: [])
        }
        do {
            try await req.planning.move(
                PlanningMove(orderID: orderID, resource: resource, fromID: fromID, toID: toID, start: start))
        } catch let error as OrderError {
            let api = error.apiError(timeZone: timeZone)
            var conflicts: [JSONValue] = []
            if case .busy(let found) = error {
                conflicts = found.map { conflict in
                    .object([
                        "order": .string(conflict.orderID), "number": .string(conflict.number),
                        "resource_name": .string(conflict.resourceName),
                        "period": .string(RussianFormat.period(conflict.start, conflict.end, in: timeZone)),
                    ])
                }
            }
            return Self.refusal(api.status, detail: Self.message(api), conflicts: conflicts)
        } catch let error as PlanningError {
            let status = (error.apiError as? APIError)?.status ?? .conflict
            return Self.refusal(status, detail: Self.message(error.apiError), conflicts: [])
        }
        return Self.json(.object(["ok": .bool(true)]), status: .ok)
    }

    /// The Russian text of a refusal: the detail, or the field messages joined.
    static func message(_ error: any Error) -> String {
        if let error = error as? APIError, !error.detail.isEmpty { return error.detail }
        if let error = error as? FieldErrors {
            return error.fields.sorted { $0.key < $1.key }.flatMap(\.value).joined(separator: " ")
        }
        return "Не удалось перенести заявку."
    }

    static func refusal(_ status: HTTPResponseStatus, detail: String, conflicts: [JSONValue]) -> Response {
        json(.object(["detail": .string(detail), "conflicts": .array(conflicts)]), status: status)
    }

    static func json(_ value: JSONValue, status: HTTPResponseStatus) -> Response {
        let response = Response(status: status, body: .init(string: value.jsonText))
        response.headers.contentType = .json
        return response
    }

    // MARK: - «Мои смены» and the feed

    @Sendable func shifts(req: Request) async throws -> Response {
        let service = try req.planning
        let (period, orders) = try await service.shifts(days: 14)
        let model = ShiftsModel(
            context: req.pageContext(), period: period, orders: orders, feedIsOn: try await service.feedSecret() != nil)
        return WebReply.page(ShiftsPage(model: model), on: req)
    }

    @Sendable func calendarSettings(req: Request) async throws -> Response {
        let secret = try await req.planning.feedSecret()
        let url = secret.map { req.application.publicBaseURL + Paths.calendarFeed(secret: $0) }
        return WebReply.page(
            CalendarSettingsPage(model: CalendarSettingsModel(context: req.pageContext(), feedURL: url)), on: req)
    }

    @Sendable func renewFeed(req: Request) async throws -> Response {
        _ = try await req.planning.renewFeed()
        return WebReply.redirect(
            to: Paths.calendarSettings(), flash: Flash(.success, "Лента смен включена: новый адрес ниже."), on: req)
    }

    @Sendable func revokeFeed(req: Request) async throws -> Response {
        try await req.planning.revokeFeed()
        return WebReply.redirect(
            to: Paths.calendarSettings(),
            flash: Flash(.success, "Лента смен выключена: старый адрес больше не работает."),
            on: req)
    }

    /// `GET /calendar/<secret>.ics`: the owner's assignments as iCalendar; 404 for an unknown or revoked secret.
    @Sendable func feed(req: Request) async throws -> Response {
        let file = req.parameters.get("file") ?? ""
        guard file.hasSuffix(".ics"),
            let caller = try await PlanningService.feedCaller(secret: String(file.dropLast(4)), on: req.db)
        else { throw APIError.notFound() }
        let context = ServiceContext(
            db: req.db, caller: caller, origin: RequestOrigin(req), app: req.application, logger: req.logger)
        let text = try await PlanningService(context: context).calendarFeed()
        let response = Response(status: .ok, body: .init(string: text))
        response.headers.replaceOrAdd(name: "Content-Type", value: "text/calendar; charset=utf-8")
        response.headers.replaceOrAdd(name: "Cache-Control", value: "private, max-age=300")
        response.headers.replaceOrAdd(name: "Content-Disposition", value: "inline; filename=\"ringo-shifts.ics\"")
        return response
    }
}

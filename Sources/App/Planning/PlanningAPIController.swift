import Domain
import Foundation
import Vapor

/// `GET /api/v1/planning/?from=YYYY-MM-DD&to=YYYY-MM-DD&resource=equipment|operator` (docs/planning.md#api).
struct PlanningAPIController {
    /// The longest period one call may ask for.
    static let maxDays = 92

    @Sendable func board(req: Request) async throws -> Response {
        let timeZone = req.application.config.timeZone
        let query = try PlanningAPIQuery(
            from: req.queryValues["from"], to: req.queryValues["to"], resource: req.queryValues["resource"],
            today: Date(), timeZone: timeZone)
        let board = try await req.planning.board(query.resource, period: query.period)
        var writer = JSONWriter()
        writer.beginObject()
        writer.field("from", ISOTime.day(of: board.period.start, in: timeZone))
        writer.field("to", ISOTime.day(of: board.period.end.addingTimeInterval(-1), in: timeZone))
        writer.field("resource", board.resource.rawValue)
        writer.field("utilisation", Self.percentText(board.utilisation))
        writer.key("rows")
        writer.beginArray()
        for row in board.rows {
            writer.beginObject()
            writer.field("id", row.resource.id)
            writer.field("name", row.resource.name)
            writer.field("detail", row.resource.detail)
            writer.field("group", row.resource.group)
            writer.field("utilisation", Self.percentText(row.utilisation))
            writer.field("busy_hours", DecimalText.format(Decimal(row.busy) / 3600, scale: 2))
            writer.key("intervals")
            writer.beginArray()
            for bar in row.bars {
                let order = bar.order
                writer.beginObject()
                writer.field("order", order.id)
                writer.field("number", order.number)
                writer.field("status", order.status.rawValue)
                writer.field("start", ISOTime.format(order.booking.start, in: timeZone))
                writer.field("end", ISOTime.format(order.booking.end, in: timeZone))
                writer.field("open_end", order.hasOpenEnd)
                writer.field("client", order.client)
                writer.field("address", order.address)
                writer.endObject()
            }
            writer.endArray()
            writer.endObject()
        }
        writer.endArray()
        writer.endObject()
        let response = Response(status: .ok, body: .init(data: Data(writer.bytes)))
        response.headers.contentType = .json
        return response
    }

    /// A share as a percent with one decimal: `"64.2"`.
    static func percentText(_ share: Double) -> String {
        let tenths = Int((min(1, max(0, share)) * 1000).rounded(.toNearestOrAwayFromZero))
        return String(tenths / 10) + "." + String(tenths % 10)
    }
}

/// The API's query: `from` (default today), `to` (default six days after `from`, inclusive), `resource`
/// (default `equipment`). A bad value is a 400 with field messages.
struct PlanningAPIQuery {
    var resource: PlanningResource
    var period: PlanningPeriod

    init(from: String?, to: String?, resource: String?, today: Date, timeZone: TimeZone) throws {
        var errors: [String: [String]] = [:]
        let calendar = BusinessTime.calendar(in: timeZone)
        func day(_ raw: String?, key: String) -> Date? {
            guard let raw, !raw.isEmpty else { return nil }
            guard ISOTime.parseDay(raw) != nil, let start = ISOTime.startOfDay(raw, in: timeZone) else {
                errors[key, default: []].append("Неверный формат даты. Используйте YYYY-MM-DD.")
                return nil
            }
            return start
        }
        let first = day(from, key: "from") ?? calendar.startOfDay(for: today)
        let last = day(to, key: "to") ?? calendar.date(byAdding: .day, value: 6, to: first) ?? first
        var kind = PlanningResource.equipment
        if let resource, !resource.isEmpty {
            if let parsed = PlanningResource(rawValue: resource) {
                kind = parsed
            } else {
                errors["resource", default: []].append(FieldMessage.choice(resource))
            }
        }
        let period = PlanningPeriod(first: first, last: last, calendar: calendar)
        if errors.isEmpty {
            if period == nil {
                errors["to", default: []].append("Дата окончания не может быть раньше даты начала.")
            } else if let period, period.days.count > PlanningAPIController.maxDays {
                errors["to", default: []].append(
                    "Период не может быть длиннее \(PlanningAPIController.maxDays) дней.")
            }
        }
        guard errors.isEmpty, let period else { throw FieldErrors(errors) }
        self.resource = kind
        self.period = period
    }
}

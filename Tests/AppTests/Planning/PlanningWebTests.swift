import Domain
import Foundation
import SQLKit
import Testing
import Vapor

@testable import App

@Suite("Web: «План», drag to reschedule, «Мои смены», the calendar feed")
struct PlanningWebTests {
    static let week = "/planning?from=2026-12-07"

    @Test(arguments: Role.allCases)
    func theBoardIsForStaffAndTheShiftsForOperators(role: Role) async throws {
        try await TestApp.run { t in
            let (web, _, _) = try await WebClient.signedIn(t, role)
            let board = try await web.get("/planning")
            let staff = role == .admin || role == .manager
            #expect(board.status == (staff ? .ok : .forbidden), "\(role)")
            if staff { #expect(board.contains("<h1 class=\"page-title\">План</h1>")) }
            #expect(try await web.get("/planning/details").status == (staff ? .ok : .forbidden), "\(role)")
            let shifts = try await web.get("/shifts")
            #expect(shifts.status == (role == .operator ? .ok : .forbidden), "\(role)")
            // The calendar feed is the operators' own, as «Мои смены».
            let feed = try await web.get("/profile/calendar")
            #expect(feed.status == (role == .operator ? .ok : .forbidden), "\(role)")
            let renew = try await web.post("/profile/calendar/renew", [])
            #expect(renew.status == (role == .operator ? .seeOther : .forbidden), "\(role)")
            #expect(try await web.get("/profile").contains("Календарь смен") == (role == .operator))
            let home = try await web.get("/")
            #expect(home.contains(">План<") == staff)
            #expect(home.contains(">Мои смены<") == (role == .operator))
        }
    }

    @Test func theBoardDrawsBarsThatLinkToTheEditFormAndShowsUtilisation() async throws {
        try await TestApp.run { t in
            let excavator = try await t.equipment(code: "EXC-1", name: "Экскаватор JCB 3CX")
            let truck = try await t.equipment(code: "DUMP-1", name: "Самосвал Shacman")
            let (_, token) = try await t.user(.manager)
            let order = try await t.plannedOrder(token: token, machine: excavator, start: "2026-12-08T09:00:00+03:00")
            let (web, _, _) = try await WebClient.signedIn(t, .manager)
            let page = try await web.get(Self.week)
            #expect(page.status == .ok)
            #expect(page.contains("href=\"/orders/\(order.id)/edit\""))
            // Tuesday 09:00 for 24 h: day 1, hour 9, length 1 day 0 h.
            #expect(page.contains("class=\"pb sc d1 h9 l1 m0 oe\""))
            // The tooltips come apart from the page, for the board it shows.
            #expect(!page.contains("title=\"ст. Елизаветинская"))
            #expect(page.contains("data-details=\"/planning/details?from=2026-12-07\""))
            let details = try await web.get("/planning/details?from=2026-12-07")
            #expect(details.headers.contentType == .json)
            let tooltips = try JSONSerialization.jsonObject(with: Data(details.body.utf8)) as? [String: String]
            #expect(tooltips == [order.id: "ст. Елизаветинская, ул. Садовая 5"])
            let elsewhere = try await web.get("/planning/details?from=2027-02-01")
            #expect(elsewhere.body == "{}")
            #expect(page.contains("загрузка 14\u{00A0}%"))
            #expect(page.contains("загрузка 0\u{00A0}%"))
            #expect(page.contains("<span class=\"kpi__value\">7\u{00A0}%</span>"))
            #expect(page.contains(">Экскаваторы</h2>") && page.contains(">Самосвалы</h2>"))
            #expect(page.contains("<script src=\"/static/planning.js\" defer></script>"))
            #expect(!page.contains(" style="))  // the CSP allows no inline styles
            #expect(page.body.utf8.count < 60 * 1024)

            let free = try await web.get(Self.week + "&show=free&check_from=2026-12-08T10:00&check_to=2026-12-08T12:00")
            #expect(free.contains("data-id=\"\(truck)\""))
            #expect(!free.contains("data-id=\"\(excavator)\""))
            let busy = try await web.get(Self.week + "&show=busy&check_from=2026-12-08T10:00&check_to=2026-12-08T12:00")
            #expect(busy.contains("data-id=\"\(excavator)\""))
            #expect(!busy.contains("class=\"plan-row\" data-id=\"\(truck)\""))

            // The phone's day list for that Tuesday.
            let day = try await web.get(Self.week + "&day=2026-12-08")
            #expect(day.contains("вт, 08.12.2026"))
            #expect(day.contains("<span class=\"plan-list__time\">09:00–…</span>"))
            #expect(day.contains("<span class=\"plan-list__free\">Свободна</span>"))
            #expect(day.contains("href=\"/planning?day=2026-12-09&amp;from=2026-12-07\""))
        }
    }

    @Test func draggingAnOrderToAFreeMachineMovesItThroughTheOrderService() async throws {
        try await TestApp.run { t in
            let excavator = try await t.equipment(code: "EXC-1", name: "Экскаватор JCB 3CX")
            let truck = try await t.equipment(code: "DUMP-1", name: "Самосвал Shacman", dailyRate: 1_000_000)
            let (_, token) = try await t.user(.manager)
            let order = try await t.plannedOrder(token: token, machine: excavator, start: "2026-12-08T09:00:00+03:00")
            let (web, _, _) = try await WebClient.signedIn(t, .manager)
            try await web.get(Self.week)
            let moved = try await web.postJSON(
                "/planning/move",
                [
                    "order": order.id, "resource": "equipment", "from": excavator, "to": truck,
                    "start": "2026-12-09T07:00:00Z",
                ])
            #expect(moved.status == .ok, "\(moved.body)")
            #expect(try await t.machines(ofOrder: order.id) == [truck])
            #expect(
                try await t.startOfOrder(order.id)
                    == ISOTime.parse("2026-12-09T10:00:00+03:00", defaultTimeZone: BusinessTime.timeZone))
            let bookings = try await t.db.sql().select().column("resource_id").from("bookings")
                .where("order_id", .equal, order.id).where("resource_type", .equal, "equipment").all()
            #expect(try bookings.map { try $0.decode(column: "resource_id", as: Int.self) } == [truck])
            #expect(try await t.count("audit_entries", where: "entity_id", equals: order.id) == 2)  // create, move
            let details = try await web.get("/orders/\(order.id)")
            #expect(details.contains("Самосвал Shacman"))
            // The new machine's catalogue rates apply: a shift of the truck.
            let json = try await t.send(.GET, "/api/v1/orders/\(order.id)/", token: token)
            #expect(json.string("total_amount") == "10000.00")
        }
    }

    @Test func draggingOntoABusyIntervalIsRefusedAndChangesNothing() async throws {
        try await TestApp.run { t in
            let excavator = try await t.equipment(code: "EXC-1", name: "Экскаватор JCB 3CX")
            let truck = try await t.equipment(code: "DUMP-1", name: "Самосвал Shacman")
            let (_, token) = try await t.user(.manager)
            let order = try await t.plannedOrder(token: token, machine: excavator, start: "2026-12-08T09:00:00+03:00")
            let other = try await t.plannedOrder(token: token, machine: truck, start: "2026-12-09T09:00:00+03:00")
            let (web, _, _) = try await WebClient.signedIn(t, .manager)
            try await web.get(Self.week)
            let refused = try await web.postJSON(
                "/planning/move",
                [
                    "order": order.id, "resource": "equipment", "from": excavator, "to": truck,
                    "start": "2026-12-09T12:00:00+03:00",
                ])
            #expect(refused.status == .conflict)
            #expect(refused.json["detail"]?.stringValue?.contains("Ресурс уже занят") == true, "\(refused.body)")
            #expect(refused.json["detail"]?.stringValue?.contains("Самосвал Shacman") == true)
            let conflicts = refused.json["conflicts"]?.arrayValue.compactMap(\.objectValue) ?? []
            #expect(conflicts.first?["number"]?.stringValue == other.number)
            #expect(conflicts.first?["order"]?.stringValue == other.id)
            #expect(conflicts.first?["period"]?.stringValue == "09.12.2026 09:00 – 10.12.2026 09:00")
            #expect(try await t.machines(ofOrder: order.id) == [excavator])
            #expect(
                try await t.startOfOrder(order.id)
                    == ISOTime.parse("2026-12-08T09:00:00+03:00", defaultTimeZone: BusinessTime.timeZone))

            // Dragging in time only onto the order's own interval is fine; a stale row is refused in Russian.
            let stale = try await web.postJSON(
                "/planning/move",
                [
                    "order": order.id, "resource": "equipment", "from": truck, "to": excavator,
                    "start": "2026-12-10T09:00:00+03:00",
                ])
            #expect(stale.status == .conflict)
            #expect(stale.json["detail"]?.stringValue == "Заявка уже не на этой строке плана: обновите страницу.")
            // No CSRF token: refused before anything happens.
            let forged = try await web.postJSON(
                "/planning/move",
                [
                    "order": order.id, "resource": "equipment", "from": excavator, "to": excavator,
                    "start": "2026-12-11T09:00:00+03:00",
                ],
                csrf: "forged")
            #expect(forged.status == .forbidden)
            #expect(
                try await t.startOfOrder(order.id)
                    == ISOTime.parse("2026-12-08T09:00:00+03:00", defaultTimeZone: BusinessTime.timeZone))
            // A malformed body.
            let bad = try await web.postJSON("/planning/move", ["order": order.id])
            #expect(bad.status == .badRequest)
        }
    }

    @Test func operatorsAreMovedBetweenRowsToo() async throws {
        try await TestApp.run { t in
            let (_, token) = try await t.user(.manager)
            let (first, _) = try await t.user(.operator, firstName: "Сергей", lastName: "Осипов")
            let (second, _) = try await t.user(.operator, firstName: "Алексей", lastName: "Минин")
            let order = try await t.plannedOrder(
                token: token, machine: nil, operators: [first.id ?? 0], start: "2026-12-08T09:00:00+03:00")
            let (web, _, _) = try await WebClient.signedIn(t, .admin)
            let board = try await web.get(Self.week + "&resource=operator")
            #expect(board.contains("Сергей Осипов") && board.contains("Алексей Минин"))
            let moved = try await web.postJSON(
                "/planning/move",
                [
                    "order": order.id, "resource": "operator", "from": first.id ?? 0, "to": second.id ?? 0,
                    "start": "2026-12-08T09:00:00+03:00",
                ])
            #expect(moved.status == .ok, "\(moved.body)")
            let json = try await t.send(.GET, "/api/v1/orders/\(order.id)/", token: token)
            let ids = json["operators"]?.arrayValue.compactMap { $0.objectValue?["id"]?.intValue }
            #expect(ids == [second.id ?? 0])
        }
    }

    @Test func theNewOrderFormIsFilledFromTheBoard() async throws {
        try await TestApp.run { t in
            let machine = try await t.equipment(code: "EXC-1", name: "Экскаватор JCB 3CX")
            let (worker, _) = try await t.user(.operator, firstName: "Сергей", lastName: "Осипов")
            let (web, _, _) = try await WebClient.signedIn(t, .manager)
            let form = try await web.get(
                "/orders/new?equipment=\(machine)&operator=\(worker.id ?? 0)"
                    + "&start=2026-12-08T09:00&end=2026-12-08T18:00")
            #expect(form.status == .ok)
            #expect(form.contains("value=\"2026-12-08T09:00\""))
            #expect(form.contains("value=\"2026-12-08T18:00\""))
            #expect(form.contains("value=\"\(machine)\" selected"))
            #expect(
                form.contains("value=\"\(worker.id ?? 0)\" checked")
                    || form.contains("value=\"\(worker.id ?? 0)\" selected"))
            // Junk is left out: no machine, and an end before the start is dropped.
            let junk = try await web.get("/orders/new?equipment=abc&start=2026-12-08T09:00&end=2026-12-08T08:00")
            #expect(junk.status == .ok)
            #expect(junk.contains("value=\"2026-12-08T09:00\""))
            #expect(!junk.contains("value=\"2026-12-08T08:00\""))
            #expect(!junk.contains("\" selected>Экскаватор JCB 3CX"))
        }
    }

    @Test func anOperatorSeesHisShiftsForTheNextFourteenDays() async throws {
        try await TestApp.run { t in
            let machine = try await t.equipment(code: "EXC-1", name: "Экскаватор JCB 3CX")
            let (_, token) = try await t.user(.manager)
            let (web, me, _) = try await WebClient.signedIn(t, .operator, firstName: "Сергей", lastName: "Осипов")
            let (other, _) = try await t.user(.operator)
            let soon = try await t.plannedOrder(
                token: token, machine: machine, operators: [me.id ?? 0],
                start: TestApp.companyStamp(daysFromToday: 2, hour: 9), address: "Краснодар, ул. Красная 1")
            let late = try await t.plannedOrder(
                token: token, machine: nil, operators: [me.id ?? 0],
                start: TestApp.companyStamp(daysFromToday: 20, hour: 9))
            let others = try await t.plannedOrder(
                token: token, machine: nil, operators: [other.id ?? 0],
                start: TestApp.companyStamp(daysFromToday: 3, hour: 9))
            let page = try await web.get("/shifts")
            #expect(page.status == .ok)
            #expect(page.contains("<h1 class=\"page-title\">Мои смены</h1>"))
            #expect(page.contains("Заявка № \(soon.number)"))
            #expect(page.contains("Краснодар, ул. Красная 1"))
            #expect(page.contains("href=\"/orders/\(soon.id)\""))
            #expect(!page.contains("№ \(late.number)<"))
            #expect(!page.contains("№ \(others.number)<"))
            #expect(page.contains("Показывать смены в календаре телефона."))
        }
    }

    @Test func theCalendarFeedListsTheShiftsAndItsSecretCanBeRevoked() async throws {
        try await TestApp.run { t in
            let machine = try await t.equipment(code: "EXC-1", name: "Экскаватор JCB 3CX")
            let (_, token) = try await t.user(.manager)
            let client = try await t.client(name: "ООО \"Ромашка\", филиал; юг")
            let (web, me, _) = try await WebClient.signedIn(t, .operator, firstName: "Сергей", lastName: "Осипов")
            let start = TestApp.companyStamp(daysFromToday: 1, hour: 9)
            var body: [String: Any] = [
                "client_id": client, "start_dt": start, "operator_ids": [me.id ?? 0],
                "address": "ст. Елизаветинская, ул. Садовая 5, участок с длинным описанием подъезда для техники",
            ]
            body["items"] = [["item_type": "equipment", "ref_id": machine, "metadata": ["shifts": 1]]]
            let created = try await t.createOrder(token: token, body)
            let orderID = try #require(created.string("id"))
            let number = try #require(created.string("number"))

            let off = try await web.get("/profile/calendar")
            #expect(off.contains("Включить ленту"))
            #expect(try await web.get("/profile").contains("Календарь смен"))
            let on = try await web.post("/profile/calendar/renew", [])
            #expect(on.status == .seeOther)
            let settings = try await web.get("/profile/calendar")
            let secret = try #require(Self.secret(in: settings.body))
            #expect(settings.contains("Выключить ленту"))

            let feed = try await WebClient(t).get("/calendar/\(secret).ics")
            #expect(feed.status == .ok)
            #expect(feed.headers.first(name: .contentType) == "text/calendar; charset=utf-8")
            let events = try ICSReader.events(feed.body)
            #expect(events.count == 1)
            let event = try #require(events.first)
            #expect(event["UID"] == orderID + "@ringo-uchet")
            let startDate = try #require(ISOTime.parse(start, defaultTimeZone: BusinessTime.timeZone))
            #expect(event["DTSTART"] == ICalendar.utc(startDate))
            #expect(event["DTEND"] == ICalendar.utc(startDate.addingTimeInterval(86_400)))
            #expect(event["SUMMARY"] == "Заявка № \(number) · ООО \"Ромашка\", филиал; юг")
            #expect(
                event["LOCATION"]
                    == "ст. Елизаветинская, ул. Садовая 5, участок с длинным описанием подъезда для техники")
            #expect(event["DESCRIPTION"]?.contains("Техника: Экскаватор JCB 3CX") == true)
            #expect(event["DESCRIPTION"]?.contains("\n") == true)

            // A new address replaces the old one; revoking ends it.
            _ = try await web.post("/profile/calendar/renew", [])
            let renewed = try #require(Self.secret(in: try await web.get("/profile/calendar").body))
            #expect(renewed != secret)
            #expect(try await WebClient(t).get("/calendar/\(secret).ics").status == .notFound)
            #expect(try await WebClient(t).get("/calendar/\(renewed).ics").status == .ok)
            _ = try await web.post("/profile/calendar/revoke", [])
            #expect(try await WebClient(t).get("/calendar/\(renewed).ics").status == .notFound)
            #expect(try await web.get("/profile/calendar").contains("Включить ленту"))
            #expect(try await WebClient(t).get("/calendar/nothing.ics").status == .notFound)

            // An operator made a manager keeps no feed: its address stops working.
            _ = try await web.post("/profile/calendar/renew", [])
            let last = try #require(Self.secret(in: try await web.get("/profile/calendar").body))
            #expect(try await WebClient(t).get("/calendar/\(last).ics").status == .ok)
            try await t.db.sql().update("users").set("role", to: "manager").where("id", .equal, me.id ?? 0).run()
            #expect(try await WebClient(t).get("/calendar/\(last).ics").status == .notFound)
        }
    }

    static func secret(in html: String) -> String? {
        guard let start = html.range(of: "/calendar/") else { return nil }
        let rest = html[start.upperBound...]
        guard let end = rest.range(of: ".ics") else { return nil }
        return String(rest[..<end.lowerBound])
    }
}

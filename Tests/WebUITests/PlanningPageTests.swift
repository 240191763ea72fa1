import Domain
import Foundation
import Testing

@testable import WebUI

@Suite struct PlanningPageTests {
    let zone = BusinessTime.timeZone
    var calendar: Calendar { BusinessTime.calendar(in: zone) }
    /// Monday 7 December 2026 in company time.
    var monday: Date {
        calendar.date(from: DateComponents(year: 2026, month: 12, day: 7)) ?? Date(timeIntervalSince1970: 0)
    }

    func model(span: PlanningSpan = .week, canEdit: Bool = true, role: Role = .manager) -> PlanningBoardModel {
        let period = PlanningPeriod(first: monday, span: span, calendar: calendar)
        let machines = [
            PlanningResourceInfo(id: 1, name: "Экскаватор JCB 3CX", detail: "EXC-1", group: "Экскаваторы"),
            PlanningResourceInfo(id: 2, name: "Самосвал Shacman", detail: "DUMP-1", group: "Самосвалы"),
        ]
        let orders: [Int: [PlanningOrder]] = [
            1: [
                PlanningOrder(
                    id: "a1", number: "12", status: .approved, start: monday.addingTimeInterval(33 * 3600),
                    end: monday.addingTimeInterval(42 * 3600), client: "ООО <Ромашка>", address: "ул. Садовая 5"),
                PlanningOrder(
                    id: "c1", number: "9", status: .completed, start: monday.addingTimeInterval(-3 * 3600),
                    end: monday.addingTimeInterval(5 * 3600)),
            ]
        ]
        let board = PlanningBoard(period: period, resources: machines, orders: orders)
        let day = monday.addingTimeInterval(86_400)
        let dayRange = TimeRange.booking(start: day, end: day.addingTimeInterval(86_400))
        return PlanningBoardModel(
            context: Fixture.context(role), filter: .init(span: span, from: "2026-12-07"), board: board, today: monday,
            day: day, dayRows: board.day(dayRange), canEdit: canEdit)
    }

    @Test func barsSitOnTheHourGridWithoutInlineStyles() {
        let html = PlanningBoardPage(model: model()).render()
        #expect(html.contains("<div class=\"plan plan--d7\" data-resource=\"equipment\""))
        #expect(html.contains("data-new=\"/orders/new\""))
        let start = Int(monday.timeIntervalSince1970) + 33 * 3600
        // 12: Tuesday 09:00–18:00 → day 1, hour 9, 9 hours; editable → the edit form, movable (data-s).
        #expect(
            html.contains(
                "<a class=\"pb sa d1 h9 l0 m9\" href=\"/orders/a1/edit\" data-s=\"\(start)\">12 ООО &lt;Ромашка&gt;</a>"
            ))
        // The tooltips are served apart (`/planning/details` for the same board).
        #expect(html.contains("data-details=\"/planning/details?from=2026-12-07\""))
        #expect(PlanningBoardPage.details(of: model().board.rows[0].bars[1].order) == "ООО <Ромашка> · ул. Садовая 5")
        // 9: completed, started before the week: cut, links to the order page, not movable.
        #expect(
            html.contains(
                "<a class=\"pb sf d0 h0 l0 m5 cs\" href=\"/orders/c1\">9</a>"))
        #expect(!html.contains(" style="))
        #expect(html.contains("загрузка 8\u{00A0}%"))  // 14 of 168 hours
        #expect(html.contains("<a href=\"/planning?from=2026-12-07&amp;span=2weeks\" class=\"plan-tab\">2 недели</a>"))
        #expect(html.contains("aria-label=\"Назад\""))
        #expect(html.contains("href=\"/planning?from=2026-11-30\""))
        #expect(html.contains("<span class=\"plan-day-head__wd\">сб</span>12.12"))
        #expect(HTMLChecks.unlabelledControls(in: html).isEmpty)
        #expect(HTMLChecks.duplicateIDs(in: html).isEmpty)
    }

    @Test func aMonthShowsOnlyNumbersAndReadersWithoutEditRightsGetOrderLinks() {
        let html = PlanningBoardPage(model: model(span: .month, canEdit: false, role: .admin)).render()
        #expect(html.contains("plan plan--d31"))
        #expect(html.contains("href=\"/orders/a1\">12</a>"))
        #expect(html.contains("data-details=\"/planning/details?from=2026-12-07&amp;span=month\""))
        #expect(!html.contains("data-s="))
        #expect(!html.contains("data-new="))
    }

    @Test func thePhoneDayListShowsEachResourceOnItsDay() {
        let html = PlanningBoardPage(model: model()).render()
        #expect(html.contains("<h2 class=\"plan-list__title\">вт, 08.12.2026</h2>"))
        #expect(html.contains("<span class=\"plan-list__time\">09:00–18:00</span>"))
        #expect(html.contains("<span class=\"plan-list__free\">Свободна</span>"))
        #expect(html.contains("data-swipe=\"next\""))
    }

    @Test func navigationHasPlanForStaffAndShiftsForOperators() {
        #expect(Navigation.items(for: .admin).contains { $0.section == .planning && $0.title == "План" })
        #expect(Navigation.items(for: .manager).contains { $0.section == .planning })
        #expect(!Navigation.items(for: .accountant).contains { $0.section == .planning || $0.section == .shifts })
        #expect(Navigation.items(for: .operator).map(\.title).contains("Мои смены"))
        #expect(!Navigation.items(for: .operator).contains { $0.section == .planning })
    }

    @Test func shiftsListTheOperatorsOrdersByDay() throws {
        let period = try #require(
            PlanningPeriod(first: monday, last: monday.addingTimeInterval(13 * 86_400), calendar: calendar))
        let orders = [
            PlanningOrder(
                id: "a1", number: "12", status: .approved, start: monday.addingTimeInterval(33 * 3600), end: nil,
                client: "ООО Ромашка", address: "ул. Садовая 5")
        ]
        let html = ShiftsPage(
            model: ShiftsModel(context: Fixture.context(.operator), period: period, orders: orders, feedIsOn: false)
        ).render()
        #expect(html.contains("вт, 08.12.2026"))
        #expect(html.contains("08.12.2026 09:00 – … (окончание не указано)"))
        #expect(html.contains("href=\"/orders/a1\""))
        let empty = ShiftsPage(
            model: ShiftsModel(context: Fixture.context(.operator), period: period, orders: [], feedIsOn: true)
        ).render()
        #expect(empty.contains("На ближайшие 14 дней смен нет."))
        #expect(empty.contains("Лента смен включена"))
    }

    @Test func calendarSettingsOfferOnOffAndCarryCSRF() {
        let off = CalendarSettingsPage(model: CalendarSettingsModel(context: Fixture.context(.operator), feedURL: nil))
            .render()
        #expect(off.contains("Включить ленту"))
        let on = CalendarSettingsPage(
            model: CalendarSettingsModel(
                context: Fixture.context(.operator), feedURL: "https://ringo.example.ru/calendar/abc.ics")
        ).render()
        #expect(on.contains("value=\"https://ringo.example.ru/calendar/abc.ics\""))
        #expect(HTMLChecks.postFormCount(in: on) == 2)
        #expect(HTMLChecks.postFormsWithoutCSRF(in: on, token: Fixture.csrf).isEmpty)
    }
}

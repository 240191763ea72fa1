import Domain
import Foundation
import SQLKit
import Testing
import Vapor

@testable import App

@Suite("Finance reports: worked examples, date rule, breakdowns, access")
struct ReportTests {
    static let march = "from=2025-03-01&to=2025-03-31"

    @Test func summaryMatchesTheWorkedExample() async throws {
        try await TestApp.run { t in
            let data = try await t.buildWorkedExample()
            let reply = try await t.send(.GET, "/api/v1/reports/summary/?\(Self.march)", token: data.accountant)
            #expect(reply.status == .ok)
            #expect(reply.string("revenue") == "110315.00")
            #expect(reply.string("revenue_from_services") == "31000.00")
            #expect(reply["revenue_from_services_details"]?["total_quantity"]?.stringValue == "13.00")
            #expect(reply["revenue_from_services_details"]?["average_price_per_unit"]?.stringValue == "2384.62")
            #expect(reply.string("revenue_from_equipment") == "75315.00")
            let equipment = reply["revenue_from_equipment_details"]
            #expect(equipment?["total_hours"]?.stringValue == "9.00")
            #expect(equipment?["total_shifts"]?.stringValue == "2.00")
            // 2 shifts × 8 h + 3 h + 6 h; 75 315 / 25
            #expect(equipment?["booked_hours"]?.stringValue == "25.00")
            #expect(equipment?["average_price_per_hour"]?.stringValue == "3012.60")
            #expect(reply.string("revenue_from_attachments") == "4000.00")
            #expect(reply.string("revenue_other") == "0.00")
            #expect(reply.string("expenses") == "15700.00")
            #expect(reply.string("expenses_fuel") == "4200.00")
            #expect(reply.string("expenses_repair") == "1500.00")
            #expect(reply.string("expenses_rent") == "10000.00")
            #expect(reply.string("expenses_other") == "0.00")
            #expect(reply.string("salaries") == "17000.00")
            // 110 315 − 15 700 − 17 000
            #expect(reply.string("margin") == "77615.00")
            #expect(reply["orders_count"]?.intValue == 2)
            #expect(reply["period"]?["from"]?.stringValue == "2025-03-01")
            #expect(reply["period"]?["to"]?.stringValue == "2025-03-31")
            let parts = reply["revenue_breakdown"]?.arrayValue ?? []
            #expect(parts.count == 4)
            let sum = parts.compactMap { $0["amount"]?.stringValue.flatMap { Money(string: $0) } }.sum()
            #expect(sum.plainString == "110315.00")
        }
    }

    /// `ReportPeriod.countedRecords` (a `UNION ALL` an index serves) counts exactly the records of the rule as
    /// first written, an `OR` over a left join: checked on records of every kind of order, in and out of March.
    @Test func theCountedRecordsAreTheRecordsOfTheRule() async throws {
        try await TestApp.run { t in
            let data = try await t.buildWorkedExample()
            let sql = try t.db.sql()
            let now = Date()
            let (sidorov, _) = try await t.user(.operator, firstName: "Сидор", lastName: "Сидоров")
            let sidorovID = try #require(sidorov.id)
            func expense(_ order: String?, _ day: String, _ amount: Int64) async throws {
                try await sql.insert(into: "expenses")
                    .columns(
                        "order_id", "equipment_id", "category", "amount", "date", "comment", "created_at", "updated_at"
                    )
                    .values(
                        SQLBind(order), SQLBind(data.machine1), SQLBind("other"), SQLBind(amount), SQLBind(day),
                        SQLBind(""), SQLBind(now), SQLBind(now)
                    ).run()
            }
            func salary(_ order: String?, _ at: String, _ amount: Int64) async throws {
                let created = try #require(ISOTime.startOfDay(at, in: t.app.config.timeZone))
                try await sql.insert(into: "salary_records")
                    .columns("user_id", "order_id", "amount", "created_at", "updated_at")
                    .values(
                        SQLBind(sidorovID), SQLBind(order), SQLBind(amount), SQLBind(created), SQLBind(created)
                    ).run()
            }
            // The in-progress order's records never count; once it is cancelled they count by their own date.
            try await expense(data.orderC, "2025-03-10", 1_01)
            try await expense(nil, "2025-03-31", 10_01)
            try await expense(nil, "2025-04-01", 100_01)
            try await salary(nil, "2025-03-20", 1_000_01)
            try await salary(nil, "2025-02-28", 10_000_01)
            let march = ReportPeriod(
                start: ISOTime.startOfDay("2025-03-01", in: t.app.config.timeZone),
                end: ISOTime.startOfDay("2025-04-01", in: t.app.config.timeZone), timeZone: t.app.config.timeZone)
            for step in ["in progress", "cancelled"] {
                if step == "cancelled" {
                    try await sql.update("orders").set("status", to: "CANCELLED").where("id", .equal, data.orderC).run()
                    try await salary(data.orderC, "2025-03-05", 100_000_01)
                }
                for period in [march, ReportPeriod(timeZone: t.app.config.timeZone)] {
                    let summary = try await ReportQueries(sql: sql, period: period).summary()
                    var expenses: SQLQueryString =
                        "SELECT CAST(COALESCE(SUM(e.amount), 0) AS BIGINT) AS amount FROM expenses e "
                        + "LEFT JOIN orders o ON o.id = e.order_id WHERE ((o.status = 'COMPLETED'"
                    expenses += period.startBounds("o.start_at")
                    expenses += ") OR ((o.id IS NULL OR o.status = 'CANCELLED')"
                    expenses += period.dayBounds("e.date")
                    expenses += "))"
                    var salaries: SQLQueryString =
                        "SELECT CAST(COALESCE(SUM(s.amount), 0) AS BIGINT) AS amount FROM salary_records s "
                        + "LEFT JOIN orders o ON o.id = s.order_id WHERE ((o.status = 'COMPLETED'"
                    salaries += period.startBounds("o.start_at")
                    salaries += ") OR ((o.id IS NULL OR o.status = 'CANCELLED')"
                    salaries += period.startBounds("s.created_at")
                    salaries += "))"
                    let expected = try await sql.raw(expenses).first()?.decode(column: "amount", as: Int64.self)
                    let expectedPay = try await sql.raw(salaries).first()?.decode(column: "amount", as: Int64.self)
                    #expect(summary.expensesTotal == expected, "\(step), \(period.isBounded)")
                    #expect(summary.salaries == expectedPay, "\(step), \(period.isBounded)")
                    let employees = try await ReportQueries(sql: sql, period: period).employees()
                    #expect(employees.reduce(0) { $0 + $1.total } == expectedPay)
                }
            }
            // In March, after the cancellation: the worked example's 10 000 rent, 10,01 + 1,01 of the new expenses
            // (the cancelled order's by its date), and 1 000,01 + 100 000,01 of the new pay beside the example's.
            let summary = try await ReportQueries(sql: sql, period: march).summary()
            #expect(summary.expenses(.other) == 10_01 + 1_01)
        }
    }

    @Test func withoutAPeriodUnlinkedExpensesStillCount() async throws {
        try await TestApp.run { t in
            let data = try await t.buildWorkedExample()
            let reply = try await t.send(.GET, "/api/v1/reports/summary/", token: data.admin)
            #expect(reply.status == .ok)
            #expect(reply.string("revenue") == "110315.00")
            // The February "other" expense is in; the in-progress order's pay is not.
            #expect(reply.string("expenses") == "16200.00")
            #expect(reply.string("salaries") == "17000.00")
            #expect(reply.string("margin") == "77115.00")
            #expect(reply["period"]?["from"]?.isNull == true)
        }
    }

    @Test func equipmentReportNetsFuelAndRepairAndAddsUtilisationAndMargin() async throws {
        try await TestApp.run { t in
            let data = try await t.buildWorkedExample()
            let reply = try await t.send(.GET, "/api/v1/reports/equipment/?\(Self.march)", token: data.admin)
            #expect(reply.status == .ok)
            let rows = reply.array
            let first = try #require(rows.first { $0["equipment_id"]?.intValue == data.machine1 })
            #expect(first["gross"]?.stringValue == "60615.00")
            #expect(first["fuel_expenses"]?.stringValue == "3000.00")
            #expect(first["repair_expenses"]?.stringValue == "1500.00")
            // 60 615 − 3 000 − 1 500
            #expect(first["revenue"]?.stringValue == "56115.00")
            #expect(first["expenses"]?.stringValue == "4500.00")
            #expect(first["total_hours"]?.stringValue == "3.00")
            #expect(first["total_shifts"]?.stringValue == "2.00")
            #expect(first["booked_hours"]?.stringValue == "19.00")
            // 31 days × 8 h; 19 / 248
            #expect(first["available_hours"]?.stringValue == "248.00")
            #expect(first["utilisation"]?.stringValue == "7.66")
            #expect(first["operator_pay"]?.stringValue == "14000.00")
            // 60 615 − 3 000 − 1 500 − 14 000
            #expect(first["margin"]?.stringValue == "42115.00")
            #expect(first["orders_count"]?.intValue == 1)
            let second = try #require(rows.first { $0["equipment_id"]?.intValue == data.machine2 })
            #expect(second["gross"]?.stringValue == "14700.00")
            #expect(second["revenue"]?.stringValue == "13500.00")
            #expect(second["booked_hours"]?.stringValue == "6.00")
            #expect(second["utilisation"]?.stringValue == "2.42")
            #expect(second["margin"]?.stringValue == "10500.00")

            let custom = try await t.send(
                .GET, "/api/v1/reports/equipment/?\(Self.march)&hours_per_day=24", token: data.admin)
            #expect(
                custom.array.first { $0["equipment_id"]?.intValue == data.machine1 }?["utilisation"]?.stringValue
                    == "2.55")
            let bad = try await t.send(.GET, "/api/v1/reports/equipment/?hours_per_day=30", token: data.admin)
            #expect(bad.status == .badRequest)
        }
    }

    @Test func operatorPayIsSharedBetweenAnOrdersMachinesByBookedHours() async throws {
        try await TestApp.run { t in
            let (_, admin) = try await t.user(.admin)
            let (_, manager) = try await t.user(.manager)
            let (driver, _) = try await t.user(.operator)
            let driverID = try #require(driver.id)
            let big = try await t.equipment(name: "Большой", hourlyRate: 100_000, dailyRate: nil)
            let small = try await t.equipment(name: "Малый", hourlyRate: 100_000, dailyRate: nil)
            let items: [[String: Any]] = [
                ["item_type": "equipment", "ref_id": big, "metadata": ["hours": 6]],
                ["item_type": "equipment", "ref_id": small, "metadata": ["hours": 2]],
            ]
            let id = try await t.completedOrder(
                manager: manager, clientID: nil, operators: [driverID], start: "2025-05-05T08:00:00+03:00",
                end: "2025-05-05T16:00:00+03:00", items: items)
            try await t.pay(id, manager: manager, [(driverID, 4000)])
            let rows = try await t.send(.GET, "/api/v1/reports/equipment/?from=2025-05-01&to=2025-05-31", token: admin)
                .array
            #expect(rows.first { $0["equipment_id"]?.intValue == big }?["operator_pay"]?.stringValue == "3000.00")
            #expect(rows.first { $0["equipment_id"]?.intValue == small }?["operator_pay"]?.stringValue == "1000.00")
        }
    }

    /// A machine on two lines of one order counts one order; the pay is shared per line and each share is cut to
    /// whole kopecks (1 000.00 over three lines of 1 h → 333.33 each).
    @Test func machineOnTwoLinesOfOneOrderCountsOnceAndSharesArePerLine() async throws {
        try await TestApp.run { t in
            let (_, admin) = try await t.user(.admin)
            let (_, manager) = try await t.user(.manager)
            let (driver, _) = try await t.user(.operator)
            let driverID = try #require(driver.id)
            let twice = try await t.equipment(name: "Дважды", hourlyRate: 100_000, dailyRate: nil)
            let once = try await t.equipment(name: "Однажды", hourlyRate: 100_000, dailyRate: nil)
            let items: [[String: Any]] = [
                ["item_type": "equipment", "ref_id": twice, "metadata": ["hours": 1]],
                ["item_type": "equipment", "ref_id": once, "metadata": ["hours": 1]],
                ["item_type": "equipment", "ref_id": twice, "metadata": ["hours": 1]],
            ]
            let id = try await t.completedOrder(
                manager: manager, clientID: nil, operators: [driverID], start: "2025-06-02T08:00:00+03:00",
                end: "2025-06-02T11:00:00+03:00", items: items)
            try await t.pay(id, manager: manager, [(driverID, 1000)])
            let rows = try await t.send(.GET, "/api/v1/reports/equipment/?from=2025-06-01&to=2025-06-30", token: admin)
                .array
            let first = try #require(rows.first { $0["equipment_id"]?.intValue == twice })
            #expect(first["orders_count"]?.intValue == 1)
            #expect(first["gross"]?.stringValue == "2000.00")
            #expect(first["booked_hours"]?.stringValue == "2.00")
            #expect(first["operator_pay"]?.stringValue == "666.66")
            let second = try #require(rows.first { $0["equipment_id"]?.intValue == once })
            #expect(second["orders_count"]?.intValue == 1)
            #expect(second["operator_pay"]?.stringValue == "333.33")
        }
    }

    @Test func employeesReportSumsPayPerPerson() async throws {
        try await TestApp.run { t in
            let data = try await t.buildWorkedExample()
            let rows = try await t.send(.GET, "/api/v1/reports/employees/?\(Self.march)", token: data.accountant).array
            #expect(rows.count == 2)
            let ivanov = try #require(rows.first { $0["user_id"]?.intValue == data.ivanov.id })
            #expect(ivanov["full_name"]?.stringValue == "Иван Иванов")
            #expect(ivanov["total_amount"]?.stringValue == "11000.00")
            #expect(ivanov["total_hours"]?.stringValue == "41.00")
            #expect(ivanov["assignments"]?.intValue == 2)
            #expect(ivanov["pending_amount"]?.stringValue == "11000.00")
            let petrov = try #require(rows.first { $0["user_id"]?.intValue == data.petrov.id })
            #expect(petrov["total_amount"]?.stringValue == "6000.00")
            #expect(petrov["total_hours"]?.stringValue == "35.00")
            #expect(petrov["assignments"]?.intValue == 1)
        }
    }

    @Test func boundsAreInclusiveDaysInMoscowByTheWorksStart() async throws {
        try await TestApp.run { t in
            let (_, admin) = try await t.user(.admin)
            let (_, manager) = try await t.user(.manager)
            let service = try await t.service(name: "Услуга", price: 100_000)
            let items: [[String: Any]] = [["item_type": "service", "ref_id": service, "quantity": 1]]
            // 23:30 MSK on 31 March is 20:30 UTC: inside `to=2025-03-31`.
            _ = try await t.completedOrder(
                manager: manager, clientID: nil, start: "2025-03-31T23:30:00+03:00", end: "2025-04-01T01:00:00+03:00",
                items: items)
            // Midnight MSK on 1 April is outside; 1 March 00:00 MSK (28 Feb 21:00 UTC) is inside.
            _ = try await t.completedOrder(
                manager: manager, clientID: nil, start: "2025-04-01T00:00:00+03:00", end: "2025-04-01T02:00:00+03:00",
                items: items)
            _ = try await t.completedOrder(
                manager: manager, clientID: nil, start: "2025-03-01T00:00:00+03:00", end: "2025-03-01T02:00:00+03:00",
                items: items)
            let march = try await t.send(.GET, "/api/v1/reports/summary/?\(Self.march)", token: admin)
            #expect(march["orders_count"]?.intValue == 2)
            #expect(march.string("revenue") == "2000.00")
            let april = try await t.send(.GET, "/api/v1/reports/summary/?from=2025-04-01", token: admin)
            #expect(april["orders_count"]?.intValue == 1)
            let bad = try await t.send(.GET, "/api/v1/reports/summary/?from=2025-13-01", token: admin)
            #expect(bad.status == .badRequest)
            #expect(bad["from"] != nil)
            let backwards = try await t.send(
                .GET, "/api/v1/reports/summary/?from=2025-03-10&to=2025-03-01", token: admin)
            #expect(backwards.status == .badRequest)
            let format = try await t.send(.GET, "/api/v1/reports/summary/?export=doc", token: admin)
            #expect(format.status == .badRequest)
            #expect(format["export"] != nil)
        }
    }

    @Test func breakdownAddsUpWhenAnOrderWasLateOrHadNoLines() async throws {
        try await TestApp.run { t in
            let (_, admin) = try await t.user(.admin)
            let (_, manager) = try await t.user(.manager)
            let service = try await t.service(name: "Услуга", price: 1_000_000)
            // Late: 10 % off the order total (10 000 → 9 000); the line itself stays 10 000.
            _ = try await t.completedOrder(
                manager: manager, clientID: nil, start: "2025-06-02T09:00:00+03:00", end: "2025-06-02T12:00:00+03:00",
                items: [["item_type": "service", "ref_id": service, "quantity": 1]], meta: ["is_delayed": true])
            let reply = try await t.send(.GET, "/api/v1/reports/summary/?from=2025-06-01&to=2025-06-30", token: admin)
            #expect(reply.string("revenue") == "9000.00")
            #expect(reply.string("revenue_from_services") == "10000.00")
            #expect(reply.string("revenue_other") == "-1000.00")
            let sum = (reply["revenue_breakdown"]?.arrayValue ?? [])
                .compactMap { $0["amount"]?.stringValue.flatMap { Money(string: $0) } }.sum()
            #expect(sum.plainString == "9000.00")
        }
    }

    @Test func lineFiguresFollowEditsOfTheOrdersTimes() async throws {
        try await TestApp.run { t in
            let (_, manager) = try await t.user(.manager)
            let machine = try await t.equipment(hourlyRate: 100_000, dailyRate: nil)
            let created = try await t.createOrder(
                token: manager,
                [
                    "start_dt": "2025-07-01T09:00:00+03:00", "end_dt": "2025-07-01T12:00:00+03:00",
                    "items": [["item_type": "equipment", "ref_id": machine]],
                ])
            let id = try #require(created.string("id"))
            #expect(created.string("total_amount") == "3000.00")
            let sql = try t.db.sql()
            func stored() async throws -> (Int64, Int64) {
                let row = try #require(
                    try await sql.select().columns("line_total", "booked_hours").from("order_items")
                        .where("order_id", .equal, id).first())
                return (
                    try row.decode(column: "line_total", as: Int64.self),
                    try row.decode(column: "booked_hours", as: Int64.self)
                )
            }
            #expect(try await stored() == (300_000, 300))
            let edited = try await t.send(
                .PATCH, "/api/v1/orders/\(id)/", token: manager, json: ["end_dt": "2025-07-01T14:00:00+03:00"])
            #expect(edited.string("total_amount") == "5000.00")
            #expect(try await stored() == (500_000, 500))
        }
    }

    @Test func onlyAdminsAndAccountantsSeeReports() async throws {
        try await TestApp.run { t in
            let (_, admin) = try await t.user(.admin)
            let (_, accountant) = try await t.user(.accountant)
            let (_, manager) = try await t.user(.manager)
            let (_, driver) = try await t.user(.operator)
            for report in ["summary", "equipment", "employees"] {
                let path = "/api/v1/reports/\(report)/"
                #expect(try await t.send(.GET, path, token: admin).status == .ok)
                #expect(try await t.send(.GET, path, token: accountant).status == .ok)
                for token in [manager, driver] {
                    let denied = try await t.send(.GET, path, token: token)
                    #expect(denied.status == .forbidden)
                    #expect(denied.string("detail") == "Доступ к отчетам разрешен только администраторам и бухгалтерам")
                    #expect(try await t.send(.GET, path + "?export=csv", token: token).status == .forbidden)
                }
                #expect(try await t.send(.GET, path).status == .unauthorized)
                #expect(try await t.send(.GET, path, token: "garbage").status == .unauthorized)
            }
        }
    }
}

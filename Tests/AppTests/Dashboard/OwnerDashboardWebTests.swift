import Domain
import Fluent
import Foundation
import SQLKit
import Testing
import Vapor

@testable import App
@testable import WebUI

@Suite("Web: the owner's dashboard — the reports' figures for a period against the one before")
struct OwnerDashboardWebTests {
    static let march = "/?period=custom&from=2025-03-01&to=2025-03-31"

    static func money(_ text: String?) -> String {
        RussianFormat.money(text.flatMap { Money(string: $0)?.kopecks } ?? -1)
    }

    @Test func theFiguresEqualTheReportsForASeededPeriod() async throws {
        try await TestApp.run { t in
            let data = try await t.buildWorkedExample()
            let admin = WebClient(t)
            let adminUser = try #require(
                try await User.query(on: t.db).filter(\.$roleValue == Role.admin.rawValue).first())
            try await admin.login(adminUser.phone)
            let page = try await admin.get(Self.march)
            #expect(page.status == .ok)
            #expect(page.contains("Показатели за период"))
            #expect(page.contains("01.03.2025 – 31.03.2025 в сравнении с 01.02.2025 – 28.02.2025"))

            let summary = try await t.send(.GET, "/api/v1/reports/summary/?\(ReportTests.march)", token: data.admin)
            let february = try await t.send(
                .GET, "/api/v1/reports/summary/?from=2025-02-01&to=2025-02-28", token: data.admin)
            #expect(summary.string("revenue") == "110315.00")
            for (title, value) in [
                ("Выручка", summary.string("revenue")), ("Маржа", summary.string("margin")),
            ] {
                #expect(page.contains(title + "</span><span class=\"kpi__value\">" + Self.money(value) + "</span>"))
            }
            #expect(page.contains("Было: " + Self.money(february.string("revenue"))))
            #expect(page.contains("Было: " + Self.money(february.string("margin"))))

            // The debt: what the client owes today (March is over), as his statement says.
            let balance = try await t.send(.GET, "/api/v1/clients/\(data.clientID)/balance/", token: data.admin)
            #expect(
                page.contains(
                    "Долг клиентов</span><span class=\"kpi__value\">" + Self.money(balance.string("debt")) + "</span>"))

            // Utilisation: Σ booked ÷ Σ available of the equipment report's machines.
            let machines = try await t.send(
                .GET, "/api/v1/reports/equipment/?\(ReportTests.march)", token: data.admin
            ).array
            let booked = machines.compactMap { $0["booked_hours"]?.stringValue.flatMap { Decimal(string: $0) } }
                .reduce(0, +)
            let available = machines.compactMap {
                $0["available_hours"]?.stringValue.flatMap { Decimal(string: $0) }
            }.reduce(0, +)
            let percent = NSDecimalNumber(decimal: booked * 100 / available).doubleValue
            #expect(
                page.contains(
                    "Загрузка парка</span><span class=\"kpi__value\">"
                        + RussianFormat.decimal(percent, maxFractionDigits: 1) + " %</span>"))

            // Top machines by the equipment report's margin: MST 644 S 42 115, SY35U 10 500.
            let top = try #require(page.body.components(separatedBy: "owner-top\">").last)
            let first = try #require(top.range(of: "MST 644 S"))
            let second = try #require(top.range(of: "SY35U"))
            #expect(first.lowerBound < second.lowerBound)
            #expect(top.contains(RussianFormat.money(4_211_500)))
            #expect(top.contains(RussianFormat.money(1_050_000)))

            // Revenue by week: order A (10 March) and order B (20 March); the weeks add up to the revenue.
            #expect(page.contains("<svg"))
            #expect(page.contains("10.03–16.03"))
            #expect(page.contains(RussianFormat.money(8_861_500)))
            #expect(page.contains("17.03–23.03"))
            #expect(page.contains(RussianFormat.money(2_170_000)))
            #expect(page.contains("31.03–31.03"))

            // Every figure links to its report.
            #expect(page.contains("href=\"/reports/summary?from=2025-03-01&amp;to=2025-03-31\""))
            #expect(page.contains("href=\"/reports/equipment?from=2025-03-01&amp;to=2025-03-31\""))
            #expect(page.contains("href=\"/debts\""))
        }
    }

    @Test func theServiceWeeksAddUpToTheSummaryRevenue() async throws {
        try await TestApp.run { t in
            _ = try await t.buildWorkedExample()
            let admin = try #require(
                try await User.query(on: t.db).filter(\.$roleValue == Role.admin.rawValue).first())
            let context = ServiceContext(
                app: t.app, caller: Caller(id: admin.id ?? 0, role: .admin, fullName: admin.fullName))
            var errors: [String: String] = [:]
            let period = DashboardPeriod.make(
                period: "quarter", from: nil, to: nil, today: "2025-03-15", errors: &errors)
            #expect(period.from == "2025-01-01" && period.to == "2025-03-31")
            #expect(period.previousFrom == "2024-10-01" && period.previousTo == "2024-12-31")
            let figures = try await DashboardService(context: context).owner(period)
            #expect(figures.current.revenue == 11_031_500)
            #expect(figures.weeks.reduce(0) { $0 + $1.revenue } == figures.current.revenue)
            #expect(figures.weeks.first?.first == "2025-01-01" && figures.weeks.first?.last == "2025-01-05")
            #expect(figures.previous.revenue == 0)
        }
    }

    @Test func accountantsSeeTheFiguresManagersAndOperatorsKeepTheirDashboards() async throws {
        try await TestApp.run { t in
            let (admin, _, _) = try await WebClient.signedIn(t, .admin)
            let home = try await admin.get("/")
            #expect(home.status == .ok)
            #expect(home.contains("Показатели за период"))
            #expect(home.contains("<option value=\"month\" selected>Этот месяц</option>"))
            #expect(home.contains("За период выручки нет."))
            let (accountant, _, _) = try await WebClient.signedIn(t, .accountant)
            let year = try await accountant.get("/?period=year")
            #expect(year.status == .ok)
            #expect(year.contains("<option value=\"year\" selected>Этот год</option>"))
            let bad = try await accountant.get("/?period=custom&from=2025-03-31&to=2025-03-01")
            #expect(bad.status == .ok)
            #expect(bad.contains("Конец периода должен быть не раньше его начала."))
            for role in [Role.manager, .operator] {
                let (web, _, _) = try await WebClient.signedIn(t, role)
                let page = try await web.get("/?period=year")
                #expect(page.status == .ok)
                #expect(!page.contains("Показатели за период"), "\(role)")
                #expect(!page.contains("Загрузка парка"), "\(role)")
            }
        }
    }

    @Test func periodsCompareWithTheSpanBefore() {
        var errors: [String: String] = [:]
        let month = DashboardPeriod.make(period: nil, from: nil, to: nil, today: "2026-01-15", errors: &errors)
        #expect(month.kind == .month && month.from == "2026-01-01" && month.to == "2026-01-31")
        #expect(month.previousFrom == "2025-12-01" && month.previousTo == "2025-12-31")
        let year = DashboardPeriod.make(period: "year", from: nil, to: nil, today: "2024-02-29", errors: &errors)
        #expect(year.from == "2024-01-01" && year.to == "2024-12-31" && year.previousFrom == "2023-01-01")
        let months = DashboardPeriod.make(
            period: "custom", from: "2025-02-01", to: "2025-03-31", today: "2026-01-15", errors: &errors)
        #expect(months.previousFrom == "2024-12-01" && months.previousTo == "2025-01-31")
        let days = DashboardPeriod.make(
            period: nil, from: "2025-03-10", to: "2025-03-16", today: "2026-01-15", errors: &errors)
        #expect(days.kind == .custom && days.previousFrom == "2025-03-03" && days.previousTo == "2025-03-09")
        #expect(errors.isEmpty)
        let bad = DashboardPeriod.make(
            period: "custom", from: "2025-03-10", to: "нет", today: "2026-01-15", errors: &errors)
        #expect(bad.kind == .month && errors["to"] != nil)
        let weeks = DashboardService.weeks(from: "2025-03-01", to: "2025-03-31")
        #expect(weeks.first?.first == "2025-03-01" && weeks.first?.last == "2025-03-02")
        #expect(weeks.count == 6 && weeks.last?.first == "2025-03-31")
    }
}

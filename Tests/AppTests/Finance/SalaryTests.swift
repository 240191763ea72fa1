import Domain
import Foundation
import SQLKit
import Testing
import Vapor

@testable import App

@Suite("Salaries: computed pay, payout workflow, the operator's own view")
struct SalaryWorkflowTests {
    @Test func hourlyAndPercentPayAreComputed() async throws {
        try await TestApp.run { t in
            let (_, manager) = try await t.user(.manager)
            let (_, accountant) = try await t.user(.accountant)
            let (first, _) = try await t.user(.operator)
            let (second, _) = try await t.user(.operator)
            let firstID = try #require(first.id)
            let secondID = try #require(second.id)
            let machine = try await t.equipment(hourlyRate: 245_000, dailyRate: 3_000_000)
            let hammer = try await t.material(name: "Гидромолот", price: 400_000, category: "attachment")
            let id = try await t.completedOrder(
                manager: manager, clientID: nil, operators: [firstID, secondID], start: "2025-03-10T09:00:00+03:00",
                end: "2025-03-10T17:20:00+03:00",
                items: [
                    [
                        "item_type": "equipment", "ref_id": machine, "discount": 10,
                        "metadata": ["shifts": 2, "hours": 3],
                    ],
                    ["item_type": "material", "ref_id": hammer, "quantity": 7],
                ])
            // 60 615 + 28 000
            #expect(
                try await t.send(.GET, "/api/v1/orders/\(id)/", token: manager).string("total_amount") == "88615.00")
            let reply = try await t.send(
                .POST, "/api/v1/orders/\(id)/salaries/", token: manager,
                json: [
                    "operator_salaries": [
                        ["operator_id": firstID, "rate_type": "percent", "rate_value": "12.5"],
                        ["operator_id": secondID, "rate_type": "hourly", "rate_value": 450, "hours": "7.5"],
                    ]
                ])
            #expect(reply.status == .ok)
            let list = try await t.send(.GET, "/api/v1/salaries/?order=\(id)", token: accountant)
            #expect(list["count"]?.intValue == 2)
            let percent = try #require(list.results.first { $0["user_id"]?.intValue == firstID })
            // 88 615.00 × 12.5 % = 11 076.875 → 11 076.88
            #expect(percent["amount"]?.stringValue == "11076.88")
            #expect(percent["rate_type"]?.stringValue == "percent")
            // 09:00–17:20 → 8.33 h
            #expect(percent["hours_worked"]?.stringValue == "8.33")
            let hourly = try #require(list.results.first { $0["user_id"]?.intValue == secondID })
            // 450 × 7.5
            #expect(hourly["amount"]?.stringValue == "3375.00")
            #expect(hourly["hours_worked"]?.stringValue == "7.50")
        }
    }

    @Test func payoutWorkflowSetsPaidAtAndNeverResetsAPaidRecord() async throws {
        try await TestApp.run { t in
            let data = try await t.buildWorkedExample()
            let list = try await t.send(
                .GET, "/api/v1/salaries/?user=\(data.petrov.id)&status=pending", token: data.accountant)
            #expect(list["count"]?.intValue == 2)
            let record = try #require(list.results.first { $0["order_id"]?.stringValue == data.orderA })
            let id = try #require(record["id"]?.intValue)
            #expect(record["address"]?.stringValue?.isEmpty == false)
            #expect(record["user"]?["full_name"]?.stringValue == "Пётр Петров")

            let skip = try await t.send(
                .PATCH, "/api/v1/salaries/\(id)/", token: data.accountant, json: ["status": "paid"])
            #expect(skip.status == .badRequest)
            #expect(skip["status"] != nil)
            let approve = try await t.send(
                .PATCH, "/api/v1/salaries/\(id)/", token: data.accountant, json: ["status": "approved"])
            #expect(approve.status == .ok)
            #expect(approve.string("status") == "approved")
            #expect(approve["paid_at"]?.isNull == true)
            let withdraw = try await t.send(
                .PATCH, "/api/v1/salaries/\(id)/", token: data.admin, json: ["status": "pending"])
            #expect(withdraw.string("status") == "pending")
            _ = try await t.send(.PATCH, "/api/v1/salaries/\(id)/", token: data.admin, json: ["status": "approved"])
            let paid = try await t.send(.PATCH, "/api/v1/salaries/\(id)/", token: data.admin, json: ["status": "paid"])
            #expect(paid.status == .ok)
            #expect(paid.string("status") == "paid")
            #expect(paid.string("paid_at") != nil)
            let again = try await t.send(
                .PATCH, "/api/v1/salaries/\(id)/", token: data.admin, json: ["status": "pending"])
            #expect(again.status == .badRequest)
            #expect(again["status"]?.arrayValue.first?.stringValue == "Выплаченную зарплату изменить нельзя")

            // Re-submitting pay for the order leaves the paid record alone.
            try await t.pay(data.orderA, manager: data.manager, [(data.petrov.id, 9999)])
            let after = try await t.send(.GET, "/api/v1/salaries/\(id)/", token: data.accountant)
            #expect(after.string("status") == "paid")
            #expect(after.string("amount") == "6000.00")
            #expect(try await t.count("audit_entries", where: "entity_type", equals: "salary_record") == 4)

            let bad = try await t.send(.PATCH, "/api/v1/salaries/\(id)/", token: data.admin, json: ["status": "lost"])
            #expect(bad.status == .badRequest)
            #expect(
                try await t.send(.PATCH, "/api/v1/salaries/999999/", token: data.admin, json: ["status": "approved"])
                    .status == .notFound)
        }
    }

    @Test func listFiltersByPeriodOfTheWorkAndPaginates() async throws {
        try await TestApp.run { t in
            let data = try await t.buildWorkedExample()
            let march = try await t.send(.GET, "/api/v1/salaries/?from=2025-03-01&to=2025-03-20", token: data.admin)
            // Order A (10 March: two records) and order B (20 March: one); order C starts on the 25th.
            #expect(march["count"]?.intValue == 3)
            let paged = try await t.send(.GET, "/api/v1/salaries/?page_size=2", token: data.admin)
            #expect(paged["count"]?.intValue == 4)
            #expect(paged.results.count == 2)
            #expect(paged.string("next")?.contains("page=2") == true)
            #expect(try await t.send(.GET, "/api/v1/salaries/?page=9", token: data.admin).status == .notFound)
            #expect(try await t.send(.GET, "/api/v1/salaries/?status=nope", token: data.admin).status == .badRequest)
            #expect(try await t.send(.GET, "/api/v1/salaries/?user=abc", token: data.admin).status == .badRequest)
        }
    }

    @Test func operatorSeesOwnPayAndEveryAssignedOrder() async throws {
        try await TestApp.run { t in
            let data = try await t.buildWorkedExample()
            let view = try await t.send(.GET, "/api/v1/users/operator/salary/", token: data.ivanov.token)
            #expect(view.status == .ok)
            #expect(view.string("total_salary") == "11000.00")
            #expect(view["totals"]?["pending"]?.stringValue == "11000.00")
            #expect(view["totals"]?["approved"]?.stringValue == "0.00")
            #expect(view["totals"]?["paid"]?.stringValue == "0.00")
            #expect(view["totals"]?["all"]?.stringValue == "11000.00")
            let records = view["salary_records"]?.arrayValue ?? []
            #expect(records.count == 2)
            #expect(records.allSatisfy { $0["user"] == nil })
            let orders = view["orders"]?.arrayValue ?? []
            #expect(orders.count == 2)
            let first = try #require(orders.first { $0["id"]?.stringValue == data.orderA })
            #expect(first["address"]?.stringValue == "ст. Елизаветинская, ул. Садовая 5")
            #expect(first["client_name"]?.stringValue == "ООО Ромашка")
            #expect(first["salary"]?["amount"]?.stringValue == "8000.00")
            #expect(first["total_amount"]?.stringValue == "88615.00")

            // Petrov is on order C too (in progress, pay booked in advance).
            let petrov = try await t.send(.GET, "/api/v1/users/operator/salary/", token: data.petrov.token)
            #expect(petrov.string("total_salary") == "8500.00")
            #expect(petrov["orders"]?.arrayValue.count == 2)
            let early = try await t.send(
                .GET, "/api/v1/users/operator/salary/?from=2025-03-21&to=2025-03-31", token: data.petrov.token)
            #expect(early.string("total_salary") == "2500.00")
            #expect(early["orders"]?.arrayValue.count == 1)
            #expect(early["orders"]?.arrayValue.first?["id"]?.stringValue == data.orderC)

            for token in [data.admin, data.manager, data.accountant] {
                let denied = try await t.send(.GET, "/api/v1/users/operator/salary/", token: token)
                #expect(denied.status == .forbidden)
                #expect(denied.string("detail") == "Доступно только для операторов")
            }
            #expect(try await t.send(.GET, "/api/v1/users/operator/salary/").status == .unauthorized)
        }
    }

    @Test func onlyAdminsAndAccountantsManagePayouts() async throws {
        try await TestApp.run { t in
            let data = try await t.buildWorkedExample()
            let id = try #require(
                try await t.send(.GET, "/api/v1/salaries/", token: data.admin).results.first?["id"]?.intValue)
            for token in [data.manager, data.ivanov.token] {
                #expect(try await t.send(.GET, "/api/v1/salaries/", token: token).status == .forbidden)
                #expect(try await t.send(.GET, "/api/v1/salaries/\(id)/", token: token).status == .forbidden)
                #expect(
                    try await t.send(.PATCH, "/api/v1/salaries/\(id)/", token: token, json: ["status": "approved"])
                        .status == .forbidden)
            }
            #expect(try await t.send(.GET, "/api/v1/salaries/").status == .unauthorized)
        }
    }
}

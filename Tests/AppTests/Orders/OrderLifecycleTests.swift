import Domain
import Foundation
import Testing
import Vapor

@testable import App

@Suite("Orders: create, pricing snapshot, transitions, completion, deletion")
struct OrderLifecycleTests {
    @Test func createPricesFromTheCatalogAndIgnoresClientPrices() async throws {
        try await TestApp.run { t in
            let (_, manager) = try await t.user(.manager)
            let machine = try await t.equipment()
            let clientID = try await t.client()
            let reply = try await t.createOrder(
                token: manager,
                [
                    "client_id": clientID, "prepayment_amount": 5000,
                    "items": [
                        [
                            "item_type": "equipment", "ref_id": machine, "unit_price": 1,
                            "metadata": ["shifts": 2, "hours": 3, "daily_rate": 5],
                        ]
                    ],
                ])
            #expect(reply.status == .created)
            #expect(reply.string("number") == "000001")
            #expect(reply.string("status") == "CREATED")
            #expect(reply.string("total_amount") == "67350.00")
            #expect(reply.string("balance") == "62350.00")
            #expect(reply["client"]?["name"]?.stringValue == "ООО Ромашка")
            let item = try #require(reply["items"]?.arrayValue.first)
            #expect(item["unit_price"]?.stringValue == "2450.00")
            #expect(item["quantity"]?.stringValue == "5.00")
            #expect(item["line_total"]?.stringValue == "67350.00")
            #expect(item["display_quantity"]?.stringValue?.contains("2 смены") == true)
            #expect(reply["price_snapshot"]?["summary"]?["total"]?.stringValue == "67350.00")
            let logs = reply["status_logs"]?.arrayValue ?? []
            #expect(logs.count == 1)
            #expect(logs.first?["to_status"]?.stringValue == "CREATED")
            let second = try await t.createOrder(token: manager, ["start_dt": "2025-12-05T09:00:00+03:00"])
            #expect(second.string("number") == "000002")
        }
    }

    @Test func discountAndTaxAreCountedOnce() async throws {
        try await TestApp.run { t in
            let (_, manager) = try await t.user(.manager)
            let service = try await t.service(price: 100_000)
            let reply = try await t.createOrder(
                token: manager,
                [
                    "items": [
                        ["item_type": "service", "ref_id": service, "quantity": 2, "discount": 10, "tax_rate": 20]
                    ]
                ])
            #expect(reply.status == .created)
            #expect(reply.string("total_amount") == "2160.00")
        }
    }

    @Test func statusIsNotWritableByCreateOrPatch() async throws {
        try await TestApp.run { t in
            let (_, manager) = try await t.user(.manager)
            let bypass = try await t.createOrder(token: manager, ["status": "COMPLETED"])
            #expect(bypass.status == .badRequest)
            #expect(bypass["status"] != nil)
            let created = try await t.createOrder(token: manager, ["status": "CREATED"])
            #expect(created.status == .created)
            let id = try #require(created.string("id"))
            let patch = try await t.send(.PATCH, "/api/v1/orders/\(id)/", token: manager, json: ["status": "COMPLETED"])
            #expect(patch.status == .badRequest)
            let after = try await t.send(.GET, "/api/v1/orders/\(id)/", token: manager)
            #expect(after.string("status") == "CREATED")
        }
    }

    @Test func badInputIsA400WithFieldNames() async throws {
        try await TestApp.run { t in
            let (_, manager) = try await t.user(.manager)
            let missing = try await t.send(.POST, "/api/v1/orders/", token: manager, json: ["description": "x"])
            #expect(missing.status == .badRequest)
            #expect(missing["address"] != nil && missing["start_dt"] != nil && missing["client_id"] != nil)
            let backwards = try await t.createOrder(token: manager, ["end_dt": "2025-11-30T09:00:00+03:00"])
            #expect(backwards.status == .badRequest)
            #expect(backwards["end_dt"] != nil)
            let unknown = try await t.createOrder(
                token: manager, ["client_id": 999, "manager_id": 999, "operator_ids": [999]])
            #expect(unknown.status == .badRequest)
            #expect(unknown["client_id"] != nil && unknown["manager_id"] != nil && unknown["operator_ids"] != nil)
            let badItem = try await t.createOrder(
                token: manager, ["items": [["item_type": "equipment", "ref_id": 12345], ["item_type": "rocket"]]])
            #expect(badItem.status == .badRequest)
            #expect(badItem["items"]?.arrayValue.count == 2)
            #expect(badItem["items"]?.arrayValue.first?["ref_id"] != nil)
            let badNumbers = try await t.createOrder(
                token: manager, ["prepayment_amount": "-5", "geo_lat": "abc", "start_dt": "yesterday"])
            #expect(badNumbers.status == .badRequest)
            #expect(
                badNumbers["prepayment_amount"] != nil && badNumbers["geo_lat"] != nil && badNumbers["start_dt"] != nil)
            let garbage = try await t.send(.POST, "/api/v1/orders/", token: manager, json: "{nope")
            #expect(garbage.status == .badRequest)
            #expect(try await t.send(.GET, "/api/v1/orders/not-a-uuid/", token: manager).status == .notFound)
            #expect(try await t.send(.GET, "/api/v1/orders/\(UUID().uuidString)/", token: manager).status == .notFound)
            let duplicateNumber = try await t.createOrder(token: manager, ["number": "777"])
            #expect(duplicateNumber.status == .created)
            let again = try await t.createOrder(token: manager, ["number": "777"])
            #expect(again.status == .badRequest)
            #expect(again["number"] != nil)
        }
    }

    @Test func operatorAcceptsStartsAndCompletesBookingMoneyOnce() async throws {
        try await TestApp.run { t in
            let (_, manager) = try await t.user(.manager)
            let (driver, driverToken) = try await t.user(.operator, firstName: "Сергей", lastName: "Осипов")
            let (other, otherToken) = try await t.user(.operator)
            let driverID = try #require(driver.id)
            let otherID = try #require(other.id)
            let machine = try await t.equipment()
            let sand = try await t.material(price: 80_000)
            let created = try await t.createOrder(
                token: manager,
                [
                    "operator_ids": [driverID, otherID],
                    "items": [["item_type": "equipment", "ref_id": machine, "metadata": ["shifts": 1]]],
                ])
            let id = try #require(created.string("id"))

            let cancelByOperator = try await t.send(
                .PATCH, "/api/v1/orders/\(id)/status/", token: driverToken, json: ["status": "CANCELLED"])
            #expect(cancelByOperator.status == .forbidden)
            let skip = try await t.send(
                .PATCH, "/api/v1/orders/\(id)/status/", token: driverToken, json: ["status": "IN_PROGRESS"])
            #expect(skip.status == .badRequest)
            let accept = try await t.send(
                .PATCH, "/api/v1/orders/\(id)/status/", token: driverToken,
                json: ["status": "APPROVED", "comment": "Одобрено оператором"])
            #expect(accept.status == .ok)
            #expect(accept.string("status") == "APPROVED")
            #expect(accept["logs"]?.arrayValue.first?["actor_name"]?.stringValue == "Сергей Осипов")
            let start = try await t.send(
                .PATCH, "/api/v1/orders/\(id)/status/", token: driverToken, json: ["status": "IN_PROGRESS"])
            #expect(start.status == .ok)
            let viaStatus = try await t.send(
                .PATCH, "/api/v1/orders/\(id)/status/", token: driverToken, json: ["status": "COMPLETED"])
            #expect(viaStatus.status == .badRequest)
            #expect(viaStatus.string("detail")?.contains("/complete/") == true)

            let operatorPay = try await t.send(
                .POST, "/api/v1/orders/\(id)/complete/", token: driverToken,
                json: [
                    "end_dt": "2025-12-01T18:00:00+03:00",
                    "operator_salaries": [["operator_id": driverID, "salary": 99999]],
                ])
            #expect(operatorPay.status == .forbidden)
            let completion: [String: Any] = [
                "end_dt": "2025-12-01T18:00:00+03:00", "comment": "Работы выполнены",
                "items": [
                    [
                        "item_type": "equipment", "ref_id": machine, "metadata": ["shifts": 1, "hours": 2],
                        "fuel_expense": "1500.00", "repair_expense": 700,
                    ],
                    ["item_type": "material", "ref_id": sand, "quantity": "2.5"],
                ],
            ]
            let done = try await t.send(.POST, "/api/v1/orders/\(id)/complete/", token: driverToken, json: completion)
            #expect(done.status == .ok)
            #expect(done.string("status") == "COMPLETED")
            #expect(done.string("end_dt") == "2025-12-01T18:00:00+03:00")
            // 1 × 30000 + 2 × 2450 + 2.5 × 800
            #expect(done.string("total_amount") == "36900.00")
            #expect(done["price_snapshot"]?["summary"]?["total"]?.stringValue == "36900.00")
            let pay = try await t.send(
                .POST, "/api/v1/orders/\(id)/salaries/", token: manager,
                json: [
                    "operator_salaries": [
                        ["operator_id": driverID, "salary": 3500],
                        ["operator_id": otherID, "rate_type": "hourly", "rate_value": 400, "hours": 9],
                    ]
                ])
            #expect(pay.status == .ok)
            let again = try await t.send(.POST, "/api/v1/orders/\(id)/complete/", token: driverToken, json: completion)
            #expect(again.status == .badRequest)
            _ = try await t.send(
                .POST, "/api/v1/orders/\(id)/salaries/", token: manager,
                json: [
                    "operator_salaries": [["operator_id": driverID, "salary": 3500]]
                ])
            #expect(try await t.count("expenses", where: "order_id", equals: id) == 2)
            #expect(try await t.count("salary_records", where: "order_id", equals: id) == 2)
            let stranger = try await t.send(
                .POST, "/api/v1/orders/\(id)/salaries/", token: manager,
                json: [
                    "operator_salaries": [["operator_id": 4242, "salary": 100]]
                ])
            #expect(stranger.status == .badRequest)
            let otherView = try await t.send(.GET, "/api/v1/orders/\(id)/", token: otherToken)
            #expect(otherView.status == .ok)
            #expect(otherView["status_logs"]?.arrayValue.count == 4)
        }
    }

    @Test func deletionRulesAndCascade() async throws {
        try await TestApp.run { t in
            let (_, admin) = try await t.user(.admin)
            let (_, manager) = try await t.user(.manager)
            let (driver, driverToken) = try await t.user(.operator)
            let driverID = try #require(driver.id)
            let first = try #require(try await t.createOrder(token: manager, ["operator_ids": [driverID]]).string("id"))
            #expect(try await t.send(.POST, "/api/v1/orders/\(first)/delete/", token: driverToken).status == .forbidden)
            #expect(try await t.send(.DELETE, "/api/v1/orders/\(first)/", token: driverToken).status == .forbidden)
            #expect(try await t.send(.DELETE, "/api/v1/orders/\(first)/", token: manager).status == .forbidden)
            let removed = try await t.send(.POST, "/api/v1/orders/\(first)/delete/", token: manager)
            #expect(removed.status == .ok)
            #expect(removed.string("detail")?.contains("успешно удалена") == true)
            #expect(try await t.count("order_status_logs", where: "order_id", equals: first) == 0)
            #expect(try await t.count("order_operators", where: "order_id", equals: first) == 0)
            let second = try #require(try await t.createOrder(token: manager, [:]).string("id"))
            #expect(try await t.send(.DELETE, "/api/v1/orders/\(second)/", token: admin).status == .noContent)
            #expect(try await t.send(.GET, "/api/v1/orders/\(second)/", token: admin).status == .notFound)
        }
    }

    @Test func cancelledOrdersReleaseTheirMachines() async throws {
        try await TestApp.run { t in
            let (_, manager) = try await t.user(.manager)
            let machine = try await t.equipment()
            let items: [[String: Any]] = [["item_type": "equipment", "ref_id": machine, "metadata": ["shifts": 1]]]
            let first = try await t.createOrder(
                token: manager, ["items": items, "end_dt": "2025-12-01T18:00:00+03:00"])
            let firstID = try #require(first.string("id"))
            let clash = try await t.createOrder(
                token: manager,
                [
                    "items": items, "start_dt": "2025-12-01T12:00:00+03:00", "end_dt": "2025-12-01T20:00:00+03:00",
                ])
            #expect(clash.status == .conflict)
            let conflict = try #require(clash["conflicts"]?.arrayValue.first)
            #expect(conflict["order"]?.stringValue == firstID)
            #expect(conflict["number"]?.stringValue == first.string("number"))
            #expect(conflict["resource"]?.stringValue == "equipment")
            #expect(conflict["start"]?.stringValue == "2025-12-01T09:00:00+03:00")
            let later = try await t.createOrder(
                token: manager,
                [
                    "items": items, "start_dt": "2025-12-01T18:00:00+03:00", "end_dt": "2025-12-01T22:00:00+03:00",
                ])
            #expect(later.status == .created)
            #expect(
                try await t.send(
                    .PATCH, "/api/v1/orders/\(firstID)/status/", token: manager, json: ["status": "CANCELLED"]
                ).status == .ok)
            let retry = try await t.createOrder(
                token: manager,
                [
                    "items": items, "start_dt": "2025-12-01T12:00:00+03:00", "end_dt": "2025-12-01T17:00:00+03:00",
                ])
            #expect(retry.status == .created)
            let schedule = try await t.send(
                .GET, "/api/v1/equipment/\(machine)/schedule/?from=2025-12-01&to=2025-12-01", token: manager)
            #expect(schedule.status == .ok)
            #expect(schedule.array.count == 2)
        }
    }

    @Test func operatorsCannotBeDoubleBookedEitherAndEditsAreChecked() async throws {
        try await TestApp.run { t in
            let (_, manager) = try await t.user(.manager)
            let (driver, _) = try await t.user(.operator)
            let driverID = try #require(driver.id)
            _ = try await t.createOrder(
                token: manager, ["operator_ids": [driverID], "end_dt": "2025-12-01T18:00:00+03:00"])
            let other = try await t.createOrder(token: manager, ["start_dt": "2025-12-02T09:00:00+03:00"])
            let otherID = try #require(other.string("id"))
            let edit = try await t.send(
                .PATCH, "/api/v1/orders/\(otherID)/", token: manager,
                json: [
                    "operator_ids": [driverID], "start_dt": "2025-12-01T10:00:00+03:00",
                ])
            #expect(edit.status == .conflict)
            #expect(edit["conflicts"]?.arrayValue.first?["resource"]?.stringValue == "operator")
            let unchanged = try await t.send(.GET, "/api/v1/orders/\(otherID)/", token: manager)
            #expect(unchanged.string("start_dt") == "2025-12-02T09:00:00+03:00")
            #expect(unchanged["operators"]?.arrayValue.isEmpty == true)
        }
    }
}

import Domain
import Foundation
import SQLKit
import Testing
import Vapor

@testable import App

@Suite("Expenses, payments, invoices, client balance")
struct MoneyRecordTests {
    @Test func expensesCRUDWithFiltersAndValidation() async throws {
        try await TestApp.run { t in
            let data = try await t.buildWorkedExample()
            let token = data.manager
            let created = try await t.send(
                .POST, "/api/v1/expenses/", token: token,
                json: [
                    "category": "repair", "amount": "2000.50", "date": "2025-03-31", "equipment": data.machine1,
                    "order": data.orderC, "comment": "Замена шланга",
                ])
            #expect(created.status == .created)
            let id = try #require(created["id"]?.intValue)
            #expect(created.string("category_display") == "Ремонт")
            #expect(created.string("amount") == "2000.50")
            #expect(created["equipment"]?.intValue == data.machine1)
            #expect(created.string("equipment_name") == "MST 644 S")
            #expect(created.string("order") == data.orderC)
            #expect(created["reported_by"]?.intValue != nil)
            #expect(created["booked_at_completion"]?.boolValue == false)

            let fuel = try await t.send(.GET, "/api/v1/expenses/?category=fuel", token: token)
            #expect(fuel["count"]?.intValue == 2)
            #expect(fuel.results.allSatisfy { $0["booked_at_completion"]?.boolValue == true })
            let byMachine = try await t.send(.GET, "/api/v1/expenses/?equipment=\(data.machine1)", token: token)
            #expect(byMachine["count"]?.intValue == 3)
            let byOrder = try await t.send(.GET, "/api/v1/expenses/?order=\(data.orderA)", token: token)
            #expect(byOrder["count"]?.intValue == 2)
            let range = try await t.send(
                .GET, "/api/v1/expenses/?date_from=2025-03-15&date_to=2025-03-31", token: token)
            // rent (15th), order B fuel (20th), the new repair (31st)
            #expect(range["count"]?.intValue == 3)
            let newest = try await t.send(.GET, "/api/v1/expenses/", token: token)
            #expect(newest.results.first?["id"]?.intValue == id)
            #expect(newest["count"]?.intValue == 6)

            let patched = try await t.send(
                .PATCH, "/api/v1/expenses/\(id)/", token: data.accountant, json: ["amount": 2100, "order": NSNull()])
            #expect(patched.status == .ok)
            #expect(patched.string("amount") == "2100.00")
            #expect(patched["order"]?.isNull == true)
            #expect(patched["equipment"]?.intValue == data.machine1)
            // Unlinked now, it counts by its date: 31 March is inside the month.
            let summary = try await t.send(.GET, "/api/v1/reports/summary/?\(ReportTests.march)", token: data.admin)
            #expect(summary.string("expenses") == "17800.00")
            #expect(summary.string("expenses_repair") == "3600.00")

            let invalid = try await t.send(
                .POST, "/api/v1/expenses/", token: token,
                json: [
                    "category": "snacks", "amount": 0, "date": "31.03.2025", "order": "nope", "equipment": 99999,
                ])
            #expect(invalid.status == .badRequest)
            for key in ["category", "amount", "date", "order", "equipment"] { #expect(invalid[key] != nil) }
            let missing = try await t.send(.POST, "/api/v1/expenses/", token: token, json: ["category": "fuel"])
            #expect(missing["amount"] != nil)
            let defaults = try await t.send(.POST, "/api/v1/expenses/", token: token, json: ["amount": 10])
            #expect(defaults.status == .created)
            #expect(defaults.string("category") == "other")
            #expect(defaults.string("date")?.count == 10)

            #expect(try await t.send(.DELETE, "/api/v1/expenses/\(id)/", token: token).status == .noContent)
            #expect(try await t.send(.GET, "/api/v1/expenses/\(id)/", token: token).status == .notFound)
            #expect(try await t.count("audit_entries", where: "entity_type", equals: "expense") == 6)
        }
    }

    @Test func paymentsPerOrderAndInvoiceStatus() async throws {
        try await TestApp.run { t in
            let data = try await t.buildWorkedExample()
            let invoice = try await t.send(
                .POST, "/api/v1/orders/\(data.orderA)/generate_invoice/", token: data.manager)
            #expect(invoice.status == .created)
            let invoiceID = try #require(invoice["invoice_id"]?.intValue)
            let prepayment = try await t.send(
                .POST, "/api/v1/payments/", token: data.accountant,
                json: [
                    "order": data.orderA, "amount": "30000", "method": "cash", "status": "success",
                    "is_prepayment": true, "comment": "аванс наличными",
                    "paid_at": "2025-03-09T12:00:00+03:00",
                ])
            #expect(prepayment.status == .created)
            #expect(prepayment.string("method_display") == "Наличные")
            #expect(prepayment["is_prepayment"]?.boolValue == true)
            #expect(prepayment.string("paid_at") == "2025-03-09T12:00:00+03:00")
            // The journal names the order by its number and keeps the comment and the moment (UTC).
            let (_, admin) = try await t.user(.admin)
            let trail = try await t.send(
                .GET, "/api/v1/audit/?entity=payment&entity_id=\(prepayment["id"]?.intValue ?? 0)", token: admin)
            let created = try #require(trail.results.first?["changes"])
            let number = try #require(
                try await t.send(.GET, "/api/v1/orders/\(data.orderA)/", token: admin).string("number"))
            #expect(created["order_number"]?["to"]?.stringValue == number)
            #expect(created["paid_at"]?["to"]?.stringValue == "2025-03-09T09:00:00+00:00")
            #expect(created["comment"]?["to"]?.stringValue == "аванс наличными")
            let partial = try await t.send(
                .POST, "/api/v1/payments/", token: data.manager,
                json: [
                    "order_id": data.orderA, "amount": 50000, "invoice": invoiceID,
                ])
            #expect(partial.status == .created)
            #expect(partial.string("status") == "pending")
            #expect(partial.string("method") == "bank_transfer")
            #expect(partial["paid_at"]?.isNull == true)
            let partialID = try #require(partial["id"]?.intValue)

            let invoices = try await t.send(.GET, "/api/v1/invoices/?order=\(data.orderA)", token: data.accountant)
            #expect(invoices.results.first?["payment_status"]?.stringValue == "pending")
            #expect(invoices.results.first?["paid"]?.stringValue == "30000.00")
            #expect(invoices.results.first?["due"]?.stringValue == "58615.00")

            let settled = try await t.send(
                .PATCH, "/api/v1/payments/\(partialID)/", token: data.accountant,
                json: ["status": "success", "amount": "58615.00"])
            #expect(settled.status == .ok)
            #expect(settled.string("paid_at") != nil)
            let paidInvoice = try await t.send(.GET, "/api/v1/invoices/\(invoiceID)/", token: data.accountant)
            #expect(paidInvoice.string("payment_status") == "success")
            #expect(paidInvoice.string("due") == "0.00")

            let ofOrder = try await t.send(.GET, "/api/v1/orders/\(data.orderA)/payments/", token: data.manager)
            #expect(ofOrder.array.count == 2)
            #expect(ofOrder.array.first?["id"]?.intValue == partialID)
            #expect(
                try await t.send(.GET, "/api/v1/orders/\(UUID().uuidString)/payments/", token: data.manager).status
                    == .notFound)
            #expect(
                try await t.send(.GET, "/api/v1/payments/?status=success", token: data.admin)["count"]?.intValue == 2)
            #expect(
                try await t.send(.GET, "/api/v1/payments/?is_prepayment=true", token: data.admin)["count"]?.intValue
                    == 1)
            #expect(
                try await t.send(.GET, "/api/v1/payments/?client=\(data.clientID)", token: data.admin)["count"]?
                    .intValue == 2)

            let wrongInvoice = try await t.send(
                .POST, "/api/v1/payments/", token: data.manager,
                json: [
                    "order": data.orderB, "amount": 1, "invoice": invoiceID,
                ])
            #expect(wrongInvoice["invoice"] != nil)
            let invalid = try await t.send(
                .POST, "/api/v1/payments/", token: data.manager,
                json: [
                    "amount": -1, "method": "barter", "status": "maybe",
                ])
            #expect(invalid.status == .badRequest)
            for key in ["order_id", "amount", "method", "status"] { #expect(invalid[key] != nil) }

            #expect(
                try await t.send(.DELETE, "/api/v1/payments/\(partialID)/", token: data.manager).status == .noContent)
            let reopened = try await t.send(.GET, "/api/v1/invoices/\(invoiceID)/", token: data.accountant)
            #expect(reopened.string("payment_status") == "pending")
        }
    }

    @Test func invoiceNumbersAreSequentialAndUniqueUnderConcurrency() async throws {
        try await TestApp.run { t in
            let (_, manager) = try await t.user(.manager)
            var orders: [String] = []
            for day in 1...12 {
                let created = try await t.createOrder(
                    token: manager, ["start_dt": String(format: "2025-08-%02dT09:00:00+03:00", day)])
                orders.append(try #require(created.string("id")))
            }
            let replies = try await t.concurrently(
                (orders + orders.prefix(4)).map { (.POST, "/api/v1/orders/\($0)/generate_invoice/", manager) })
            #expect(replies.allSatisfy { $0.status == .created || $0.status == .ok })
            #expect(replies.filter { $0.status == .created }.count == 12)
            let numbers = Set(replies.compactMap { $0.string("number") })
            #expect(numbers.count == 12)
            let timeZone = TimeZone(identifier: "Europe/Moscow") ?? .current
            let parts = try #require(ISOTime.parseDay(ISOTime.day(of: Date(), in: timeZone)))
            #expect(
                numbers == Set((1...12).map { InvoiceNumber.make(year: parts.year, month: parts.month, sequence: $0) }))
            #expect(try await t.count("invoices") == 12)

            // Each invoice is due ten calendar days after its day of issue (docs/domain-rules.md#invoice-numbering).
            let due = ISOTime.day(of: Date().addingTimeInterval(10 * 86_400), in: timeZone)
            let firstID = try #require(replies[0]["invoice_id"]?.intValue)
            let first = try await t.send(.GET, "/api/v1/invoices/\(firstID)/", token: manager)
            #expect(first.string("due_date")?.hasPrefix(due) == true)
            let listed = try await t.send(.GET, "/api/v1/invoices/?page_size=5", token: manager)
            #expect(listed["count"]?.intValue == 12)
            #expect(listed.results.count == 5)

            let cancelled = try #require(
                try await t.createOrder(token: manager, ["start_dt": "2025-09-01T09:00:00+03:00"]).string("id"))
            _ = try await t.send(
                .PATCH, "/api/v1/orders/\(cancelled)/status/", token: manager, json: ["status": "CANCELLED"])
            #expect(
                try await t.send(.POST, "/api/v1/orders/\(cancelled)/generate_invoice/", token: manager).status
                    == .badRequest)
            #expect(
                try await t.send(.POST, "/api/v1/orders/\(UUID().uuidString)/generate_invoice/", token: manager).status
                    == .notFound)
        }
    }

    @Test func ordersWithReceivedMoneyAreKept() async throws {
        try await TestApp.run { t in
            let (_, manager) = try await t.user(.manager)
            let kept = try #require(try await t.createOrder(token: manager, [:]).string("id"))
            let gone = try #require(
                try await t.createOrder(token: manager, ["start_dt": "2025-12-02T09:00:00+03:00"]).string("id"))
            _ = try await t.send(
                .POST, "/api/v1/payments/", token: manager, json: ["order": kept, "amount": 100, "status": "success"])
            _ = try await t.send(.POST, "/api/v1/payments/", token: manager, json: ["order": gone, "amount": 100])
            _ = try await t.send(.POST, "/api/v1/orders/\(gone)/generate_invoice/", token: manager)
            let refused = try await t.send(.POST, "/api/v1/orders/\(kept)/delete/", token: manager)
            #expect(refused.status == .badRequest)
            #expect(refused.string("detail")?.contains("платежами") == true)
            #expect(try await t.send(.POST, "/api/v1/orders/\(gone)/delete/", token: manager).status == .ok)
            #expect(try await t.count("payments", where: "order_id", equals: gone) == 0)
            #expect(try await t.count("invoices", where: "order_id", equals: gone) == 0)
            #expect(try await t.count("payments", where: "order_id", equals: kept) == 1)
        }
    }

    /// The year's sequence continues across months and starts after numbers already stored for the year
    /// (issued before the sequence existed, or imported); another year's numbers do not count.
    @Test func invoiceNumbersContinueTheYearsSequence() async throws {
        try await TestApp.run { t in
            let (_, manager) = try await t.user(.manager)
            let timeZone = t.app.config.timeZone
            let today = try #require(ISOTime.parseDay(ISOTime.day(of: Date(), in: timeZone)))
            let earlierMonth = today.month == 1 ? 12 : today.month - 1
            let earlierYear = today.month == 1 ? today.year - 1 : today.year
            let old = try #require(try await t.createOrder(token: manager, [:]).string("id"))
            let lastYear = try #require(try await t.createOrder(token: manager, [:]).string("id"))
            let sql = try t.db.sql()
            for (order, number) in [
                (old, InvoiceNumber.make(year: earlierYear, month: earlierMonth, sequence: 41)),
                (lastYear, InvoiceNumber.make(year: today.year - 1, month: 12, sequence: 900)),
            ] {
                try await sql.insert(into: "invoices")
                    .columns(
                        "order_id", "number", "payment_status", "amount", "currency", "issued_at", "pdf_url",
                        "metadata", "created_at", "updated_at"
                    )
                    .values(
                        SQLBind(order), SQLBind(number), SQLBind("pending"), SQLBind(0), SQLBind("RUB"),
                        SQLBind(Date()), SQLBind(""), SQLBind("{}"), SQLBind(Date()), SQLBind(Date())
                    )
                    .run()
            }
            var numbers: [String] = []
            for _ in 0..<2 {
                let order = try #require(try await t.createOrder(token: manager, [:]).string("id"))
                let issued = try await t.send(.POST, "/api/v1/orders/\(order)/generate_invoice/", token: manager)
                numbers.append(try #require(issued.string("number")))
            }
            let first = earlierYear == today.year ? 42 : 1
            #expect(
                numbers == [
                    InvoiceNumber.make(year: today.year, month: today.month, sequence: first),
                    InvoiceNumber.make(year: today.year, month: today.month, sequence: first + 1),
                ])
        }
    }

    @Test func clientBalanceAgesDebtAndCreditLimitWarnsOnCreate() async throws {
        try await TestApp.run { t in
            let (_, admin) = try await t.user(.admin)
            let (_, manager) = try await t.user(.manager)
            let (_, accountant) = try await t.user(.accountant)
            let clientID = try await t.client(name: "ООО Должник")
            let service = try await t.service(name: "Услуга", price: 1_000_000)
            let items: [[String: Any]] = [["item_type": "service", "ref_id": service, "quantity": 1]]
            // Completed 100, 45, 10 days before 30 June 2025: 10 000 each.
            var ids: [String] = []
            for (start, end) in [
                ("2025-03-22T09:00:00+03:00", "2025-03-22T18:00:00+03:00"),
                ("2025-05-16T09:00:00+03:00", "2025-05-16T18:00:00+03:00"),
                ("2025-06-20T09:00:00+03:00", "2025-06-20T18:00:00+03:00"),
            ] {
                ids.append(
                    try await t.completedOrder(
                        manager: manager, clientID: clientID, start: start, end: end, items: items))
            }
            // 12 000 paid: settles the oldest order and 2 000 of the next.
            let payment = try await t.send(
                .POST, "/api/v1/payments/", token: accountant,
                json: [
                    "order": ids[2], "amount": 12000, "status": "success",
                ])
            #expect(payment.status == .created)
            let balance = try await t.send(
                .GET, "/api/v1/clients/\(clientID)/balance/?as_of=2025-06-30", token: manager)
            #expect(balance.status == .ok)
            #expect(balance.string("billed") == "30000.00")
            #expect(balance.string("paid") == "12000.00")
            #expect(balance.string("balance") == "18000.00")
            #expect(balance.string("debt") == "18000.00")
            #expect(balance["ageing"]?["0_30"]?.stringValue == "10000.00")
            #expect(balance["ageing"]?["31_60"]?.stringValue == "8000.00")
            #expect(balance["ageing"]?["61_90"]?.stringValue == "0.00")
            #expect(balance["ageing"]?["90_plus"]?.stringValue == "0.00")
            #expect(balance["open_orders"]?.arrayValue.count == 2)
            #expect(balance["open_orders"]?.arrayValue.first?["age_days"]?.intValue == 45)
            #expect(balance["credit_limit"]?.isNull == true)
            #expect(balance["over_limit"]?.boolValue == false)
            let later = try await t.send(.GET, "/api/v1/clients/\(clientID)/balance/?as_of=2025-09-01", token: admin)
            #expect(later["ageing"]?["61_90"]?.stringValue == "10000.00")
            #expect(later["ageing"]?["90_plus"]?.stringValue == "8000.00")

            // Without a limit nothing is said; over the limit the order is still created, with a warning.
            let free = try await t.createOrder(
                token: manager, ["client_id": clientID, "start_dt": "2025-07-01T09:00:00+03:00", "items": items])
            #expect(free.status == .created)
            #expect(free["warnings"]?.arrayValue.isEmpty == true)
            try await (try t.db.sql()).update("clients").set("credit_limit", to: 3_000_000).where(
                "id", .equal, clientID
            ).run()
            let within = try await t.send(.GET, "/api/v1/clients/\(clientID)/balance/", token: accountant)
            #expect(within.string("exposure") == "28000.00")
            #expect(within["over_limit"]?.boolValue == false)
            let over = try await t.createOrder(
                token: manager, ["client_id": clientID, "start_dt": "2025-07-02T09:00:00+03:00", "items": items])
            #expect(over.status == .created)
            let warning = try #require(over["warnings"]?.arrayValue.first?.stringValue)
            #expect(warning.contains("ООО Должник"))
            #expect(warning.contains("30000.00"))
            #expect(warning.contains("38000.00"))
            let shown = try await t.send(.GET, "/api/v1/orders/\(try #require(over.string("id")))/", token: manager)
            #expect(shown["warnings"] == nil)

            let (_, driver) = try await t.user(.operator)
            #expect(try await t.send(.GET, "/api/v1/clients/\(clientID)/balance/", token: driver).status == .forbidden)
            #expect(try await t.send(.GET, "/api/v1/clients/99999/balance/", token: admin).status == .notFound)
            #expect(
                try await t.send(.GET, "/api/v1/clients/\(clientID)/balance/?as_of=June", token: admin).status
                    == .badRequest)
        }
    }

    @Test func moneyEndpointsAreForStaffAndAccountantsOnly() async throws {
        try await TestApp.run { t in
            let data = try await t.buildWorkedExample()
            let invoice = try await t.send(
                .POST, "/api/v1/orders/\(data.orderA)/generate_invoice/", token: data.accountant)
            #expect(invoice.status == .created)
            let payment = try await t.send(
                .POST, "/api/v1/payments/", token: data.admin, json: ["order": data.orderA, "amount": 1])
            let paymentID = try #require(payment["id"]?.intValue)
            let expenseID = try #require(
                try await t.send(.GET, "/api/v1/expenses/", token: data.admin).results.first?["id"]?.intValue)
            let invoiceID = try #require(invoice["invoice_id"]?.intValue)
            let endpoints: [(HTTPMethod, String, [String: Any]?)] = [
                (.GET, "/api/v1/expenses/", nil), (.POST, "/api/v1/expenses/", ["amount": 1]),
                (.GET, "/api/v1/expenses/\(expenseID)/", nil),
                (.PATCH, "/api/v1/expenses/\(expenseID)/", ["comment": "x"]),
                (.PUT, "/api/v1/expenses/\(expenseID)/", ["amount": 1, "date": "2025-03-01"]),
                (.GET, "/api/v1/payments/", nil), (.POST, "/api/v1/payments/", ["order": data.orderA, "amount": 1]),
                (.GET, "/api/v1/payments/\(paymentID)/", nil),
                (.PATCH, "/api/v1/payments/\(paymentID)/", ["comment": "x"]),
                (.PUT, "/api/v1/payments/\(paymentID)/", ["order": data.orderA, "amount": 2]),
                (.GET, "/api/v1/orders/\(data.orderA)/payments/", nil),
                (.POST, "/api/v1/orders/\(data.orderA)/generate_invoice/", nil),
                (.GET, "/api/v1/invoices/", nil), (.GET, "/api/v1/invoices/\(invoiceID)/", nil),
                (.GET, "/api/v1/clients/\(data.clientID)/balance/", nil),
            ]
            for (method, path, body) in endpoints {
                for token in [data.admin, data.manager, data.accountant] {
                    let reply = try await t.send(method, path, token: token, json: body)
                    #expect([.ok, .created].contains(reply.status), "\(method) \(path): \(reply.status) \(reply.body)")
                }
                #expect(
                    try await t.send(method, path, token: data.ivanov.token, json: body).status == .forbidden,
                    "\(method) \(path)")
                #expect(try await t.send(method, path, json: body).status == .unauthorized, "\(method) \(path)")
            }
            #expect(
                try await t.send(.DELETE, "/api/v1/payments/\(paymentID)/", token: data.ivanov.token).status
                    == .forbidden)
            #expect(
                try await t.send(.DELETE, "/api/v1/expenses/\(expenseID)/", token: data.ivanov.token).status
                    == .forbidden)
            #expect(try await t.send(.DELETE, "/api/v1/payments/\(paymentID)/").status == .unauthorized)
            #expect(
                try await t.send(.DELETE, "/api/v1/payments/\(paymentID)/", token: data.accountant).status == .noContent
            )
            #expect(
                try await t.send(.DELETE, "/api/v1/expenses/\(expenseID)/", token: data.manager).status == .noContent)
        }
    }
}

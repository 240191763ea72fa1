import Domain
import Foundation
import SQLKit
import Testing
import Vapor

@testable import App

@Suite("Web: orders through forms, status posts with idempotency keys, completion")
struct WebOrdersTests {
    struct Seed {
        var excavator: Int
        var delivery: Int
        var sand: Int
        var client: Int
        var ivan: User
        var sergey: User
        var ivanToken: String
    }

    static func seed(_ t: TestApp) async throws -> Seed {
        let excavator = try await t.equipment(
            code: "EX-01", name: "Экскаватор JCB 3CX", hourlyRate: 250_000, dailyRate: 1_800_000)
        let delivery = try await t.service(name: "Доставка техники", price: 500_000)
        let sand = try await t.material(name: "Песок", price: 90_000)
        let client = try await t.client(name: "ООО Стройпроект", phone: "+79001112233")
        let (ivan, ivanToken) = try await t.user(
            .operator, phone: "+79990000011", firstName: "Иван", lastName: "Петров")
        let (sergey, _) = try await t.user(.operator, phone: "+79990000012", firstName: "Сергей", lastName: "Смирнов")
        return Seed(
            excavator: excavator, delivery: delivery, sand: sand, client: client, ivan: ivan, sergey: sergey,
            ivanToken: ivanToken)
    }

    static func orderFields(_ s: Seed, start: String = "2030-03-10T08:00", approve: Bool = true) -> [(String, String)] {
        var fields: [(String, String)] = [
            ("client_id", String(s.client)), ("new_client_name", ""), ("new_client_phone", ""),
            ("new_client_email", ""),
            ("address", "ст. Елизаветинская, ул. Садовая 5"), ("start", start), ("end", ""),
            ("description", "Копка котлована"), ("estimated_total", ""), ("prepayment", ""),
            ("operator_ids[]", String(s.ivan.id ?? 0)), ("operator_ids[]", String(s.sergey.id ?? 0)),
            ("items[0][line_id]", ""), ("items[0][type]", "equipment"), ("items[0][ref_id]", String(s.excavator)),
            ("items[0][quantity]", ""), ("items[0][shifts]", ""), ("items[0][hours]", "8"),
            ("items[1][line_id]", ""), ("items[1][type]", "service"), ("items[1][ref_id]", String(s.delivery)),
            ("items[1][quantity]", "1"), ("items[1][shifts]", ""), ("items[1][hours]", ""),
            ("items[2][line_id]", ""), ("items[2][type]", "equipment"), ("items[2][ref_id]", ""),
            ("items[2][quantity]", ""), ("items[2][shifts]", ""), ("items[2][hours]", ""),
        ]
        if approve { fields.append(("approve", "true")) }
        return fields
    }

    static func createdID(_ page: WebClient.Page) throws -> String {
        let location = try #require(page.location, "no redirect: \(page.status) \(page.body.prefix(500))")
        #expect(location.hasPrefix("/orders/"))
        return String(location.dropFirst("/orders/".count))
    }

    @Test func theCreditLimitWarningIsShownOnTheWebAsInTheAPI() async throws {
        try await TestApp.run { t in
            let s = try await Self.seed(t)
            try await t.db.sql().update("clients").set("credit_limit", to: 100_000).where("id", .equal, s.client).run()
            let (web, _, _) = try await WebClient.signedIn(t, .manager)
            try await web.get("/orders/new")
            let created = try await web.post("/orders/new", Self.orderFields(s, approve: false))
            let id = try Self.createdID(created)
            let page = try await web.get("/orders/\(id)")
            #expect(page.contains("превышает кредитный лимит"))
        }
    }

    @Test func managerCreatesAnApprovedOrderInCompanyTime() async throws {
        try await TestApp.run { t in
            let s = try await Self.seed(t)
            let (web, _, token) = try await WebClient.signedIn(t, .manager)
            let form = try await web.get("/orders/new")
            #expect(form.contains("ООО Стройпроект"))
            #expect(form.contains("Экскаватор JCB 3CX"))
            // MUT
            let created = try await web.post("/orders/new", Self.orderFields(s))
            // validate
            #expect(created.status == .seeOther)
            let id = try Self.createdID(created)
            let api = try await t.send(.GET, "/api/v1/orders/\(id)/", token: token)
            #expect(api.string("status") == "APPROVED")
            #expect(api.string("start_dt") == "2030-03-10T08:00:00+03:00")
            #expect(api.string("total_amount") == "25000.00")
            #expect(api["operators"]?.arrayValue.count == 2)
            #expect(api["items"]?.arrayValue.count == 2)
            let page = try await web.get("/orders/\(id)")
            #expect(page.contains("Заявка создана и одобрена"))
            #expect(page.contains("10.03.2030 08:00"))
            #expect(page.contains("25\u{202F}000,00\u{00A0}₽"))
            #expect(page.contains("Иван Петров"))
            #expect(page.contains("Сергей Смирнов"))
            // The edit form shows the same wall-clock time: no shift on save (docs/original-bugs.md, 12.4).
            let edit = try await web.get("/orders/\(id)/edit")
            #expect(edit.contains("value=\"2030-03-10T08:00\""))
            let list = try await web.get("/orders?status=APPROVED")
            #expect(list.contains("ООО Стройпроект"))
            #expect(list.body.utf8.count < 60 * 1024)
        }
    }

    @Test func invalidFormIs422WithMessagesNextToFields() async throws {
        try await TestApp.run { t in
            let s = try await Self.seed(t)
            let (web, _, _) = try await WebClient.signedIn(t, .manager)
            try await web.get("/orders/new")
            let empty = try await web.post("/orders/new", [("client_id", ""), ("address", ""), ("start", "")])
            #expect(empty.status == .unprocessableEntity)
            #expect(empty.contains("Укажите клиента: выберите из списка или создайте нового"))
            #expect(empty.contains("Заполните адрес"))
            #expect(empty.contains("Укажите дату и время начала"))
            var fields = Self.orderFields(s)
            fields.removeAll { $0.0 == "items[0][hours]" }
            fields.append(("items[0][hours]", "-3"))
            let badHours = try await web.post("/orders/new", fields)
            #expect(badHours.status == .unprocessableEntity)
            #expect(badHours.contains("id=\"f-items-0-hours-error\""))
            // The service's own checks come back next to the fields too (an unknown catalogue entry).
            var unknown = Self.orderFields(s)
            unknown.removeAll { $0.0 == "items[1][ref_id]" }
            unknown.append(("items[1][ref_id]", "999"))
            let missing = try await web.post("/orders/new", unknown)
            #expect(missing.status == .unprocessableEntity)
            #expect(missing.contains("позиция каталога 999 не найдена"))
            #expect(missing.contains("id=\"f-items-1-ref-id-error\""))
            let json = try await web.post("/orders/new", [("client_id", "")], json: true)
            #expect(json.status == .unprocessableEntity)
            #expect(json.json["errors"]?["address"]?.stringValue == "Заполните адрес")
            #expect(try await t.count("orders") == 0)
        }
    }

    @Test func doubleBookingShowsTheConflictsBox() async throws {
        try await TestApp.run { t in
            let s = try await Self.seed(t)
            let (web, _, _) = try await WebClient.signedIn(t, .manager)
            try await web.get("/orders/new")
            let first = try await web.post("/orders/new", Self.orderFields(s, approve: false))
            let firstID = try Self.createdID(first)
            let clash = try await web.post(
                "/orders/new", Self.orderFields(s, start: "2030-03-10T10:00", approve: false))
            #expect(clash.status == .conflict)
            #expect(clash.contains("Пересечение по времени"))
            #expect(clash.contains("href=\"/orders/\(firstID)\""))
            #expect(clash.contains("Экскаватор JCB 3CX"))
            #expect(clash.contains("Оператор Иван Петров"))
            // The form keeps what was typed.
            #expect(clash.contains("value=\"2030-03-10T10:00\""))
            #expect(try await t.count("orders") == 1)
            // The preview reports the same conflict in the shape app.js reads.
            let preview = try await web.post(
                "/api/v1/orders/preview/", Self.orderFields(s, start: "2030-03-10T10:00", approve: false), json: true)
            #expect(preview.status == .ok)
            let conflict = preview.json["conflicts"]?.arrayValue.first
            #expect(conflict?["order_id"]?.stringValue == firstID)
            #expect(conflict?["order_number"]?.stringValue == "000001")
            #expect(conflict?["period"]?.stringValue?.hasPrefix("10.03.2030 08:00") == true)
            #expect(preview.json["summary"]?["total"]?.stringValue == "25000.00")
            let positions = preview.json["positions"]?.arrayValue ?? []
            #expect(positions.count == 2)
            #expect(positions.first?["name"]?.stringValue == "Экскаватор JCB 3CX")
            #expect(positions.first?["line_total"]?.stringValue == "20000.00")
            #expect(positions.first?["notes"]?.stringValue == "8\u{00A0}ч")
        }
    }

    @Test func previewAnswersFormErrorsAsFieldMessages() async throws {
        try await TestApp.run { t in
            let s = try await Self.seed(t)
            let (web, _, _) = try await WebClient.signedIn(t, .manager)
            try await web.get("/orders/new")
            var fields = Self.orderFields(s)
            fields.removeAll { $0.0 == "items[0][hours]" }
            fields.append(("items[0][hours]", ""))
            let reply = try await web.post("/api/v1/orders/preview/", fields, json: true)
            #expect(reply.status == .unprocessableEntity)
            #expect(
                reply.json["errors"]?["items[0][hours]"]?.stringValue == "Укажите количество смен или часов для техники"
            )
            // Without the session's CSRF token a cookie caller is refused; a bearer caller needs none.
            let forged = try await web.post("/api/v1/orders/preview/", [("_csrf", "x")] + fields, json: true)
            #expect(forged.status == .forbidden)
        }
    }

    @Test func newClientIsCreatedWithTheOrderExactlyOnce() async throws {
        try await TestApp.run { t in
            _ = try await Self.seed(t)
            let (web, _, _) = try await WebClient.signedIn(t, .manager)
            try await web.get("/orders/new")
            let base: [(String, String)] = [
                ("client_id", ""), ("new_client_name", "Иванов Пётр"), ("new_client_phone", "+7 999 555-44-33"),
                ("new_client_email", ""), ("address", "Ростов, ул. Мира 1"), ("description", ""),
                ("estimated_total", "40 000"), ("prepayment", ""),
            ]
            let noStart = try await web.post("/orders/new", base + [("start", "")])
            #expect(noStart.status == .unprocessableEntity)
            #expect(try await t.count("clients", where: "phone", equals: "+79995554433") == 0)
            let created = try await web.post("/orders/new", base + [("start", "2030-04-01T09:30")])
            let id = try Self.createdID(created)
            let order = try #require(try await OrderStore(sql: t.db.sql()).load(id))
            #expect(order.status == .created)
            #expect(order.totalAmount == 4_000_000)
            // A second order for the same phone reuses the client.
            _ = try await web.post("/orders/new", base + [("start", "2030-04-02T09:30")])
            #expect(try await t.count("clients", where: "phone", equals: "+79995554433") == 1)
            let clients = try await web.get("/clients?q=Иванов")
            #expect(clients.contains("Иванов Пётр"))
        }
    }

    @Test func operatorStartsAndCompletesThroughTheQueueWithoutDuplicates() async throws {
        try await TestApp.run { t in
            let s = try await Self.seed(t)
            let (manager, _, managerToken) = try await WebClient.signedIn(t, .manager)
            try await manager.get("/orders/new")
            let id = try Self.createdID(try await manager.post("/orders/new", Self.orderFields(s, approve: false)))
            let ivan = WebClient(t)
            try await ivan.login(s.ivan.phone)
            // Approve (operators may), as app.js sends it: JSON accept + Idempotency-Key, replayed twice.
            var detail = try await ivan.get("/orders/\(id)")
            #expect(detail.contains("Одобрить"))
            #expect(!detail.contains("Редактировать"))
            #expect(!detail.contains(">Удалить<"))
            let approveKey = UUID().uuidString
            for _ in 0..<3 {
                let reply = try await ivan.post(
                    "/orders/\(id)/status", [("status", "APPROVED"), ("comment", "")], json: true,
                    idempotencyKey: approveKey)
                #expect(reply.status == .ok)
                #expect(reply.json["redirect"]?.stringValue == "/orders/\(id)")
            }
            #expect(try await t.logCount(order: id, to: .approved) == 1)
            detail = try await ivan.get("/orders/\(id)")
            #expect(detail.contains("Начать работу"))
            let startKey = UUID().uuidString
            for _ in 0..<2 {
                let reply = try await ivan.post(
                    "/orders/\(id)/status", [("status", "IN_PROGRESS"), ("comment", "")], json: true,
                    idempotencyKey: startKey)
                #expect(reply.status == .ok)
            }
            #expect(try await t.logCount(order: id, to: .inProgress) == 1)
            // The completion form, prefilled from the order; an operator does not set pay.
            let form = try await ivan.get("/orders/\(id)/complete")
            #expect(form.status == .ok)
            #expect(form.contains("data-offline-queue"))
            #expect(!form.contains("pay[0][amount]"))
            let lineID = try #require(
                try await t.db.sql().select().column("id").from("order_items")
                    .where("order_id", .equal, id).where("item_type", .equal, "equipment").first()?
                    .decode(column: "id", as: Int.self))
            let serviceLine = try #require(
                try await t.db.sql().select().column("id").from("order_items")
                    .where("order_id", .equal, id).where("item_type", .equal, "service").first()?
                    .decode(column: "id", as: Int.self))
            let missingEnd = try await ivan.post(
                "/orders/\(id)/complete", [("end", "")], json: true, idempotencyKey: UUID().uuidString)
            #expect(missingEnd.status == .unprocessableEntity)
            #expect(missingEnd.json["errors"]?["end"]?.stringValue == "Укажите дату и время окончания")
            let fields: [(String, String)] = [
                ("end", "2030-03-10T17:00"), ("comment", "Работы выполнены"),
                ("equipment[0][line_id]", String(lineID)), ("equipment[0][shifts]", ""), ("equipment[0][hours]", "9"),
                ("equipment[0][fuel]", "3 000"), ("equipment[0][repair]", ""),
                ("materials[0][line_id]", String(serviceLine)), ("materials[0][quantity]", "1"),
            ]
            let completeKey = UUID().uuidString
            for _ in 0..<2 {
                let reply = try await ivan.post(
                    "/orders/\(id)/complete", fields, json: true, idempotencyKey: completeKey)
                #expect(reply.status == .ok)
                #expect(reply.json["redirect"]?.stringValue == "/orders/\(id)")
            }
            #expect(try await t.logCount(order: id, to: .completed) == 1)
            let api = try await t.send(.GET, "/api/v1/orders/\(id)/", token: managerToken)
            #expect(api.string("status") == "COMPLETED")
            #expect(api.string("end_dt") == "2030-03-10T17:00:00+03:00")
            #expect(api.string("total_amount") == "27500.00")
            #expect(try await t.count("expenses", where: "category", equals: "fuel") == 1)
            // A late replay of «Начать работу» with a new key is refused, for the queue to show.
            let late = try await ivan.post(
                "/orders/\(id)/status", [("status", "IN_PROGRESS"), ("comment", "")], json: true,
                idempotencyKey: UUID().uuidString)
            #expect(late.status == .conflict)
            #expect(late.json["detail"]?.stringValue?.contains("Нельзя перевести заявку") == true)
            _ = s.ivanToken
        }
    }

    @Test func managerSetsSalariesOfACompletedOrderAndTheOperatorSeesThem() async throws {
        try await TestApp.run { t in
            let s = try await Self.seed(t)
            let (manager, _, _) = try await WebClient.signedIn(t, .manager)
            try await manager.get("/orders/new")
            let id = try Self.createdID(try await manager.post("/orders/new", Self.orderFields(s)))
            try await manager.get("/orders/\(id)")
            #expect(
                try await manager.post("/orders/\(id)/status", [("status", "IN_PROGRESS"), ("comment", "")]).status
                    == .seeOther)
            let form = try await manager.get("/orders/\(id)/complete")
            #expect(form.contains("ЗП для Иван Петров"))
            let complete = try await manager.post(
                "/orders/\(id)/complete", [("end", "2030-03-10T16:00"), ("comment", "")])
            #expect(complete.status == .seeOther)
            let detail = try await manager.get("/orders/\(id)")
            #expect(detail.contains("Заявка успешно завершена"))
            #expect(!detail.contains(">Удалить<"))
            let payPage = try await manager.get("/orders/\(id)/edit")
            #expect(payPage.contains("Зарплата операторам"))
            let ivanID = String(s.ivan.id ?? 0)
            let sergeyID = String(s.sergey.id ?? 0)
            let saved = try await manager.post(
                "/orders/\(id)/edit",
                [
                    ("pay[0][operator_id]", ivanID), ("pay[0][amount]", "4 000"),
                    ("pay[1][operator_id]", sergeyID), ("pay[1][amount]", "3500"),
                ])
            #expect(saved.status == .seeOther)
            // Reports are for admins and accountants (managers get 403); they read the completed order.
            #expect(try await manager.get("/reports/summary").status == .forbidden)
            let (accountant, _, _) = try await WebClient.signedIn(t, .accountant)
            let report = try await accountant.get("/reports/summary")
            #expect(report.status == .ok)
            #expect(report.contains("25\u{202F}000,00\u{00A0}₽"))
            #expect(report.contains("7\u{202F}500,00\u{00A0}₽"))
            #expect(try await accountant.get("/reports/employees").contains("Иван Петров"))
            #expect(try await accountant.get("/reports/equipment").contains("Экскаватор JCB 3CX"))
            let csv = try await accountant.get("/reports/summary?export=csv")
            #expect(csv.status == .ok)
            #expect(try await manager.get("/").status == .ok)
            let ivan = WebClient(t)
            try await ivan.login(s.ivan.phone)
            let salary = try await ivan.get("/salary")
            #expect(salary.contains("4\u{202F}000,00\u{00A0}₽"))
            #expect(salary.contains("Заявка 000001") || salary.contains("000001"))
            let outside = try await ivan.get("/salary?from=2031-01-01&to=2031-01-31")
            #expect(outside.contains("Нет данных за выбранный период."))
            let ivanDetail = try await ivan.get("/orders/\(id)")
            #expect(!ivanDetail.contains(">Удалить<"))
            #expect(!ivanDetail.contains("Редактировать"))
            #expect(try await ivan.get("/orders/\(id)/edit").status == .forbidden)
            #expect(try await ivan.post("/orders/\(id)/delete", []).status == .forbidden)
        }
    }

    @Test func managerCancelsAndDeletesWithConfirmationForms() async throws {
        try await TestApp.run { t in
            let s = try await Self.seed(t)
            let (manager, _, _) = try await WebClient.signedIn(t, .manager)
            try await manager.get("/orders/new")
            let id = try Self.createdID(try await manager.post("/orders/new", Self.orderFields(s, approve: false)))
            let page = try await manager.get("/orders/\(id)")
            #expect(page.contains("Отменить заявку"))
            let cancel = try await manager.post(
                "/orders/\(id)/status", [("status", "CANCELLED"), ("comment", "Клиент отказался")])
            #expect(cancel.status == .seeOther)
            let cancelled = try await manager.get("/orders/\(id)")
            #expect(cancelled.contains("Клиент отказался"))
            #expect(try await manager.get("/orders/\(id)/edit").status == .conflict)
            let other = try Self.createdID(try await manager.post("/orders/new", Self.orderFields(s, approve: false)))
            let deleted = try await manager.post("/orders/\(other)/delete", [])
            #expect(deleted.location == "/orders")
            #expect(try await manager.get("/orders").contains("Заявка 000002 удалена"))
            #expect(try await t.count("orders", where: "id", equals: other) == 0)
        }
    }
}

import Domain
import Foundation
import SQLKit
import Testing
import Vapor

@testable import App

/// `OrderService` called directly, without HTTP: the rules hold whichever channel asks.
@Suite("Orders: the service without HTTP")
struct OrderServiceTests {
    static let start = Date(timeIntervalSince1970: 1_899_442_800)  // 2030-03-10 08:00 +03:00

    /// A service acting as a new user of `role`.
    static func service(_ t: TestApp, _ role: Role) async throws -> (OrderService, Int) {
        let (user, _) = try await t.user(role)
        let id = try #require(user.id)
        let caller = Caller(id: id, role: role, fullName: "Тест")
        return (OrderService(context: ServiceContext(app: t.app, caller: caller)), id)
    }

    static func draft(client: Int?, machine: Int, operators: [Int] = []) -> OrderDraft {
        var draft = OrderDraft()
        draft.clientID = .set(client)
        draft.address = .set("ст. Елизаветинская, ул. Садовая 5")
        draft.startAt = .set(start)
        draft.operatorIDs = .set(operators)
        var line = OrderLineDraft(itemType: .equipment, refID: machine)
        line.shifts = 2
        line.hours = 3
        draft.lines = .set([line])
        return draft
    }

    /// An order taken through approval and work to completion by `manager`.
    static func completedOrder(_ t: TestApp, manager: OrderService) async throws -> String {
        let machine = try await t.equipment()
        let id = try await manager.create(draft(client: nil, machine: machine)).id
        try await manager.changeStatus(id: id, to: .approved, comment: "", attachmentURL: "")
        try await manager.changeStatus(id: id, to: .inProgress, comment: "", attachmentURL: "")
        try await manager.complete(id: id, with: OrderCompletion(endAt: start.addingTimeInterval(9 * 3600)))
        return id
    }

    @Test func createNumbersPricesAndBooksTheOrder() async throws {
        try await TestApp.run { t in
            // setup
            let (manager, managerID) = try await Self.service(t, .manager)
            let (_, operatorID) = try await Self.service(t, .operator)
            let machine = try await t.equipment()
            let client = try await t.client()
            // MUT
            let saved = try await manager.create(Self.draft(client: client, machine: machine, operators: [operatorID]))
            // validate
            let store = OrderStore(sql: try t.db.sql())
            let order = try #require(try await store.load(saved.id))
            #expect(order.number == "000001")
            #expect(order.status == .created)
            #expect(order.managerID == managerID)
            #expect(order.totalAmount == 6_735_000)
            #expect(try await store.lines(of: saved.id).map(\.unitPrice) == [245_000])
            #expect(try await store.operatorIDs(of: saved.id) == [operatorID])
            #expect(try await t.count("bookings", where: "order_id", equals: saved.id) == 2)
            #expect(saved.creditWarning == nil)
        }
    }

    @Test func aPriceTypedByAnOperatorIsIgnoredAndAManagersIsKept() async throws {
        try await TestApp.run { t in
            // setup
            let (operatorService, _) = try await Self.service(t, .operator)
            let (manager, _) = try await Self.service(t, .manager)
            let service = try await t.service(price: 500_000)
            var line = OrderLineDraft(itemType: .service, refID: service)
            line.unitPrice = 100
            var draft = OrderDraft()
            draft.lines = .set([line])
            // MUT
            let asOperator = try await operatorService.checkedLines(draft, current: nil, db: t.db)
            var manual = draft
            line.manualPrice = true
            manual.lines = .set([line])
            let asManager = try await manager.checkedLines(manual, current: nil, db: t.db)
            // validate
            #expect(asOperator?.map(\.unitPrice) == [500_000])
            #expect(asOperator?.first?.manualPrice == false)
            #expect(asManager?.map(\.unitPrice) == [100])
            await #expect {
                _ = try await operatorService.checkedLines(manual, current: nil, db: t.db)
            } throws: { error in
                guard case .invalid(let errors) = error as? OrderError else { return false }
                return errors.lists["items"]?.first?["manual_price"] == [OrderItemsParser.priceRefusal]
            }
        }
    }

    @Test func aCompletedOrderIsNotEdited() async throws {
        try await TestApp.run { t in
            // setup
            let (manager, _) = try await Self.service(t, .manager)
            let id = try await Self.completedOrder(t, manager: manager)
            var draft = OrderDraft()
            draft.address = .set("Краснодар, ул. Северная 310")
            // MUT, validate
            await #expect {
                try await manager.update(id: id, with: draft)
            } throws: { error in
                guard case .notEditable(let status) = error as? OrderError else { return false }
                return status == .completed
            }
            let order = try await OrderStore(sql: try t.db.sql()).load(id)
            #expect(order?.address == "ст. Елизаветинская, ул. Садовая 5")
        }
    }

    @Test func aCompletedOrderIsNotDeletedButAnOpenOneIs() async throws {
        try await TestApp.run { t in
            // setup
            let (manager, _) = try await Self.service(t, .manager)
            let completed = try await Self.completedOrder(t, manager: manager)
            let open = try await manager.create(Self.draft(client: nil, machine: try await t.equipment())).id
            // MUT, validate
            await #expect {
                _ = try await manager.delete(id: completed)
            } throws: { error in
                guard case .notDeletable(let refusal) = error as? OrderError else { return false }
                return refusal == .completed
            }
            #expect(try await t.count("orders", where: "id", equals: completed) == 1)
            #expect(try await manager.delete(id: open) == "000002")
            #expect(try await t.count("orders", where: "id", equals: open) == 0)
        }
    }

    @Test func anOperatorMayApproveButNotCancel() async throws {
        try await TestApp.run { t in
            // setup
            let (manager, _) = try await Self.service(t, .manager)
            let (operatorService, operatorID) = try await Self.service(t, .operator)
            let machine = try await t.equipment()
            let id = try await manager.create(Self.draft(client: nil, machine: machine, operators: [operatorID])).id
            // MUT, validate
            await #expect {
                try await operatorService.changeStatus(id: id, to: .cancelled, comment: "", attachmentURL: "")
            } throws: { error in
                guard case .transitionRejected(_, let isPermission) = error as? OrderError else { return false }
                return isPermission
            }
            #expect(try await OrderStore(sql: try t.db.sql()).load(id)?.status == .created)
            try await operatorService.changeStatus(id: id, to: .approved, comment: "", attachmentURL: "")
            #expect(try await OrderStore(sql: try t.db.sql()).load(id)?.status == .approved)
        }
    }

    @Test func anOperatorDoesNotSeeOthersOrders() async throws {
        try await TestApp.run { t in
            let (manager, _) = try await Self.service(t, .manager)
            let (operatorService, _) = try await Self.service(t, .operator)
            let id = try await manager.create(Self.draft(client: nil, machine: try await t.equipment())).id
            await #expect {
                _ = try await operatorService.visibleOrder(id)
            } throws: { error in
                guard case .notFound = error as? OrderError else { return false }
                return true
            }
        }
    }

    @Test func creatingPastTheClientsCreditLimitReturnsTheWarning() async throws {
        try await TestApp.run { t in
            // setup
            let (manager, _) = try await Self.service(t, .manager)
            let machine = try await t.equipment()
            let client = try await t.client()
            let sql = try t.db.sql()
            try await sql.update("clients").set("credit_limit", to: 100_000_000_000).where("id", .equal, client).run()
            let within = try await manager.create(Self.draft(client: client, machine: machine))
            try await sql.update("clients").set("credit_limit", to: 100_000).where("id", .equal, client).run()
            var later = Self.draft(client: client, machine: machine)
            later.startAt = .set(Self.start.addingTimeInterval(7 * 86_400))
            // MUT
            let over = try await manager.create(later)
            // validate
            #expect(within.creditWarning == nil)
            #expect(over.creditWarning?.contains("превышает кредитный лимит") == true)
        }
    }

    @Test func fieldProblemsAndDatabaseChecksAreReportedTogether() async throws {
        try await TestApp.run { t in
            let (manager, _) = try await Self.service(t, .manager)
            var draft = OrderDraft(
                api: [
                    "client_id": .number(999), "address": .string(""),
                    "start_dt": .string("2030-03-10T08:00:00+03:00"),
                ],
                full: true,
                timeZone: t.app.config.timeZone)
            draft.operatorIDs = .set([12_345])
            await #expect {
                _ = try await manager.create(draft)
            } throws: { error in
                guard case .invalid(let errors) = error as? OrderError else { return false }
                return errors.fields["address"] == [FieldMessage.blank]
                    && errors.fields["client_id"] == [FieldMessage.missingObject("999")]
                    && errors.fields["operator_ids"]?.count == 1
            }
            #expect(try await t.count("orders") == 0)
        }
    }
}

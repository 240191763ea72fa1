import Testing

@testable import Domain

@Suite struct OrderTransitionsTests {
    /// docs/domain-rules.md#transitions, written out independently of the implementation.
    static let listed: [(from: OrderStatus, to: OrderStatus, operatorMay: Bool)] = [
        (.draft, .created, false),
        (.draft, .cancelled, false),
        (.created, .approved, true),
        (.created, .cancelled, false),
        (.approved, .inProgress, true),
        (.approved, .cancelled, false),
        (.inProgress, .cancelled, false),
    ]

    struct Case: CustomTestStringConvertible, Sendable {
        let from: OrderStatus
        let to: OrderStatus
        let actor: Role
        let isAssigned: Bool
        var testDescription: String { "\(from.rawValue)→\(to.rawValue) \(actor.rawValue) assigned=\(isAssigned)" }
    }

    static let allCases: [Case] = OrderStatus.allCases.flatMap { from in
        OrderStatus.allCases.flatMap { to in
            Role.allCases.flatMap { actor in
                [false, true].map { Case(from: from, to: to, actor: actor, isAssigned: $0) }
            }
        }
    }

    @Test(arguments: allCases)
    func statusChange(_ c: Case) {
        let decision = OrderTransitions.checkStatusChange(
            from: c.from, to: c.to, actor: c.actor, isAssigned: c.isAssigned)
        let entry = Self.listed.first { $0.from == c.from && $0.to == c.to }
        let mayAct: Bool
        switch c.actor {
        case .admin, .manager: mayAct = true
        case .operator: mayAct = c.isAssigned && (entry?.operatorMay ?? false)
        case .accountant: mayAct = false
        }
        let expectAllowed = entry != nil && mayAct
        #expect(decision.isAllowed == expectAllowed)
        if !expectAllowed {
            let lacksRight =
                c.actor == .accountant || (c.actor == .operator && !c.isAssigned)
                || (c.actor == .operator && entry != nil)
            #expect(decision.isPermissionDenied == lacksRight)
            let reason = decision.reason ?? ""
            #expect(reason.contains { ("а"..."я").contains($0) }, "the message is Russian: \(reason)")
        } else {
            #expect(decision.reason == nil)
        }
    }

    @Test(
        arguments: OrderStatus.allCases.flatMap { from in
            Role.allCases.flatMap { actor in [false, true].map { (from, actor, $0) } }
        })
    func completion(from: OrderStatus, actor: Role, isAssigned: Bool) {
        let decision = OrderTransitions.checkCompletion(from: from, actor: actor, isAssigned: isAssigned)
        let hasRight = actor == .admin || actor == .manager || (actor == .operator && isAssigned)
        #expect(decision.isAllowed == (hasRight && from == .inProgress))
        #expect(decision.isPermissionDenied == !hasRight)
    }

    @Test func messages() {
        #expect(
            OrderTransitions.checkStatusChange(from: .created, to: .completed, actor: .admin, isAssigned: false)
                == .rejected(reason: "Нельзя перевести заявку из статуса «Создан» в «Завершён»", isPermission: false))
        #expect(
            OrderTransitions.checkStatusChange(from: .inProgress, to: .completed, actor: .manager, isAssigned: false)
                == .rejected(
                    reason: "Для завершения заявки используйте endpoint /complete/ с указанием элементов номенклатуры",
                    isPermission: false))
        #expect(
            OrderTransitions.checkStatusChange(from: .approved, to: .cancelled, actor: .operator, isAssigned: true)
                == .rejected(reason: "Отменить заявку может только администратор или менеджер", isPermission: true))
        #expect(
            OrderTransitions.checkStatusChange(from: .created, to: .created, actor: .admin, isAssigned: false)
                == .rejected(reason: "Заявка уже в статусе «Создан»", isPermission: false))
        #expect(
            OrderTransitions.checkCompletion(from: .approved, actor: .operator, isAssigned: true)
                == .rejected(
                    reason: "Заявка должна быть в статусе «В работе» для завершения. Текущий статус: «Одобрен»",
                    isPermission: false))
    }

    @Test func terminalStatusesGoNowhere() {
        for status in [OrderStatus.completed, .cancelled] {
            #expect(OrderTransitions.allowedStatusChanges(from: status, actor: .admin, isAssigned: true).isEmpty)
        }
    }

    @Test func buttonsPerRole() {
        #expect(
            OrderTransitions.allowedStatusChanges(from: .created, actor: .manager, isAssigned: false)
                == [.approved, .cancelled])
        #expect(
            OrderTransitions.allowedStatusChanges(from: .created, actor: .operator, isAssigned: true) == [.approved])
        #expect(
            OrderTransitions.allowedStatusChanges(from: .approved, actor: .operator, isAssigned: true) == [.inProgress])
        #expect(OrderTransitions.allowedStatusChanges(from: .created, actor: .operator, isAssigned: false).isEmpty)
        #expect(OrderTransitions.allowedStatusChanges(from: .draft, actor: .accountant, isAssigned: true).isEmpty)
    }
}

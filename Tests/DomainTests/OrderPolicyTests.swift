import Foundation
import Testing

@testable import Domain

/// Who may edit, delete, move and see an order, per role and status (docs/domain-rules.md, docs/security.md).
@Suite struct OrderPolicyTests {
    static let open: [OrderStatus] = [.draft, .created, .approved, .inProgress]

    @Test(arguments: Role.allCases)
    func onlyStaffEditOpenOrders(role: Role) {
        let staff = role == .admin || role == .manager
        for status in Self.open { #expect(OrderPolicy.mayEdit(status, actor: role) == staff) }
        #expect(!OrderPolicy.mayEdit(.completed, actor: role))
        #expect(!OrderPolicy.mayEdit(.cancelled, actor: role))
    }

    @Test func completedAndCancelledOrdersSayWhyTheyAreNotEdited() {
        #expect(OrderPolicy.editRefusal(.completed) == "Заявка в статусе «Завершён» не редактируется.")
        #expect(OrderPolicy.editRefusal(.cancelled) == "Заявка в статусе «Отменён» не редактируется.")
        for status in Self.open { #expect(OrderPolicy.editRefusal(status) == nil) }
    }

    @Test(arguments: Role.allCases)
    func theEditorOpensForCompletedOrdersButNotCancelledOnes(role: Role) {
        let staff = role == .admin || role == .manager
        #expect(OrderPolicy.mayOpenEditor(.completed, actor: role) == staff)
        #expect(OrderPolicy.mayOpenEditor(.inProgress, actor: role) == staff)
        #expect(!OrderPolicy.mayOpenEditor(.cancelled, actor: role))
    }

    @Test(arguments: Role.allCases)
    func aCompletedOrderIsNeverDeleted(role: Role) {
        let staff = role == .admin || role == .manager
        #expect(!OrderPolicy.mayDelete(.completed, actor: role))
        #expect(OrderPolicy.mayDelete(.cancelled, actor: role) == staff)
        for status in Self.open { #expect(OrderPolicy.mayDelete(status, actor: role) == staff) }
    }

    @Test func statusChangesFollowTheTransitionTable() {
        func check(_ from: OrderStatus, _ to: OrderStatus, _ actor: Role, assigned: Bool) -> TransitionDecision {
            OrderPolicy.checkStatusChange(from: from, to: to, actor: actor, isAssigned: assigned)
        }
        #expect(check(.created, .approved, .operator, assigned: true).isAllowed)
        #expect(check(.created, .cancelled, .operator, assigned: true).isPermissionDenied)
        #expect(check(.created, .approved, .operator, assigned: false).isPermissionDenied)
        #expect(check(.created, .approved, .accountant, assigned: false).isPermissionDenied)
        let skip = check(.created, .inProgress, .admin, assigned: false)
        #expect(!skip.isAllowed && !skip.isPermissionDenied)
        let fromApproved = OrderPolicy.allowedStatusChanges(from: .approved, actor: .manager, isAssigned: false)
        #expect(fromApproved == [.inProgress, .cancelled])
        #expect(OrderPolicy.allowedStatusChanges(from: .completed, actor: .admin, isAssigned: false).isEmpty)
    }

    @Test func completionNeedsAnOrderInProgressAndTheRightPerson() {
        #expect(OrderPolicy.checkCompletion(from: .inProgress, actor: .operator, isAssigned: true).isAllowed)
        #expect(OrderPolicy.checkCompletion(from: .inProgress, actor: .operator, isAssigned: false).isPermissionDenied)
        let accountant = OrderPolicy.checkCompletion(from: .inProgress, actor: .accountant, isAssigned: false)
        #expect(accountant.isPermissionDenied)
        let early = OrderPolicy.checkCompletion(from: .approved, actor: .admin, isAssigned: false)
        #expect(!early.isAllowed && !early.isPermissionDenied)
    }

    @Test(arguments: [(Role.admin, true), (.manager, true), (.operator, false), (.accountant, false)])
    func pricesAndPayAreSetByStaff(role: Role, may: Bool) {
        #expect(OrderPolicy.maySetPrices(role) == may)
        #expect(OrderPolicy.maySetPay(role) == may)
        #expect(OrderPolicy.mayManage(role) == may)
    }

    @Test(arguments: [(Role.admin, true), (.manager, true), (.operator, false), (.accountant, true)])
    func operatorsSeeNeitherMoneyNorOthersOrders(role: Role, may: Bool) {
        #expect(OrderPolicy.maySeeMoney(role) == may)
        #expect(OrderPolicy.maySeeAllOrders(role) == may)
    }

    @Test func photosComeFromStaffAndTheOrdersOperators() {
        #expect(OrderPolicy.mayUploadPhotos(.admin, isAssigned: false))
        #expect(OrderPolicy.mayUploadPhotos(.manager, isAssigned: false))
        #expect(OrderPolicy.mayUploadPhotos(.operator, isAssigned: true))
        #expect(!OrderPolicy.mayUploadPhotos(.operator, isAssigned: false))
        #expect(!OrderPolicy.mayUploadPhotos(.accountant, isAssigned: true))
    }
}

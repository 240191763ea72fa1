import Foundation
import Testing

@testable import Domain

/// The worked examples of docs/domain-rules.md#salary-worked-examples, plus the hourly and percent rates computed
/// for real.
@Suite struct SalaryTests {
    @Test func fixedAmountsPerOperator() {
        #expect(SalaryCalculator.amount(rateType: .fixed, rateValue: 8000) == money("8000.00"))
        #expect(SalaryCalculator.amount(rateType: .fixed, rateValue: 6000) == money("6000.00"))
    }

    @Test func hoursWorkedIsWallClockIncludingNights() {
        let hours = SalaryCalculator.hoursWorked(
            from: date("2025-03-10T08:00:00+03:00"), to: date("2025-03-11T19:00:00+03:00"))
        #expect(hours == dec("35.00"))
    }

    @Test func hoursWorkedRoundsToTwoPlaces() {
        let hours = SalaryCalculator.hoursWorked(
            from: date("2025-03-10T09:00:00+03:00"), to: date("2025-03-10T17:20:00+03:00"))
        #expect(hours == dec("8.33"))
        #expect(hours.fixedString(scale: 2) == "8.33")
        // 8 h 21 min = 8.35 exactly; 8 h 03 min = 8.05; 10 min = 0.1666… → 0.17
        #expect(
            SalaryCalculator.hoursWorked(from: date("2025-03-10T09:00:00Z"), to: date("2025-03-10T09:10:00Z"))
                == dec("0.17"))
    }

    @Test func hoursWorkedIsZeroWithoutBothTimes() {
        #expect(SalaryCalculator.hoursWorked(from: nil, to: specNow) == 0)
        #expect(SalaryCalculator.hoursWorked(from: specNow, to: nil) == 0)
        #expect(SalaryCalculator.hoursWorked(from: specNow, to: specNow.addingTimeInterval(-3600)) == 0)
    }

    @Test func percentOfOrderTotal() {
        let total = money("88615.00")
        #expect(
            SalaryCalculator.amount(rateType: .percent, rateValue: SalaryCalculator.defaultPercent, orderTotal: total)
                == money("8861.50"))
        #expect(
            SalaryCalculator.amount(rateType: .percent, rateValue: dec("12.5"), orderTotal: total) == money("11076.88"))
    }

    @Test func hourlyUsesTheOperatorsOwnHours() {
        #expect(
            SalaryCalculator.amount(rateType: .hourly, rateValue: 500, operatorHours: dec("7.5")) == money("3750.00"))
        #expect(
            SalaryCalculator.amount(rateType: .hourly, rateValue: dec("333.33"), operatorHours: dec("8.33"))
                == money("2776.64"))  // 2776.6389
    }

    @Test func payIsNeverNegative() {
        #expect(SalaryCalculator.amount(rateType: .fixed, rateValue: -100) == .zero)
        #expect(SalaryCalculator.amount(rateType: .hourly, rateValue: 500, operatorHours: -2) == .zero)
        #expect(SalaryCalculator.amount(rateType: .percent, rateValue: 10, orderTotal: money("-100")) == .zero)
    }

    @Test func noteAndTitles() {
        #expect(SalaryCalculator.note(orderNumber: "000123") == "Зарплата за заказ 000123")
        #expect(SalaryRateType.allCases.map(\.title) == ["Почасовая", "Фиксированная", "Процентная"])
        #expect(SalaryStatus.allCases.map(\.title) == ["Начислена", "Утверждена", "Выплачена"])
        #expect(SalaryStatus.allCases.map(\.apiTitle) == ["Ожидает", "Одобрена", "Выплачена"])
        #expect(ExpenseCategory.allCases.map(\.title) == ["Топливо", "Ремонт", "Аренда техники", "Прочее"])
        #expect(ExpenseCategory(rawValue: "rent") == .rent)
    }

    @Test func expenseCommentsAtCompletion() {
        #expect(
            ExpenseCategory.fuel.completionComment(equipmentName: "MST 644 S", orderNumber: "000123")
                == "Расходы на топливо для техники MST 644 S (заказ 000123)")
        #expect(
            ExpenseCategory.repair.completionComment(equipmentName: "MST 644 S", orderNumber: "000123")
                == "Расходы на ремонт техники MST 644 S (заказ 000123)")
        #expect(ExpenseCategory.other.completionComment(equipmentName: "x", orderNumber: "1") == nil)
    }

    @Test(arguments: SalaryStatus.allCases.flatMap { from in SalaryStatus.allCases.map { (from, $0) } })
    func statusTransitions(from: SalaryStatus, to: SalaryStatus) {
        let allowed: Set<String> = ["pending→approved", "approved→paid", "approved→pending"]
        let decision = from.checkTransition(to: to)
        #expect(decision.isAllowed == allowed.contains("\(from.rawValue)→\(to.rawValue)"))
        #expect(!decision.isPermissionDenied)
        if !decision.isAllowed { #expect(decision.reason?.isEmpty == false) }
    }

    @Test func paidIsFinal() {
        #expect(SalaryStatus.paid.isFinal)
        #expect(!SalaryStatus.approved.isFinal)
        #expect(SalaryStatus.paid.allowedNextStatuses.isEmpty)
        #expect(SalaryStatus.paid.checkTransition(to: .pending).reason == "Выплаченную зарплату изменить нельзя")
    }
}

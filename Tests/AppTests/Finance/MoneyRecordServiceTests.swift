import Domain
import Foundation
import Testing

@testable import App

/// `PaymentService` and `ExpenseService` without HTTP: the amount rules and the stored defaults.
@Suite("Finance: payment and expense rules (service)")
struct MoneyRecordServiceTests {
    @Test func aPaymentAboveTheRecordLimitIsRefused() async throws {
        try await TestApp.run { t in
            let (accountant, _) = try await t.user(.accountant)
            let service = PaymentService(context: try t.services(as: accountant))
            var input = PaymentInput()
            input.amount = .set(MoneyLimits.recordAmount.kopecks + 1)
            await #expect(throws: PaymentError.invalid(["amount": [MoneyLimits.recordAmountMessage]])) {
                try await service.create(input)
            }
            input.amount = .set(0)
            await #expect(throws: PaymentError.invalid(["amount": ["Сумма платежа должна быть больше нуля."]])) {
                try await service.create(input)
            }
            #expect(try await t.count("payments") == 0)
        }
    }

    @Test func aPaymentForAnUnknownOrderNamesTheFieldTheCallerUsed() async throws {
        try await TestApp.run { t in
            let (accountant, _) = try await t.user(.accountant)
            let service = PaymentService(context: try t.services(as: accountant))
            let unknown = UUID().uuidString
            var input = PaymentInput(order: .set(unknown), amount: .set(100))
            input.orderField = "order_id"
            await #expect(throws: PaymentError.invalid(["order_id": [FieldMessage.missingObject(unknown)]])) {
                try await service.create(input)
            }
            // A field the edge already refused keeps the edge's message only.
            await #expect(throws: PaymentError.invalid(["amount": ["edge"]])) {
                try await service.create(PaymentInput(amount: .set(-5)), problems: ["amount": ["edge"]])
            }
        }
    }

    @Test func anExpenseWithoutADayIsDatedTodayInTheCompanyZone() async throws {
        try await TestApp.run { t in
            let (manager, _) = try await t.user(.manager)
            var context = try t.services(as: manager)
            let zone = t.app.config.timeZone
            let fixed = try #require(ISOTime.startOfDay("2030-06-15", in: zone)).addingTimeInterval(30 * 60)
            context.now = { fixed }
            let service = ExpenseService(context: context)
            let expense = try await service.create(ExpenseInput(category: .set(.rent), amount: .set(500_000)))
            #expect(expense.date == "2030-06-15")
            #expect(expense.category == .rent)
            #expect(expense.reportedByID == manager.id)
            await #expect(throws: ExpenseError.invalid(["amount": [MoneyLimits.recordAmountMessage]])) {
                try await service.update(
                    expense.id, with: ExpenseInput(amount: .set(MoneyLimits.recordAmount.kopecks + 1)))
            }
            #expect(try await service.expense(expense.id).amount == 500_000)
        }
    }
}

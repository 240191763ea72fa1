import Testing

@testable import Domain

@Suite struct UsersAndStatusTests {
    @Test(arguments: ["+7 (999) 123-45-67", "8 999 123 45 67", "79991234567", "9991234567"])
    func phoneNumbersNormaliseToE164(raw: String) {
        #expect(PhoneNumber(raw)?.e164 == "+79991234567")
        #expect(PhoneNumber(raw)?.masked == "+7******4567")
    }

    @Test(arguments: ["", "12345", "+8 999 123 45 67", "999123456a", "0991234567", "7", "8"])
    func badPhoneNumbersAreRejected(raw: String) {
        #expect(PhoneNumber(raw) == nil)
    }

    @Test func roleTitles() {
        #expect(Role.allCases.map(\.title) == ["Администратор", "Менеджер", "Оператор", "Бухгалтер"])
    }

    @Test func activeOrdersHoldResources() {
        #expect(OrderStatus.allCases.filter(\.holdsResources) == [.created, .approved, .inProgress])
        #expect(OrderStatus.inProgress.rawValue == "IN_PROGRESS")
        #expect(OrderStatus.completed.title == "Завершён")
    }
}

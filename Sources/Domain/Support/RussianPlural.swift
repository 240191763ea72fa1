import Foundation

/// Russian plural forms of a noun after a number: «1 смена», «2 смены», «5 смен», «21 смена», «11 смен».
public struct RussianPlural: Sendable, Hashable {
    /// The form after 1, 21, 31…: «смена», «час».
    public let one: String
    /// The form after 2–4, 22–24…, and after any fractional number: «смены», «часа» («1,5 смены»).
    public let few: String
    /// The form after 0, 5–20, 25–30…: «смен», «часов».
    public let many: String

    public init(one: String, few: String, many: String) {
        self.one = one
        self.few = few
        self.many = many
    }

    /// The form that goes with `count`. Fractional counts take the genitive singular («2,5 часа»).
    public func form(for count: Decimal) -> String {
        let magnitude = count < 0 ? -count : count
        guard magnitude.isWholeNumber, let whole = Int64(magnitude.plainString) else { return few }
        return form(for: whole)
    }

    /// The form that goes with a whole `count`.
    public func form(for count: Int64) -> String {
        let lastTwo = count.magnitude % 100
        let last = count.magnitude % 10
        if (11...14).contains(lastTwo) { return many }
        switch last {
        case 1: return one
        case 2...4: return few
        default: return many
        }
    }

    public static let shift = RussianPlural(one: "смена", few: "смены", many: "смен")
    public static let hour = RussianPlural(one: "час", few: "часа", many: "часов")
    /// «сутки» has no singular: «1 сутки», «2 суток», «5 суток».
    public static let day = RussianPlural(one: "сутки", few: "суток", many: "суток")
}

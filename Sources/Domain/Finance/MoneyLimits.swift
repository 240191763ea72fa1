/// Amounts no real rental reaches. Input above them is refused with a field message, so that no sum of
/// stored amounts (a report, a ledger, the dashboard) can leave the 64-bit range: at these limits that
/// takes millions of orders each at the maximum.
public enum MoneyLimits {
    /// One order line: 1 000 000 000 ₽.
    public static let lineTotal = Money(rubles: 1_000_000_000)
    /// One order, and one payment, expense or salary record: 10 000 000 000 ₽.
    public static let recordAmount = Money(rubles: 10_000_000_000)

    public static let lineTotalMessage = "Сумма позиции больше 1 000 000 000 ₽: проверьте количество и цену."
    public static let orderTotalMessage = "Сумма заявки больше 10 000 000 000 ₽: проверьте количество и цены."
    public static let recordAmountMessage = "Сумма больше 10 000 000 000 ₽."

    /// The first limit a priced order breaks, as (line index or nil for the order, message); nil when none.
    public static func violation(of snapshot: PriceSnapshot) -> (line: Int?, message: String)? {
        for (index, position) in snapshot.positions.enumerated() where position.lineTotal > lineTotal {
            return (index, lineTotalMessage)
        }
        if snapshot.summary.subtotal > recordAmount || snapshot.summary.total > recordAmount
            || snapshot.summary.taxTotal > recordAmount
        {
            return (nil, orderTotalMessage)
        }
        return nil
    }
}

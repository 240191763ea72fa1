/// Where a payment or an invoice stands (`payment_status` / `status`). Stored as its raw value.
public enum PaymentStatus: String, CaseIterable, Codable, Sendable {
    case pending
    case success
    case failed
    case refunded

    /// The Russian label shown to users.
    public var title: String {
        switch self {
        case .pending: "Ожидает"
        case .success: "Успешно"
        case .failed: "Ошибка"
        case .refunded: "Возвращено"
        }
    }

    /// Only successful payments reduce what a client owes.
    public var countsAsPaid: Bool { self == .success }
}

/// How a payment was made (`method`). Stored as its raw value; the default is `bank_transfer`.
public enum PaymentMethod: String, CaseIterable, Codable, Sendable {
    case cash
    case bankTransfer = "bank_transfer"
    case online
    case other

    /// The Russian label shown to users.
    public var title: String {
        switch self {
        case .cash: "Наличные"
        case .bankTransfer: "Банковский перевод"
        case .online: "Онлайн"
        case .other: "Другое"
        }
    }
}

/// Invoice numbers keep the original's shape, `INV-<YYYYMM>-<NNNN>` (the month it was issued in), but `NNNN` is the
/// invoice's place in its year's gap-free sequence, as Russian bookkeeping numbers documents
/// (docs/domain-rules.md#invoice-numbering): `INV-202503-0006` may be followed by `INV-202504-0007`, and the first
/// invoice of 2026 is `INV-2026MM-0001`.
public enum InvoiceNumber {
    /// `INV-202503-`: the prefix of every invoice number of that month.
    public static func prefix(year: Int, month: Int) -> String {
        let monthText = month < 10 ? "0\(month)" : "\(month)"
        return "INV-\(year)\(monthText)-"
    }

    /// `INV-2025`: what every number of that year starts with (`LIKE` pattern without the `%`).
    public static func yearPrefix(_ year: Int) -> String { "INV-\(year)" }

    /// The number of the `sequence`-th invoice of the year, issued in `month`; zero-padded to 4 digits, wider past
    /// 9999 (`INV-202503-10000`).
    public static func make(year: Int, month: Int, sequence: Int) -> String {
        let digits = String(sequence)
        return prefix(year: year, month: month)
            + (digits.count >= 4 ? digits : String(repeating: "0", count: 4 - digits.count) + digits)
    }

    /// The place in the year's sequence of a number issued in `year`: `INV-202503-0006` → 6; nil for another year
    /// or a tail that is not a number.
    public static func sequence(of number: String, year: Int) -> Int? {
        let head = yearPrefix(year)
        guard number.hasPrefix(head) else { return nil }
        let rest = number.dropFirst(head.count)  // "03-0006"
        guard rest.count > 3, rest.dropFirst(2).first == "-", let value = Int(rest.dropFirst(3)), value >= 0 else {
            return nil
        }
        return value
    }
}

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

/// Invoice numbers `INV-<YYYYMM>-<NNNN>` (docs/domain-rules.md#invoice-numbering): a sequence per calendar month.
public enum InvoiceNumber {
    /// `INV-202503-`: the prefix of every invoice number of that month.
    public static func prefix(year: Int, month: Int) -> String {
        let monthText = month < 10 ? "0\(month)" : "\(month)"
        return "INV-\(year)\(monthText)-"
    }

    /// The number after `last` (the highest number with this prefix), or the month's first one:
    /// `INV-202503-0006` → `INV-202503-0007`; none → `INV-202504-0001`. A tail that is not a number restarts at 1;
    /// past 9999 the sequence simply gets wider (`INV-202503-10000`).
    public static func next(after last: String?, prefix: String) -> String {
        var sequence = 1
        if let last, last.hasPrefix(prefix), let previous = Int(last.dropFirst(prefix.count)), previous >= 0 {
            sequence = previous + 1
        }
        let digits = String(sequence)
        return prefix + (digits.count >= 4 ? digits : String(repeating: "0", count: 4 - digits.count) + digits)
    }
}

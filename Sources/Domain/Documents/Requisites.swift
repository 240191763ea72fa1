/// Checks of Russian company requisites as banks and the tax service define them: the ИНН's check digits,
/// the БИК's and the accounts' lengths, and the bank key of a settlement account (docs/documents.md).
public enum Requisites {
    /// A 10-digit ИНН (a company) or a 12-digit one (a person or sole trader) whose check digits add up.
    public static func isValidINN(_ inn: String) -> Bool {
        guard let digits = digitsOnly(inn) else { return false }
        func check(_ weights: [Int]) -> Int {
            zip(weights, digits).reduce(0) { $0 + $1.0 * $1.1 } % 11 % 10
        }
        switch digits.count {
        case 10:
            return check([2, 4, 10, 3, 5, 9, 4, 6, 8]) == digits[9]
        case 12:
            return check([7, 2, 4, 10, 3, 5, 9, 4, 6, 8]) == digits[10]
                && check([3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8]) == digits[11]
        default:
            return false
        }
    }

    /// A КПП: nine characters, digits except the fifth and sixth, which may be capital Latin letters.
    public static func isValidKPP(_ kpp: String) -> Bool {
        let characters = Array(kpp)
        guard characters.count == 9 else { return false }
        return characters.enumerated().allSatisfy { index, character in
            character.isASCII && (character.isNumber || ((index == 4 || index == 5) && character.isUppercase))
        }
    }

    /// A БИК: nine digits.
    public static func isValidBIK(_ bik: String) -> Bool { digitsOnly(bik)?.count == 9 }

    /// A 20-digit account whose control key is right for the bank's БИК: a settlement account (`correspondent:
    /// false`, keyed with the last three digits of the БИК) or a correspondent account (keyed with "0" and the
    /// fifth and sixth digits of the БИК).
    public static func isValidAccount(_ account: String, bik: String, correspondent: Bool) -> Bool {
        guard let accountDigits = digitsOnly(account), accountDigits.count == 20,
            let bikDigits = digitsOnly(bik), bikDigits.count == 9
        else { return false }
        let prefix = correspondent ? [0] + bikDigits[4...5] : Array(bikDigits[6...8])
        let weights = [7, 1, 3]
        let sum = (prefix + accountDigits).enumerated().reduce(0) { $0 + weights[$1.offset % 3] * $1.element % 10 }
        return sum % 10 == 0
    }

    /// A ОГРН (13 digits) or ОГРНИП (15 digits) whose last digit checks.
    public static func isValidOGRN(_ ogrn: String) -> Bool {
        guard let digits = digitsOnly(ogrn), let body = UInt64(ogrn.dropLast()) else { return false }
        switch digits.count {
        case 13: return Int(body % 11 % 10) == digits[12]
        case 15: return Int(body % 13 % 10) == digits[14]
        default: return false
        }
    }

    private static func digitsOnly(_ text: String) -> [Int]? {
        guard !text.isEmpty, text.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return text.compactMap { $0.wholeNumberValue }
    }
}

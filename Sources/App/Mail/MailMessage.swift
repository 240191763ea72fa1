import Foundation

/// An e-mail address with an optional display name: `Ringo <robot@example.ru>` or `robot@example.ru`.
struct MailAddress: Sendable, Equatable {
    var name: String
    var address: String

    /// Nil unless the address is one `local@domain` without spaces, angle brackets or line breaks.
    static func parse(_ text: String) -> MailAddress? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        var name = ""
        var address = trimmed
        if trimmed.hasSuffix(">"), let open = trimmed.lastIndex(of: "<") {
            name = trimmed[..<open].trimmingCharacters(in: .whitespaces)
            if name.hasPrefix("\""), name.hasSuffix("\""), name.count >= 2 {
                name = String(name.dropFirst().dropLast())
            }
            address = String(trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)])
        }
        guard isValid(address), !name.contains(where: { $0 == "\r" || $0 == "\n" }) else { return nil }
        return MailAddress(name: name, address: address)
    }

    /// A plain check, not RFC 5321's grammar: one `@`, something on both sides, a dot in the domain, no
    /// characters that would break the SMTP command or the header.
    static func isValid(_ address: String) -> Bool {
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), address.count <= 254,
            !parts[1].hasPrefix("."), !parts[1].hasSuffix(".")
        else { return false }
        return address.unicodeScalars.allSatisfy {
            $0.value > 32 && $0.value < 127 && !"<>(),;:\\\"[]".unicodeScalars.contains($0)
        }
    }

    /// The header form: the name RFC 2047-encoded when it is not plain ASCII.
    var header: String {
        guard !name.isEmpty else { return address }
        return MIME.encodedWord(name) + " <\(address)>"
    }
}

/// A letter with attachments, written out as RFC 5322 / MIME (`multipart/mixed`: the text, then the files).
struct MailMessage: Sendable {
    struct Attachment: Sendable {
        var bytes: [UInt8]
        var contentType: String
        /// ASCII, for `filename=` (mail programs that do not read RFC 2231).
        var fileName: String
        /// Any characters, for `filename*=UTF-8''…` (RFC 2231).
        var unicodeFileName: String
    }

    var from: MailAddress
    var to: [String]
    var subject: String
    var text: String
    var attachments: [Attachment] = []
    var date = Date()
    var messageID: String?

    /// The message as sent after DATA (before dot-stuffing), lines ending in CRLF.
    func rendered(boundary: String = "=_ringo_" + UUID().uuidString.replacingOccurrences(of: "-", with: "")) -> String {
        let domain = from.address.split(separator: "@").last.map(String.init) ?? "localhost"
        let id = messageID ?? "<\(UUID().uuidString.lowercased())@\(domain)>"
        var lines = [
            "From: " + from.header,
            "To: " + to.joined(separator: ", "),
            "Subject: " + MIME.encodedWord(subject),
            "Date: " + MIME.date(date),
            "Message-ID: " + id,
            "MIME-Version: 1.0",
        ]
        let body = MIME.base64Lines(
            Array(
                text.replacingOccurrences(of: "\r\n", with: "\n")
                    .replacingOccurrences(of: "\n", with: "\r\n").utf8))
        if attachments.isEmpty {
            lines += ["Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: base64", ""] + body
        } else {
            lines +=
                [
                    "Content-Type: multipart/mixed; boundary=\"\(boundary)\"", "",
                    "This is a multi-part message in MIME format.",
                    "--" + boundary,
                    "Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: base64", "",
                ] + body
            for file in attachments {
                lines +=
                    [
                        "--" + boundary,
                        "Content-Type: \(file.contentType); name=\"\(MIME.asciiFileName(file.fileName))\"",
                        "Content-Transfer-Encoding: base64",
                        // `filename*` first: readers that know RFC 2231 take the first `filename` they understand.
                        "Content-Disposition: attachment; filename*=UTF-8''" + MIME.percentEncoded(file.unicodeFileName)
                            + ";",
                        " filename=\"\(MIME.asciiFileName(file.fileName))\"",
                        "",
                    ] + MIME.base64Lines(file.bytes)
            }
            lines.append("--" + boundary + "--")
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }
}

/// The encodings a mail header and body need.
enum MIME {
    /// RFC 2047 `=?UTF-8?B?…?=` words for non-ASCII text (each word at most 75 characters, split on character
    /// boundaries and joined by folding whitespace); plain ASCII text is returned as it is.
    static func encodedWord(_ text: String) -> String {
        if text.unicodeScalars.allSatisfy({ $0.value >= 32 && $0.value < 127 }) { return text }
        var words: [String] = []
        var chunk: [UInt8] = []
        // 45 bytes → 60 base64 characters + 12 of `=?UTF-8?B?` and `?=`: under the 75 of RFC 2047 §2.
        for character in text {
            let bytes = Array(String(character).utf8)
            if chunk.count + bytes.count > 45 {
                words.append(word(chunk))
                chunk = []
            }
            chunk += bytes
        }
        if !chunk.isEmpty { words.append(word(chunk)) }
        return words.joined(separator: "\r\n ")
    }

    private static func word(_ bytes: [UInt8]) -> String {
        "=?UTF-8?B?" + Data(bytes).base64EncodedString() + "?="
    }

    /// RFC 2231 / RFC 5987 `attr-char`s kept, every other byte of the UTF-8 form as `%XX`.
    static func percentEncoded(_ text: String) -> String {
        let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#$&+-.^_`|~".utf8)
        return text.utf8.map { allowed.contains($0) ? String(UnicodeScalar($0)) : String(format: "%%%02X", $0) }
            .joined()
    }

    /// The name with anything outside printable ASCII, quotes and backslashes replaced by `_`.
    static func asciiFileName(_ name: String) -> String {
        String(
            name.unicodeScalars.map {
                $0.value >= 32 && $0.value < 127 && $0 != "\"" && $0 != "\\" ? Character($0) : "_"
            })
    }

    /// Base64 in lines of 76 characters (RFC 2045 §6.8).
    static func base64Lines(_ bytes: [UInt8]) -> [String] {
        let encoded = Data(bytes).base64EncodedString()
        var lines: [String] = []
        var index = encoded.startIndex
        while index < encoded.endIndex {
            let end = encoded.index(index, offsetBy: 76, limitedBy: encoded.endIndex) ?? encoded.endIndex
            lines.append(String(encoded[index..<end]))
            index = end
        }
        return lines
    }

    /// RFC 5322 date: `Fri, 04 Dec 2026 23:30:00 +0000`.
    static func date(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        return formatter.string(from: date)
    }

    /// SMTP transparency (RFC 5321 §4.5.2): a line starting with "." gets another one; the text ends in CRLF.
    static func dotStuffed(_ message: String) -> String {
        var text = message.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\n", with: "\r\n")
        if !text.hasSuffix("\r\n") { text += "\r\n" }
        if text.hasPrefix(".") { text = "." + text }
        return text.replacingOccurrences(of: "\r\n.", with: "\r\n..")
    }
}

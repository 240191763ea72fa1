import Crypto
import Foundation

/// AWS Signature Version 4 for request headers (no S3 Swift library is available here). Pure: the
/// caller passes every header to sign (including `host` and `x-amz-date`), the payload hash and the
/// time; the result is the `Authorization` value. Checked against AWS's published examples in tests.
struct SigV4Signer: Sendable {
    var accessKey: String
    var secretKey: String
    var region: String
    var service: String

    struct Signature: Sendable {
        var authorization: String
        var signedHeaders: String
        var canonicalRequest: String
        var stringToSign: String
        var signature: String
    }

    static let emptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

    /// - Parameters:
    ///   - path: the decoded path (`/bucket/orders/a b.jpg`); each segment is percent-encoded once, as S3 expects.
    ///   - query: decoded name/value pairs (a bare `?lifecycle` is `("lifecycle", "")`).
    ///   - headers: the headers to sign, any case; values are trimmed and inner runs of spaces collapsed.
    func sign(
        method: String, path: String, query: [(String, String)] = [], headers: [(String, String)],
        payloadHash: String, date: Date
    ) -> Signature {
        let amzDate = Self.amzDate(date)
        let day = String(amzDate.prefix(8))
        var merged: [String: [String]] = [:]
        for (name, value) in headers {
            let cleaned = value.trimmingCharacters(in: .whitespaces)
                .split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
            merged[name.lowercased(), default: []].append(cleaned)
        }
        let names = merged.keys.sorted()
        let canonicalHeaders = names.map { "\($0):\(merged[$0, default: []].joined(separator: ","))\n" }.joined()
        let signedHeaders = names.joined(separator: ";")
        let encodedQuery: [(name: String, value: String)] = query.map { pair in
            (Self.uriEncode(pair.0, encodeSlash: true), Self.uriEncode(pair.1, encodeSlash: true))
        }
        let sortedQuery = encodedQuery.sorted { left, right in
            left.name == right.name ? left.value < right.value : left.name < right.name
        }
        let canonicalQuery = sortedQuery.map { $0.name + "=" + $0.value }.joined(separator: "&")
        let canonicalPath = path.isEmpty ? "/" : Self.uriEncode(path, encodeSlash: false)
        let canonicalRequest = [
            method.uppercased(), canonicalPath, canonicalQuery, canonicalHeaders, signedHeaders, payloadHash,
        ]
        .joined(separator: "\n")
        let scope = "\(day)/\(region)/\(service)/aws4_request"
        let stringToSign = ["AWS4-HMAC-SHA256", amzDate, scope, Self.sha256Hex(Data(canonicalRequest.utf8))]
            .joined(separator: "\n")
        let key = signingKey(day: day)
        let signature = Self.hex(HMAC<SHA256>.authenticationCode(for: Data(stringToSign.utf8), using: key))
        return Signature(
            authorization:
                "AWS4-HMAC-SHA256 Credential=\(accessKey)/\(scope), "
                + "SignedHeaders=\(signedHeaders), Signature=\(signature)",
            signedHeaders: signedHeaders, canonicalRequest: canonicalRequest, stringToSign: stringToSign,
            signature: signature)
    }

    /// kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, day), region), service), "aws4_request").
    func signingKey(day: String) -> SymmetricKey {
        var key = SymmetricKey(data: Data(("AWS4" + secretKey).utf8))
        for part in [day, region, service, "aws4_request"] {
            key = SymmetricKey(data: Data(HMAC<SHA256>.authenticationCode(for: Data(part.utf8), using: key)))
        }
        return key
    }

    /// `20150830T123600Z`.
    static func amzDate(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? TimeZone(secondsFromGMT: 0) ?? .current
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(
            format: "%04d%02d%02dT%02d%02d%02dZ", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0, parts.hour ?? 0,
            parts.minute ?? 0, parts.second ?? 0)
    }

    /// SigV4's URI encoding: everything but `A-Z a-z 0-9 - _ . ~` (and `/` when `encodeSlash` is false)
    /// becomes `%XX` of its UTF-8 bytes, in upper-case hex.
    static func uriEncode(_ text: String, encodeSlash: Bool) -> String {
        var result = ""
        for byte in text.utf8 {
            let isUnreserved =
                (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || (byte >= 0x30 && byte <= 0x39) || byte == 0x2D || byte == 0x5F || byte == 0x2E || byte == 0x7E
            if isUnreserved || (byte == 0x2F && !encodeSlash) {
                result.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                result += String(format: "%%%02X", byte)
            }
        }
        return result
    }

    static func sha256Hex<Bytes: DataProtocol>(_ data: Bytes) -> String { hex(SHA256.hash(data: data)) }

    static func hex<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        bytes.map { String(format: "%02x", $0) }.joined()
    }
}

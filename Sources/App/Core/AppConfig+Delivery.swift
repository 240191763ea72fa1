import Crypto
import Foundation

/// Where uploaded files live.
public enum FileStorageSetting: Sendable, Equatable {
    /// A folder on local disk (the embedded default: `RINGO_DATA_DIR/files`).
    case disk(directory: String)
    /// An S3-compatible bucket (MinIO, AWS).
    case s3(S3Settings)

    /// `S3_BUCKET` switches to S3; the other `S3_*` settings are then checked together.
    static func parse(
        _ value: (String) -> String?, dataDirectory: String, problems: inout [String]
    ) -> FileStorageSetting {
        guard let bucket = value("S3_BUCKET") else {
            for key in ["S3_ENDPOINT", "S3_ACCESS_KEY", "S3_SECRET_KEY"] where value(key) != nil {
                problems.append("\(key) is set but S3_BUCKET is not: set S3_BUCKET to store files in S3")
            }
            return .disk(directory: dataDirectory + "/files")
        }
        let region = value("S3_REGION") ?? "us-east-1"
        var endpoint = value("S3_ENDPOINT")
        if let raw = endpoint {
            let trimmed = raw.hasSuffix("/") ? String(raw.dropLast()) : raw
            if URLComponents(string: trimmed)?.host == nil
                || !(trimmed.hasPrefix("http://") || trimmed.hasPrefix("https://"))
            {
                problems.append("S3_ENDPOINT must be an http:// or https:// URL, got \"\(raw)\"")
            }
            endpoint = trimmed
        }
        let accessKey = value("S3_ACCESS_KEY")
        let secretKey = value("S3_SECRET_KEY")
        if accessKey == nil { problems.append("S3_ACCESS_KEY is required when S3_BUCKET is set") }
        if secretKey == nil { problems.append("S3_SECRET_KEY is required when S3_BUCKET is set") }
        let validBucket =
            (3...63).contains(bucket.count)
            && bucket.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "." }
        if !validBucket {
            problems.append(
                "S3_BUCKET \"\(bucket)\" is not a valid bucket name (3–63 lower-case letters, digits, '-', '.')")
        }
        return .s3(
            S3Settings(
                endpoint: endpoint, bucket: bucket, accessKey: accessKey ?? "", secretKey: secretKey ?? "",
                region: region))
    }
}

/// An S3-compatible bucket. With an explicit endpoint (MinIO, moto) requests are path-style
/// (`endpoint/bucket/key`); without one they go to AWS's virtual-hosted `bucket.s3.region.amazonaws.com`.
public struct S3Settings: Sendable, Equatable {
    public var endpoint: String?
    public var bucket: String
    public var accessKey: String
    public var secretKey: String
    public var region: String

    public init(endpoint: String?, bucket: String, accessKey: String, secretKey: String, region: String) {
        self.endpoint = endpoint
        self.bucket = bucket
        self.accessKey = accessKey
        self.secretKey = secretKey
        self.region = region
    }
}

/// The Telegram bot. `apiBase` is configurable so that tests talk to a local fake.
public struct TelegramSettings: Sendable, Equatable {
    public var botToken: String
    public var apiBase: String
    /// Telegram sends it back in `X-Telegram-Bot-Api-Secret-Token` on every webhook call.
    public var webhookSecret: String
    /// For the `https://t.me/<bot>?start=<code>` link shown to users; optional.
    public var botUsername: String?

    public init(botToken: String, apiBase: String, webhookSecret: String, botUsername: String? = nil) {
        self.botToken = botToken
        self.apiBase = apiBase
        self.webhookSecret = webhookSecret
        self.botUsername = botUsername
    }

    static func parse(_ value: (String) -> String?, problems: inout [String]) -> TelegramSettings? {
        guard let token = value("TELEGRAM_BOT_TOKEN") else { return nil }
        var base = value("TELEGRAM_API_BASE") ?? "https://api.telegram.org"
        if base.hasSuffix("/") { base.removeLast() }
        if !(base.hasPrefix("http://") || base.hasPrefix("https://")) || URLComponents(string: base)?.host == nil {
            problems.append("TELEGRAM_API_BASE must be an http:// or https:// URL, got \"\(base)\"")
        }
        let secret = value("TELEGRAM_WEBHOOK_SECRET") ?? Self.derivedSecret(token: token)
        if secret.count > 256
            || !secret.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") })
        {
            problems.append("TELEGRAM_WEBHOOK_SECRET may hold only A-Z, a-z, 0-9, '_' and '-' (1–256 characters)")
        }
        let username = value("TELEGRAM_BOT_USERNAME").map { $0.hasPrefix("@") ? String($0.dropFirst()) : $0 }
        return TelegramSettings(botToken: token, apiBase: base, webhookSecret: secret, botUsername: username)
    }

    /// Without `TELEGRAM_WEBHOOK_SECRET` the webhook secret is derived from the bot token, so it is
    /// stable across restarts and unknown to anyone without the token.
    static func derivedSecret(token: String) -> String {
        let digest = SHA256.hash(data: Data(("ringo-telegram-webhook:" + token).utf8))
        return digest.map { String(format: "%02x", $0) }.joined()
    }
}

/// The SMTP server that sends documents by e-mail.
public struct MailSettings: Sendable, Equatable {
    /// `starttls`: plain connection upgraded by STARTTLS (port 587); `tls`: TLS from the start (port 465).
    public enum Security: String, Sendable, Equatable, CaseIterable {
        case starttls, tls, none
    }

    public var host: String
    public var port: Int
    public var user: String?
    public var password: String?
    /// `Name <address>` or a bare address.
    public var from: String
    public var security: Security
    /// A PEM file of certificates to trust instead of the system's (a private relay, the tests' self-signed one).
    public var caFile: String?
    public var timeout: TimeInterval

    public init(
        host: String, port: Int = 587, user: String? = nil, password: String? = nil, from: String,
        security: Security = .starttls, caFile: String? = nil, timeout: TimeInterval = 30
    ) {
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.from = from
        self.security = security
        self.caFile = caFile
        self.timeout = timeout
    }

    static func parse(_ value: (String) -> String?, problems: inout [String]) -> MailSettings? {
        guard let host = value("SMTP_HOST") else {
            for key in ["SMTP_USER", "SMTP_PASSWORD", "SMTP_FROM"] where value(key) != nil {
                problems.append("\(key) is set but SMTP_HOST is not: set SMTP_HOST to send e-mail")
            }
            return nil
        }
        var port = 587
        if let raw = value("SMTP_PORT") {
            if let parsed = Int(raw), (1...65_535).contains(parsed) {
                port = parsed
            } else {
                problems.append("SMTP_PORT must be a port number (1–65535), got \"\(raw)\"")
            }
        }
        var security = Security.starttls
        if let raw = value("SMTP_SECURITY") {
            if let parsed = Security(rawValue: raw.lowercased()) {
                security = parsed
            } else {
                problems.append("SMTP_SECURITY must be starttls, tls or none, got \"\(raw)\"")
            }
        }
        let from = value("SMTP_FROM") ?? ""
        if from.isEmpty {
            problems.append("SMTP_FROM is required when SMTP_HOST is set")
        } else if MailAddress.parse(from) == nil {
            problems.append("SMTP_FROM must be an address or \"Name <address>\", got \"\(from)\"")
        }
        let user = value("SMTP_USER")
        let password = value("SMTP_PASSWORD")
        if user != nil, password == nil { problems.append("SMTP_PASSWORD is required when SMTP_USER is set") }
        let caFile = value("SMTP_CA_FILE")
        if let caFile, !FileManager.default.isReadableFile(atPath: caFile) {
            problems.append("SMTP_CA_FILE \"\(caFile)\" cannot be read")
        }
        return MailSettings(
            host: host, port: port, user: user, password: password, from: from, security: security, caFile: caFile)
    }
}

/// VAPID keys (base64url, as `web-push generate-vapid-keys` prints them) and the contact subject.
public struct WebPushSettings: Sendable, Equatable {
    /// Uncompressed P-256 point, 65 bytes, base64url: what browsers pass to `pushManager.subscribe`.
    public var publicKey: String
    /// The 32-byte private scalar, base64url.
    public var privateKey: String
    /// `mailto:` or `https:` contact for push services.
    public var subject: String

    public init(publicKey: String, privateKey: String, subject: String) {
        self.publicKey = publicKey
        self.privateKey = privateKey
        self.subject = subject
    }

    static func parse(_ value: (String) -> String?, problems: inout [String]) -> WebPushSettings? {
        let publicKey = value("VAPID_PUBLIC_KEY")
        let privateKey = value("VAPID_PRIVATE_KEY")
        guard publicKey != nil || privateKey != nil else { return nil }
        guard let publicKey, let privateKey else {
            problems.append("VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY must be set together")
            return nil
        }
        let subject = value("VAPID_SUBJECT") ?? ""
        if !(subject.hasPrefix("mailto:") || subject.hasPrefix("https://")) {
            problems.append("VAPID_SUBJECT must be a mailto: or https: URL when VAPID keys are set")
        }
        let settings = WebPushSettings(publicKey: publicKey, privateKey: privateKey, subject: subject)
        if let problem = settings.keyProblem { problems.append(problem) }
        return settings
    }

    /// Why the key pair is unusable, or nil when the private key is a P-256 scalar whose public point is `publicKey`.
    var keyProblem: String? {
        guard let privateBytes = Base64URL.decode(privateKey), privateBytes.count == 32,
            let signingKey = try? P256.Signing.PrivateKey(rawRepresentation: privateBytes)
        else { return "VAPID_PRIVATE_KEY must be a base64url P-256 private key (32 bytes)" }
        guard let publicBytes = Base64URL.decode(publicKey), publicBytes.count == 65 else {
            return "VAPID_PUBLIC_KEY must be a base64url uncompressed P-256 point (65 bytes)"
        }
        guard Array(signingKey.publicKey.x963Representation) == publicBytes else {
            return "VAPID_PUBLIC_KEY does not belong to VAPID_PRIVATE_KEY"
        }
        return nil
    }
}

/// Bounded retries with exponential backoff for notification deliveries.
public struct NotificationRetrySettings: Sendable, Equatable {
    public var maxAttempts: Int
    /// The pause after the first failure; each further pause doubles it.
    public var baseDelay: TimeInterval

    public init(maxAttempts: Int, baseDelay: TimeInterval) {
        self.maxAttempts = maxAttempts
        self.baseDelay = baseDelay
    }

    /// The pause before attempt `attempt + 1` (1-based `attempt`).
    func delay(after attempt: Int) -> TimeInterval {
        baseDelay * pow(2, Double(max(0, attempt - 1)))
    }
}

/// base64url without padding (RFC 4648 §5), as Web Push and JWT use it.
enum Base64URL {
    static func encode<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Also accepts standard base64 and padding, as browsers' subscription JSON varies.
    static func decode(_ text: String) -> [UInt8]? {
        var base = text.trimmingCharacters(in: .whitespacesAndNewlines)
            .replacingOccurrences(of: "-", with: "+")
            .replacingOccurrences(of: "_", with: "/")
            .replacingOccurrences(of: "=", with: "")
        guard !base.isEmpty else { return nil }
        let remainder = base.count % 4
        if remainder == 1 { return nil }
        if remainder > 0 { base += String(repeating: "=", count: 4 - remainder) }
        return Data(base64Encoded: base).map { Array($0) }
    }
}

import Domain
import Foundation

/// Every setting the program reads, parsed once at start. Problems are collected and reported together.
public struct AppConfig: Sendable {
    public enum Mode: String, Sendable { case development, production, testing }

    public enum DatabaseSetting: Sendable, Equatable {
        case sqliteFile(path: String)
        case sqliteMemory
        case postgres(url: String)
    }

    public var mode: Mode
    public var database: DatabaseSetting
    /// Extra PostgreSQL schema used by tests so that parallel suites do not see each other's rows.
    public var postgresSchema: String?
    public var dataDirectory: String
    public var jwtSecret: String
    public var accessTokenLifetime: TimeInterval
    public var refreshTokenLifetime: TimeInterval
    public var adminPhone: String?
    public var adminPassword: String?
    public var corsAllowedOrigins: [String]
    public var timeZone: TimeZone
    public var logLevel: String
    /// `REGISTRATION=approval`: self-registration creates inactive operators that an admin activates.
    public var allowRegistration: Bool
    public var metricsEnabled: Bool
    public var metricsToken: String?
    public var trustedProxies: [String]
    /// The program's address as its users reach it (`PUBLIC_URL`, e.g. `https://ringo.example.ru`), for every
    /// absolute link it writes. Nil on the embedded default: the listen address is used. Request headers
    /// (`Host`, `X-Forwarded-*`) are never used for links, so a forged one cannot reach a cached page.
    public var publicURL: String?
    public var bcryptCost: Int
    public var loginFailureLimit: Int
    public var loginFailureWindow: TimeInterval
    /// The pause after the last free sign-in guess, doubled for each further one (30 s).
    public var loginFirstPause: TimeInterval = 30
    public var backupDirectory: String
    public var backupKeepDaily: Int
    public var backupKeepWeekly: Int
    public var uploadMaxBytes: Int
    /// PostgreSQL connections per event loop (`DATABASE_POOL_SIZE`, 4 by default; tests use 2).
    public var databasePoolSize: Int = 4
    /// Where uploaded files (order photos) are kept: a folder on disk or an S3-compatible bucket.
    public var fileStorage: FileStorageSetting
    /// The Telegram bot that delivers notifications; nil when `TELEGRAM_BOT_TOKEN` is unset.
    public var telegram: TelegramSettings?
    /// VAPID keys for Web Push; nil when `VAPID_PUBLIC_KEY` / `VAPID_PRIVATE_KEY` are unset.
    public var webPush: WebPushSettings?
    /// The SMTP server documents are sent through; nil when `SMTP_HOST` is unset.
    public var mail: MailSettings?
    /// How often a notification delivery is tried, and the first pause between tries (doubled each time).
    public var notificationRetry: NotificationRetrySettings
    public var runJobsInProcess: Bool
    /// Cache rendered order lists and details, checked against a data version on every request.
    public var responseCacheEnabled: Bool
    public var version: String

    public var isProduction: Bool { mode == .production }
    public var usesPostgres: Bool {
        if case .postgres = database { return true }
        return false
    }

    public static let defaultVersion = "0.1.0"
    /// The largest JSON or form body accepted (photo uploads have `uploadMaxBytes`).
    public static let jsonBodyLimit = 1024 * 1024
}

/// All configuration problems found at start, reported in one message.
public struct ConfigError: Error, CustomStringConvertible, Sendable {
    public var problems: [String]
    public var description: String {
        "configuration error:\n" + problems.map { "  - \($0)" }.joined(separator: "\n")
    }
}

extension AppConfig {
    /// Builds the configuration from environment variables.
    /// - Parameter secretStore: where a generated JWT secret is kept on the embedded default.
    public static func load(
        from environment: [String: String],
        secretStore: (_ directory: String) throws -> String = JWTSecretFile.readOrCreate(in:)
    ) throws -> AppConfig {
        var problems: [String] = []
        func value(_ key: String) -> String? {
            guard let raw = environment[key]?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
            return raw
        }
        func integer(_ key: String, default fallback: Int, minimum: Int = 0) -> Int {
            guard let raw = value(key) else { return fallback }
            guard let number = Int(raw), number >= minimum else {
                problems.append("\(key) must be an integer ≥ \(minimum), got \"\(raw)\"")
                return fallback
            }
            return number
        }
        func flag(_ key: String, default fallback: Bool) -> Bool {
            guard let raw = value(key)?.lowercased() else { return fallback }
            switch raw {
            case "1", "true", "yes", "on": return true
            case "0", "false", "no", "off": return false
            default:
                problems.append("\(key) must be true or false, got \"\(raw)\"")
                return fallback
            }
        }

        var mode = Mode.development
        if let raw = value("RINGO_ENV") {
            if let parsed = Mode(rawValue: raw.lowercased()) {
                mode = parsed
            } else if raw.lowercased() == "prod" {
                mode = .production
            } else {
                problems.append("RINGO_ENV must be development or production, got \"\(raw)\"")
            }
        }

        let dataDirectory = value("RINGO_DATA_DIR") ?? "./data"
        var database = DatabaseSetting.sqliteFile(path: dataDirectory + "/ringo.sqlite")
        if let url = value("DATABASE_URL") {
            if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") {
                database = .postgres(url: url)
            } else if url.hasPrefix("sqlite://") {
                database = .sqliteFile(path: String(url.dropFirst("sqlite://".count)))
            } else {
                problems.append("DATABASE_URL must start with postgres:// (or sqlite:// for a file)")
            }
        } else if mode == .production {
            problems.append("DATABASE_URL is required when RINGO_ENV=production")
        }

        var jwtSecret = value("JWT_SECRET") ?? ""
        if jwtSecret.isEmpty {
            if mode == .production {
                problems.append("JWT_SECRET is required when RINGO_ENV=production")
            }
        } else if jwtSecret.utf8.count < 32 {
            problems.append("JWT_SECRET must be at least 32 characters long")
        }

        let timeZoneName = value("TIME_ZONE") ?? BusinessTime.defaultTimeZoneName
        let timeZone = TimeZone(identifier: timeZoneName)
        if timeZone == nil { problems.append("TIME_ZONE \"\(timeZoneName)\" is not a known time zone") }

        let logLevel = (value("LOG_LEVEL") ?? "info").lowercased()
        let levels = ["trace", "debug", "info", "notice", "warning", "error", "critical"]
        if !levels.contains(logLevel) {
            problems.append("LOG_LEVEL must be one of \(levels.joined(separator: ", "))")
        }

        let origins = (value("CORS_ALLOWED_ORIGINS") ?? "")
            .split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        for origin in origins where origin != "*" && !(origin.hasPrefix("http://") || origin.hasPrefix("https://")) {
            problems.append("CORS_ALLOWED_ORIGINS entry \"\(origin)\" must start with http:// or https://")
        }

        let adminPhone = value("RINGO_ADMIN_PHONE")
        let adminPassword = value("RINGO_ADMIN_PASSWORD")
        if let adminPhone, PhoneNumberCheck.isValid(adminPhone) == false {
            problems.append("RINGO_ADMIN_PHONE \"\(adminPhone)\" is not a valid phone number")
        }
        if (adminPhone == nil) != (adminPassword == nil) {
            problems.append("RINGO_ADMIN_PHONE and RINGO_ADMIN_PASSWORD must be set together")
        }
        if let adminPassword, adminPassword.count < 8 {
            problems.append("RINGO_ADMIN_PASSWORD must be at least 8 characters")
        }

        let accessMinutes = integer("JWT_ACCESS_MINUTES", default: 30, minimum: 1)
        let refreshDays = integer("JWT_REFRESH_DAYS", default: 7, minimum: 1)
        // REGISTRATION=approval (default): self-registered operators wait for an admin; off: no self-registration.
        // RINGO_ALLOW_REGISTRATION=false, the older spelling, still means off.
        let registration = value("REGISTRATION")?.lowercased()
        if let registration, registration != "approval", registration != "off" {
            problems.append("REGISTRATION must be approval or off, got \"\(registration)\"")
        }
        let allowRegistration = flag("RINGO_ALLOW_REGISTRATION", default: true)
        // In production /metrics needs a token: without one it is off, and switching it on is refused.
        let metricsToken = value("METRICS_TOKEN")
        let metricsEnabled = flag("METRICS_ENABLED", default: mode != .production || metricsToken != nil)
        if mode == .production, metricsEnabled, metricsToken == nil {
            problems.append(
                "METRICS_TOKEN is required when METRICS_ENABLED=true and RINGO_ENV=production "
                    + "(or set METRICS_ENABLED=false)"
            )
        }
        let keepDaily = integer("RINGO_BACKUP_KEEP_DAILY", default: 7, minimum: 1)
        let keepWeekly = integer("RINGO_BACKUP_KEEP_WEEKLY", default: 4, minimum: 0)
        let uploadMax = integer("UPLOAD_MAX_BYTES", default: 10 * 1024 * 1024, minimum: 1024)
        let poolSize = integer("DATABASE_POOL_SIZE", default: 4, minimum: 1)
        let fileStorage = FileStorageSetting.parse(value, dataDirectory: dataDirectory, problems: &problems)
        let telegram = TelegramSettings.parse(value, problems: &problems)
        let webPush = WebPushSettings.parse(value, problems: &problems)
        let mail = MailSettings.parse(value, problems: &problems)
        let retry = NotificationRetrySettings(
            maxAttempts: integer("NOTIFY_MAX_ATTEMPTS", default: 4, minimum: 1),
            baseDelay: TimeInterval(integer("NOTIFY_RETRY_SECONDS", default: 30, minimum: 1)))
        let trustedProxies = (value("TRUSTED_PROXIES") ?? "")
            .split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        var publicURL = value("PUBLIC_URL")
        if let raw = publicURL {
            let trimmed = raw.hasSuffix("/") ? String(raw.dropLast()) : raw
            let components = URLComponents(string: trimmed)
            if !(trimmed.hasPrefix("http://") || trimmed.hasPrefix("https://")) || components?.host?.isEmpty != false
                || components?.query != nil || components?.fragment != nil
            {
                problems.append("PUBLIC_URL must be an http:// or https:// address without query, got \"\(raw)\"")
            }
            publicURL = trimmed
        }

        if problems.isEmpty, jwtSecret.isEmpty {
            do {
                jwtSecret = try secretStore(dataDirectory)
            } catch {
                problems.append("cannot keep a generated JWT secret in \(dataDirectory): \(error)")
            }
        }
        guard problems.isEmpty, let timeZone else { throw ConfigError(problems: problems) }

        return AppConfig(
            mode: mode,
            database: database,
            postgresSchema: nil,
            dataDirectory: dataDirectory,
            jwtSecret: jwtSecret,
            accessTokenLifetime: TimeInterval(accessMinutes * 60),
            refreshTokenLifetime: TimeInterval(refreshDays * 86_400),
            adminPhone: adminPhone,
            adminPassword: adminPassword,
            corsAllowedOrigins: origins,
            timeZone: timeZone,
            logLevel: logLevel,
            allowRegistration: registration.map { $0 == "approval" } ?? allowRegistration,
            metricsEnabled: metricsEnabled,
            metricsToken: metricsToken,
            trustedProxies: trustedProxies,
            publicURL: publicURL,
            bcryptCost: 12,
            loginFailureLimit: 10,
            loginFailureWindow: 15 * 60,
            backupDirectory: value("RINGO_BACKUP_DIR") ?? dataDirectory + "/backups",
            backupKeepDaily: keepDaily,
            backupKeepWeekly: keepWeekly,
            uploadMaxBytes: uploadMax,
            databasePoolSize: poolSize,
            fileStorage: fileStorage,
            telegram: telegram,
            webPush: webPush,
            mail: mail,
            notificationRetry: retry,
            runJobsInProcess: !flag("RINGO_EXTERNAL_WORKER", default: false),
            responseCacheEnabled: flag("RINGO_RESPONSE_CACHE", default: true),
            version: value("RINGO_VERSION")
                ?? releaseName(version: value("BUILD_VERSION"), commit: value("BUILD_COMMIT"))
        )
    }

    /// What `/api/health/` reports: the image's `BUILD_VERSION` and `BUILD_COMMIT` (set by the Dockerfile and
    /// deploy.sh), e.g. "v1.4.0-3-g3f2c9a1 (3f2c9a1b7d0e)"; the commit is left out when unknown or already named.
    static func releaseName(version: String?, commit: String?) -> String {
        let version = version ?? defaultVersion
        guard let commit, commit != "unknown", !version.contains(commit), !commit.hasPrefix(version) else {
            return version
        }
        return "\(version) (\(commit))"
    }

    /// A configuration for tests: in-memory SQLite, or PostgreSQL when `DATABASE_URL` is set.
    public static func testing(environment: [String: String] = ProcessInfo.processInfo.environment) -> AppConfig {
        var database = DatabaseSetting.sqliteMemory
        var schema: String?
        if let url = environment["DATABASE_URL"], url.hasPrefix("postgres") {
            database = .postgres(url: url)
            schema = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(20).lowercased()
        }
        let dataDirectory = NSTemporaryDirectory() + "ringo-test-" + UUID().uuidString
        return AppConfig(
            mode: .testing,
            database: database,
            postgresSchema: schema,
            dataDirectory: dataDirectory,
            jwtSecret: "test-secret-test-secret-test-secret-0123456789",
            accessTokenLifetime: 30 * 60,
            refreshTokenLifetime: 7 * 86_400,
            adminPhone: nil,
            adminPassword: nil,
            corsAllowedOrigins: ["https://app.example.ru"],
            timeZone: BusinessTime.timeZone,
            logLevel: "warning",
            allowRegistration: true,
            metricsEnabled: true,
            metricsToken: nil,
            trustedProxies: [],
            publicURL: nil,
            bcryptCost: 4,
            loginFailureLimit: 10,
            loginFailureWindow: 15 * 60,
            backupDirectory: NSTemporaryDirectory() + "ringo-test-backups-" + UUID().uuidString,
            backupKeepDaily: 7,
            backupKeepWeekly: 4,
            uploadMaxBytes: 10 * 1024 * 1024,
            fileStorage: .disk(directory: dataDirectory + "/files"),
            telegram: nil,
            webPush: nil,
            notificationRetry: NotificationRetrySettings(maxAttempts: 3, baseDelay: 0.02),
            runJobsInProcess: false,
            responseCacheEnabled: true,
            version: defaultVersion
        )
    }
}

/// The generated JWT secret of the embedded default, kept in the data directory with mode 0600.
public enum JWTSecretFile {
    public static func readOrCreate(in directory: String) throws -> String {
        let manager = FileManager.default
        try manager.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = directory + "/jwt-secret"
        if let existing = try? String(contentsOfFile: path, encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines), existing.utf8.count >= 32
        {
            return existing
        }
        var bytes = [UInt8](repeating: 0, count: 48)
        var generator = SystemRandomNumberGenerator()
        for index in bytes.indices { bytes[index] = UInt8.random(in: 0...255, using: &generator) }
        let secret = Data(bytes).base64EncodedString()
        guard manager.createFile(atPath: path, contents: Data(secret.utf8), attributes: [.posixPermissions: 0o600])
        else { throw ConfigError(problems: ["cannot write \(path)"]) }
        return secret
    }
}

enum PhoneNumberCheck {
    static func isValid(_ raw: String) -> Bool { PhoneNumber(raw) != nil }
}

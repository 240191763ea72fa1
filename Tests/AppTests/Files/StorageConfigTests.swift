import Crypto
import Foundation
import Testing

@testable import App

@Suite("Configuration of storage and notification channels")
struct StorageConfigTests {
    private let base = ["JWT_SECRET": String(repeating: "x", count: 40), "RINGO_DATA_DIR": "/tmp/ringo-config-test"]

    private func load(_ extra: [String: String]) -> Result<AppConfig, ConfigError> {
        do {
            return .success(try AppConfig.load(from: base.merging(extra) { $1 }, secretStore: { _ in "" }))
        } catch let error as ConfigError {
            return .failure(error)
        } catch {
            return .failure(ConfigError(problems: ["\(error)"]))
        }
    }

    @Test func defaultsAreDiskAndNoChannels() throws {
        let config = try load([:]).get()
        #expect(config.fileStorage == .disk(directory: "/tmp/ringo-config-test/files"))
        #expect(config.telegram == nil && config.webPush == nil)
        #expect(config.uploadMaxBytes == 10 * 1024 * 1024)
        #expect(config.notificationRetry.maxAttempts == 4)
    }

    @Test func s3AndChannelsParse() throws {
        let key = P256.Signing.PrivateKey()
        let config = try load([
            "S3_BUCKET": "ringo-files", "S3_ENDPOINT": "http://127.0.0.1:9000/", "S3_ACCESS_KEY": "ak",
            "S3_SECRET_KEY": "sk",
            "S3_REGION": "eu-central-1", "TELEGRAM_BOT_TOKEN": "1:abc", "TELEGRAM_API_BASE": "http://127.0.0.1:8081/",
            "VAPID_PUBLIC_KEY": Base64URL.encode(key.publicKey.x963Representation),
            "VAPID_PRIVATE_KEY": Base64URL.encode(key.rawRepresentation), "VAPID_SUBJECT": "mailto:admin@example.ru",
            "UPLOAD_MAX_BYTES": "2048",
        ]).get()
        #expect(
            config.fileStorage
                == .s3(
                    S3Settings(
                        endpoint: "http://127.0.0.1:9000", bucket: "ringo-files", accessKey: "ak", secretKey: "sk",
                        region: "eu-central-1")))
        #expect(config.telegram?.apiBase == "http://127.0.0.1:8081")
        #expect(config.telegram?.webhookSecret == TelegramSettings.derivedSecret(token: "1:abc"))
        #expect(config.webPush?.subject == "mailto:admin@example.ru")
        #expect(config.uploadMaxBytes == 2048)
    }

    @Test func everyProblemIsReportedAtOnce() {
        let other = P256.Signing.PrivateKey()
        guard
            case .failure(let error) = load([
                "S3_BUCKET": "Bad_Bucket", "S3_ENDPOINT": "minio:9000", "TELEGRAM_BOT_TOKEN": "1:abc",
                "TELEGRAM_API_BASE": "ftp://x",
                "VAPID_PUBLIC_KEY": Base64URL.encode(other.publicKey.x963Representation),
                "VAPID_PRIVATE_KEY": Base64URL.encode(P256.Signing.PrivateKey().rawRepresentation),
                "VAPID_SUBJECT": "admin",
                "NOTIFY_MAX_ATTEMPTS": "0",
            ])
        else {
            Issue.record("expected a configuration error")
            return
        }
        let text = error.description
        for expected in [
            "S3_ENDPOINT", "S3_ACCESS_KEY", "S3_SECRET_KEY", "S3_BUCKET", "TELEGRAM_API_BASE", "VAPID_SUBJECT",
            "does not belong", "NOTIFY_MAX_ATTEMPTS",
        ] {
            #expect(text.contains(expected), "missing \(expected) in \(text)")
        }
        guard case .failure(let lone) = load(["S3_ACCESS_KEY": "ak", "VAPID_PUBLIC_KEY": "abc"]) else {
            Issue.record("expected a configuration error")
            return
        }
        #expect(lone.description.contains("S3_BUCKET"))
        #expect(lone.description.contains("set together"))
    }

    @Test func retryPausesDoubleEachTime() {
        let retry = NotificationRetrySettings(maxAttempts: 4, baseDelay: 30)
        #expect([1, 2, 3].map(retry.delay(after:)) == [30, 60, 120])
    }
}

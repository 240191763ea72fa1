import AsyncHTTPClient
import Crypto
import Foundation
import NIOCore
import Vapor

/// A browser's push subscription (`PushSubscription.toJSON()`): where to post and how to encrypt.
struct WebPushSubscription: Sendable, Equatable {
    var endpoint: String
    /// The browser's P-256 public key, 65 bytes uncompressed (`keys.p256dh`).
    var p256dh: [UInt8]
    /// The 16-byte authentication secret (`keys.auth`).
    var auth: [UInt8]

    /// Reads `{endpoint, keys: {p256dh, auth}}`; nil when a part is missing or malformed.
    init?(json: [String: JSONValue]) {
        guard let endpoint = json["endpoint"]?.stringValue, let keys = json["keys"]?.objectValue,
            let p256dh = keys["p256dh"]?.stringValue.flatMap(Base64URL.decode), p256dh.count == 65,
            p256dh.first == 0x04,
            let auth = keys["auth"]?.stringValue.flatMap(Base64URL.decode), auth.count == 16,
            (try? P256.KeyAgreement.PublicKey(x963Representation: p256dh)) != nil
        else { return nil }
        self.init(endpoint: endpoint, p256dh: p256dh, auth: auth)
    }

    init(endpoint: String, p256dh: [UInt8], auth: [UInt8]) {
        self.endpoint = endpoint
        self.p256dh = p256dh
        self.auth = auth
    }

    var json: JSONValue {
        .object([
            "endpoint": .string(endpoint),
            "keys": .object(["p256dh": .string(Base64URL.encode(p256dh)), "auth": .string(Base64URL.encode(auth))]),
        ])
    }

    /// `https://push.example.net` of the endpoint: the VAPID audience.
    var origin: String? {
        guard let components = URLComponents(string: endpoint), let scheme = components.scheme,
            let host = components.host
        else { return nil }
        return "\(scheme)://\(host)" + (components.port.map { ":\($0)" } ?? "")
    }
}

/// Sends one Web Push message: a boundary of the process, so tests can use a fake.
protocol WebPushSending: Sendable {
    /// - Parameter address: the IP address checked for the endpoint's host, to connect to instead of looking
    ///   the host up again; nil when the endpoint names an address itself.
    func send(_ payload: [UInt8], to subscription: WebPushSubscription, connectingTo address: String?) async throws
}

/// RFC 8291 message encryption (`aes128gcm`, RFC 8188), one record.
enum WebPushCrypto {
    /// A single record holds up to 4096 bytes of ciphertext: 4096 − 16 (tag) − 1 (delimiter) bytes of text.
    static let recordSize: UInt32 = 4096
    static let maxPlaintext = Int(recordSize) - 17

    struct EncryptionError: Error, CustomStringConvertible {
        var description: String
    }

    /// Encrypts `plaintext` for the subscriber. The sender key and salt are parameters so the RFC's
    /// example can be reproduced; production passes fresh random ones.
    static func encrypt(
        _ plaintext: [UInt8], subscription: WebPushSubscription,
        senderKey: P256.KeyAgreement.PrivateKey = P256.KeyAgreement.PrivateKey(),
        salt: [UInt8] = randomBytes(16)
    ) throws -> [UInt8] {
        guard plaintext.count <= maxPlaintext else { throw EncryptionError(description: "push payload too large") }
        guard salt.count == 16 else { throw EncryptionError(description: "salt must be 16 bytes") }
        let receiverKey = try P256.KeyAgreement.PublicKey(x963Representation: subscription.p256dh)
        let shared = try senderKey.sharedSecretFromKeyAgreement(with: receiverKey)
        let ecdhSecret = shared.withUnsafeBytes { Array($0) }
        let senderPublic = Array(senderKey.publicKey.x963Representation)

        // IKM = HKDF(auth_secret, ecdh_secret, "WebPush: info" || 0x00 || ua_public || as_public, 32)
        let keyInfo = Array("WebPush: info".utf8) + [0] + subscription.p256dh + senderPublic
        let prkKey = hmac(key: subscription.auth, ecdhSecret)
        let ikm = hmac(key: prkKey, keyInfo + [1])
        // PRK = HKDF-Extract(salt, IKM); CEK and NONCE from HKDF-Expand with their info strings.
        let prk = hmac(key: salt, ikm)
        let cek = Array(hmac(key: prk, Array("Content-Encoding: aes128gcm".utf8) + [0, 1]).prefix(16))
        let nonce = Array(hmac(key: prk, Array("Content-Encoding: nonce".utf8) + [0, 1]).prefix(12))

        let sealed = try AES.GCM.seal(
            plaintext + [0x02], using: SymmetricKey(data: cek), nonce: try AES.GCM.Nonce(data: nonce))
        var header = salt
        header += withUnsafeBytes(of: recordSize.bigEndian) { Array($0) }
        header.append(UInt8(senderPublic.count))
        header += senderPublic
        return header + Array(sealed.ciphertext) + Array(sealed.tag)
    }

    static func hmac(key: [UInt8], _ data: [UInt8]) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: data, using: SymmetricKey(data: key)))
    }

    static func randomBytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }
}

/// VAPID (RFC 8292): an ES256 JWT naming the push service's origin, signed with the server's key.
struct VAPIDSigner: Sendable {
    let privateKey: P256.Signing.PrivateKey
    let subject: String

    init(settings: WebPushSettings) throws {
        guard let bytes = Base64URL.decode(settings.privateKey) else {
            throw WebPushCrypto.EncryptionError(description: "VAPID private key is not base64url")
        }
        privateKey = try P256.Signing.PrivateKey(rawRepresentation: bytes)
        subject = settings.subject
    }

    var publicKey: String { Base64URL.encode(privateKey.publicKey.x963Representation) }

    /// `vapid t=<jwt>, k=<public key>` for a request to `audience`, valid for 12 hours.
    func authorization(audience: String, now: Date = Date()) throws -> String {
        let header = Base64URL.encode(Array(#"{"typ":"JWT","alg":"ES256"}"#.utf8))
        let claims: [String: JSONValue] = [
            "aud": .string(audience), "exp": .number(Decimal(Int(now.timeIntervalSince1970) + 12 * 3600)),
            "sub": .string(subject),
        ]
        let body = Base64URL.encode(Array(JSONValue.object(claims).jsonText.utf8))
        let signingInput = header + "." + body
        let signature = try privateKey.signature(for: Data(signingInput.utf8))
        return "vapid t=\(signingInput).\(Base64URL.encode(signature.rawRepresentation)), k=\(publicKey)"
    }
}

/// Posts encrypted messages to push services with VAPID authentication. The client must not follow
/// redirects (`makeClient`): the endpoint was checked, the address a redirect names was not. What a
/// push service answers goes to the server log; the delivery log the user reads gets only the status.
struct HTTPWebPushSender: WebPushSending {
    let vapid: VAPIDSigner
    let client: HTTPClient
    var logger = Logger(label: "ringo.webpush")
    var timeout: TimeAmount = .seconds(10)
    /// How long the push service keeps an undelivered message.
    var timeToLive = 24 * 3600

    /// A client of its own for push services, with redirects off (the shared client follows them).
    /// `dnsOverride` connects to a given address while TLS still names and verifies the host.
    static func makeClient(eventLoopGroup: any EventLoopGroup, dnsOverride: [String: String] = [:]) -> HTTPClient {
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow, timeout: .init(connect: .seconds(5), read: .seconds(10)),
            connectionPool: .init())
        configuration.dnsOverride = dnsOverride
        return HTTPClient(eventLoopGroup: eventLoopGroup, configuration: configuration)
    }

    func send(_ payload: [UInt8], to subscription: WebPushSubscription, connectingTo address: String?) async throws {
        guard let audience = subscription.origin else { throw DeliveryFailure.gone("адрес подписки некорректен") }
        let body: [UInt8]
        let authorization: String
        do {
            body = try WebPushCrypto.encrypt(payload, subscription: subscription)
            authorization = try vapid.authorization(audience: audience)
        } catch {
            logger.error("web push message not encrypted", metadata: ["error": "\(error)"])
            throw DeliveryFailure.permanent("не удалось зашифровать сообщение")
        }
        var request = HTTPClientRequest(url: subscription.endpoint)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/octet-stream")
        request.headers.add(name: "Content-Encoding", value: "aes128gcm")
        request.headers.add(name: "TTL", value: String(timeToLive))
        request.headers.add(name: "Urgency", value: "normal")
        request.headers.add(name: "Authorization", value: authorization)
        request.body = .bytes(ByteBuffer(bytes: body))
        let code: UInt
        let text: String
        do {
            (code, text) = try await post(request, host: URL(string: subscription.endpoint)?.host, address: address)
        } catch {
            logger.warning("push service unreachable", metadata: ["origin": "\(audience)", "error": "\(error)"])
            throw DeliveryFailure.retryable("служба push недоступна")
        }
        if !(200..<300).contains(code) {
            logger.warning(
                "push service refused the message",
                metadata: ["origin": "\(audience)", "status": "\(code)", "body": "\(text.prefix(500))"])
        }
        let generic = "ошибка доставки, код \(code)"
        switch code {
        case 200..<300: return
        case 404, 410: throw DeliveryFailure.gone("подписка больше не действует (\(generic))")
        case 429, 500...599: throw DeliveryFailure.retryable(generic)
        default: throw DeliveryFailure.permanent(generic)
        }
    }
}

extension HTTPWebPushSender {
    /// Posts through a client pinned to `address` for `host` (made for this one request), or through the
    /// shared push client when there is nothing to pin. Returns the status and the first 4 KiB of the body,
    /// read before a pinned client is shut down.
    private func post(_ request: HTTPClientRequest, host: String?, address: String?) async throws -> (UInt, String) {
        func exchange(_ client: HTTPClient) async throws -> (UInt, String) {
            let response = try await client.execute(request, timeout: timeout)
            let body = (try? await response.body.collect(upTo: 4 * 1024)).map { String(buffer: $0) } ?? ""
            return (response.status.code, body)
        }
        guard let host, let address else { return try await exchange(client) }
        let pinned = Self.makeClient(eventLoopGroup: client.eventLoopGroup, dnsOverride: [host: address])
        do {
            let result = try await exchange(pinned)
            try? await pinned.shutdown()
            return result
        } catch {
            try? await pinned.shutdown()
            throw error
        }
    }
}

/// Shuts the push client down with the application.
struct PushHTTPClientLifecycle: LifecycleHandler {
    let client: HTTPClient

    func shutdownAsync(_ application: Application) async {
        try? await client.shutdown()
    }
}

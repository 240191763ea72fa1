import Crypto
import Foundation
import Testing

@testable import App

/// RFC 8291 (Message Encryption for Web Push) and RFC 8292 (VAPID).
@Suite("Web Push: RFC 8291 encryption and VAPID")
struct WebPushCryptoTests {
    // RFC 8291, Section 5 / Appendix A.
    static let plaintext = "When I grow up, I want to be a watermelon"
    static let authSecret = "BTBZMqHH6r4Tts7J_aSIgg"
    static let receiverPublic =
        "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4"
    static let receiverPrivate = "q1dXpw3UpT5VOmu_cf_v6ih07Aems3njxI-JWgLcM94"
    static let senderPublic = "BP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A8"
    static let senderPrivate = "yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw"
    static let salt = "DGv6ra1nlYgDCS1FRnbzlw"
    static let body =
        "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27ml"
        + "mlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPT"
        + "pK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN"

    static func bytes(_ text: String) throws -> [UInt8] { try #require(Base64URL.decode(text)) }

    static func rfcSubscription() throws -> WebPushSubscription {
        WebPushSubscription(
            endpoint: "https://push.example.net/push/JzLQ3raZJfFBR0aqvOMsLrt54w4rJUsV",
            p256dh: try bytes(receiverPublic), auth: try bytes(authSecret))
    }

    @Test func encryptionReproducesTheRFCExampleByteForByte() throws {
        let senderKey = try P256.KeyAgreement.PrivateKey(rawRepresentation: try Self.bytes(Self.senderPrivate))
        #expect(Base64URL.encode(senderKey.publicKey.x963Representation) == Self.senderPublic)
        let encrypted = try WebPushCrypto.encrypt(
            Array(Self.plaintext.utf8), subscription: try Self.rfcSubscription(), senderKey: senderKey,
            salt: try Self.bytes(Self.salt))
        #expect(Base64URL.encode(encrypted) == Self.body)
    }

    @Test func theRFCBodyDecryptsWithTheReceiverKey() throws {
        let receiver = try P256.KeyAgreement.PrivateKey(rawRepresentation: try Self.bytes(Self.receiverPrivate))
        #expect(Base64URL.encode(receiver.publicKey.x963Representation) == Self.receiverPublic)
        let plain = try PushDecryption.decrypt(
            try Self.bytes(Self.body), receiver: receiver, authSecret: try Self.bytes(Self.authSecret))
        #expect(String(decoding: plain, as: UTF8.self) == Self.plaintext)
    }

    @Test func freshKeysRoundTripAndDiffer() throws {
        let receiver = P256.KeyAgreement.PrivateKey()
        let auth = WebPushCrypto.randomBytes(16)
        let subscription = WebPushSubscription(
            endpoint: "https://push.example.net/x", p256dh: Array(receiver.publicKey.x963Representation), auth: auth)
        let message = Array(#"{"title":"Заказ #000001 в работе"}"#.utf8)
        let first = try WebPushCrypto.encrypt(message, subscription: subscription)
        let second = try WebPushCrypto.encrypt(message, subscription: subscription)
        #expect(first != second)
        #expect(try PushDecryption.decrypt(first, receiver: receiver, authSecret: auth) == message)
        #expect(throws: (any Error).self) {
            try WebPushCrypto.encrypt(
                [UInt8](repeating: 65, count: WebPushCrypto.maxPlaintext + 1), subscription: subscription)
        }
    }

    @Test func vapidTokenIsAnES256JWTForTheEndpointOrigin() throws {
        let key = P256.Signing.PrivateKey()
        let settings = WebPushSettings(
            publicKey: Base64URL.encode(key.publicKey.x963Representation),
            privateKey: Base64URL.encode(key.rawRepresentation),
            subject: "mailto:admin@example.ru")
        #expect(settings.keyProblem == nil)
        let signer = try VAPIDSigner(settings: settings)
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        let header = try signer.authorization(audience: "https://push.example.net", now: now)
        #expect(header.hasPrefix("vapid t="))
        #expect(header.hasSuffix(", k=\(settings.publicKey)"))
        let token = String(header.dropFirst("vapid t=".count).prefix { $0 != "," })
        let parts = token.split(separator: ".").map(String.init)
        try #require(parts.count == 3)
        let claims = JSONValue.parse(String(decoding: try Self.bytes(parts[1]), as: UTF8.self))
        #expect(claims?["aud"]?.stringValue == "https://push.example.net")
        #expect(claims?["sub"]?.stringValue == "mailto:admin@example.ru")
        #expect(claims?["exp"]?.intValue == 1_700_000_000 + 12 * 3600)
        #expect(
            JSONValue.parse(String(decoding: try Self.bytes(parts[0]), as: UTF8.self))?["alg"]?.stringValue == "ES256")
        let signature = try P256.Signing.ECDSASignature(rawRepresentation: try Self.bytes(parts[2]))
        #expect(key.publicKey.isValidSignature(signature, for: Data((parts[0] + "." + parts[1]).utf8)))
    }

    @Test func mismatchedVAPIDKeysAreReported() {
        let one = P256.Signing.PrivateKey()
        let other = P256.Signing.PrivateKey()
        let settings = WebPushSettings(
            publicKey: Base64URL.encode(other.publicKey.x963Representation),
            privateKey: Base64URL.encode(one.rawRepresentation),
            subject: "mailto:a@b.ru")
        #expect(settings.keyProblem?.contains("does not belong") == true)
        #expect(WebPushSettings(publicKey: "x", privateKey: "not-a-key", subject: "mailto:a@b.ru").keyProblem != nil)
    }

    @Test func subscriptionJSONIsChecked() throws {
        let good: [String: JSONValue] = [
            "endpoint": .string("https://push.example.net/abc"),
            "keys": .object(["p256dh": .string(Self.receiverPublic), "auth": .string(Self.authSecret)]),
        ]
        let parsed = try #require(WebPushSubscription(json: good))
        #expect(parsed.origin == "https://push.example.net")
        var badKey = good
        badKey["keys"] = .object(["p256dh": .string("AAAA"), "auth": .string(Self.authSecret)])
        #expect(WebPushSubscription(json: badKey) == nil)
        #expect(WebPushSubscription(json: ["endpoint": .string("https://x")]) == nil)
    }
}

/// An independent receiver (what a browser does), written from RFC 8291 §3.4 and RFC 8188 §2.
enum PushDecryption {
    struct Failure: Error {}

    static func decrypt(_ body: [UInt8], receiver: P256.KeyAgreement.PrivateKey, authSecret: [UInt8]) throws -> [UInt8]
    {
        guard body.count > 21 else { throw Failure() }
        let salt = Array(body[0..<16])
        let idLength = Int(body[20])
        guard body.count > 21 + idLength else { throw Failure() }
        let senderPublic = Array(body[21..<(21 + idLength)])
        let ciphertext = Array(body[(21 + idLength)...])
        let sender = try P256.KeyAgreement.PublicKey(x963Representation: senderPublic)
        let shared = try receiver.sharedSecretFromKeyAgreement(with: sender)
        let info = Array("WebPush: info".utf8) + [0] + Array(receiver.publicKey.x963Representation) + senderPublic
        let ikm = shared.hkdfDerivedSymmetricKey(
            using: SHA256.self, salt: authSecret, sharedInfo: info, outputByteCount: 32)
        let ikmBytes = ikm.withUnsafeBytes { Array($0) }
        let cek = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: ikmBytes), salt: salt,
            info: Array("Content-Encoding: aes128gcm".utf8) + [0],
            outputByteCount: 16)
        let nonce = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: ikmBytes), salt: salt,
            info: Array("Content-Encoding: nonce".utf8) + [0],
            outputByteCount: 12)
        let box = try AES.GCM.SealedBox(
            nonce: try AES.GCM.Nonce(data: nonce.withUnsafeBytes { Array($0) }), ciphertext: ciphertext.dropLast(16),
            tag: ciphertext.suffix(16))
        var plain = Array(try AES.GCM.open(box, using: cek))
        while plain.last == 0 { plain.removeLast() }
        guard plain.last == 2 else { throw Failure() }
        plain.removeLast()
        return plain
    }
}

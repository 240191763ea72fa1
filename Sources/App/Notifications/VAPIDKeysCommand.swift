import Crypto
import Vapor

/// `ringo vapid-keys`: prints a new VAPID key pair for `.env`.
struct VAPIDKeysCommand: AsyncCommand {
    struct Signature: CommandSignature {}

    var help: String { "Prints a new VAPID key pair (VAPID_PUBLIC_KEY / VAPID_PRIVATE_KEY) for Web Push." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let key = P256.Signing.PrivateKey()
        context.console.print("VAPID_PUBLIC_KEY=\(Base64URL.encode(key.publicKey.x963Representation))")
        context.console.print("VAPID_PRIVATE_KEY=\(Base64URL.encode(key.rawRepresentation))")
    }
}

import Domain
import Fluent
import Vapor

/// `ringo seed-demo`: loads the demo catalog, clients and orders (idempotent).
/// Demo passwords for the seeded operators only with `--demo-passwords`, and never in production.
struct SeedDemoCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Flag(name: "demo-passwords", help: "Give the demo operators the demo passwords (not in production)")
        var demoPasswords: Bool
    }

    var help: String { "Loads demo data: catalog, operators, clients and orders." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        if signature.demoPasswords, app.config.isProduction {
            throw CommandFailure("--demo-passwords is not allowed when RINGO_ENV=production")
        }
        try await app.migrateWithLock()
        if let notice = try await AdminBootstrap.ensureAdmin(app: app) { context.console.print(notice) }
        let summary = try await DemoSeed.run(app: app, demoPasswords: signature.demoPasswords)
        context.console.print(summary)
    }
}

enum DemoSeed {
    struct DemoOperator {
        var phone: String
        var firstName: String
        var lastName: String
        var demoPassword: String
    }

    static let operators = [
        DemoOperator(phone: "+79187773456", firstName: "Сергей", lastName: "Осипов", demoPassword: "sos12345"),
        DemoOperator(phone: "+79187774365", firstName: "Алексей", lastName: "Минин", demoPassword: "amin12345"),
    ]

    static func run(app: Application, demoPasswords: Bool) async throws -> String {
        var lines: [String] = []
        for demo in operators {
            guard let phone = PhoneNumber(demo.phone) else { continue }
            let existing = try await User.query(on: app.db).filter(\.$phone == phone.e164).first()
            let password = demoPasswords ? demo.demoPassword : AdminBootstrap.randomPassword()
            if let existing {
                if demoPasswords { existing.passwordHash = try await app.password.async.hash(password) }
                existing.isActive = true
                existing.role = .operator
                try await existing.save(on: app.db)
            } else {
                let user = User(
                    phone: phone, firstName: demo.firstName, lastName: demo.lastName, role: .operator,
                    passwordHash: try await app.password.async.hash(password))
                try await user.save(on: app.db)
                lines.append("оператор \(phone.e164)" + (demoPasswords ? " пароль \(password)" : ""))
            }
        }
        for seeder in extraSeeders { lines.append(contentsOf: try await seeder(app)) }
        return (["демо-данные загружены"] + lines).joined(separator: "\n")
    }

    /// Later features (catalog, clients, orders) add their demo rows here.
    static var extraSeeders: [@Sendable (Application) async throws -> [String]] {
        [seedCatalog(app:), seedClients(app:), seedOrders(app:)]
    }
}

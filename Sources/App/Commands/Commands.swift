import Domain
import Fluent
import SQLKit
import Vapor

func registerCommands(_ app: Application) {
    app.asyncCommands.use(MigrateCommand(), as: "migrate")
    app.asyncCommands.use(CreateAdminCommand(), as: "create-admin")
    app.asyncCommands.use(SeedDemoCommand(), as: "seed-demo")
    app.asyncCommands.use(BackupCommand(), as: "backup")
    app.asyncCommands.use(RestoreCommand(), as: "restore")
    app.asyncCommands.use(WorkerCommand(), as: "worker")
    app.asyncCommands.use(RefreshLineFiguresCommand(), as: "refresh-line-figures")
    app.asyncCommands.use(ImportOriginalCommand(), as: "import-original")
    app.asyncCommands.use(ImportTableCommand(), as: "import-table")
}

/// `ringo refresh-line-figures` re-prices the stored figures of every order line (see `LineFiguresRefresh`).
struct RefreshLineFiguresCommand: AsyncCommand {
    struct Signature: CommandSignature {}

    var help: String { "Re-prices the stored totals and display figures of every order line." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        try await app.migrateWithLock()
        let count = try await LineFiguresRefresh.run(on: app.db)
        context.console.print("refreshed the lines of \(count) orders")
    }
}

/// `ringo migrate` applies pending migrations; `ringo migrate --list` shows applied and pending ones.
struct MigrateCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Flag(name: "list", short: "l", help: "List applied and pending migrations without applying anything")
        var list: Bool
    }

    var help: String { "Applies pending database migrations (or lists them with --list)." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        if signature.list {
            let applied = try await MigrationListing.applied(on: app.db)
            for migration in AppMigrations.all {
                let name = migration.name
                context.console.print("[\(applied.contains(name) ? "X" : " ")] \(name)")
            }
            return
        }
        try await app.migrateWithLock()
        context.console.print("migrations are up to date")
    }
}

enum MigrationListing {
    static func applied(on db: any Database) async throws -> Set<String> {
        do {
            let rows = try await (try db.sql()).raw("SELECT name FROM _fluent_migrations").all()
            return Set(try rows.map { try $0.decode(column: "name", as: String.self) })
        } catch {
            return []  // the table does not exist before the first migration
        }
    }
}

/// `ringo create-admin --phone P --password-stdin` (or `--password-file PATH`): creates that admin, or
/// resets its password and role. The password never goes on the command line, where `ps` and the shell
/// history would show it.
struct CreateAdminCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "phone", help: "Phone number, e.g. +79991234567") var phone: String?
        @Flag(name: "password-stdin", help: "Read the password from the first line of standard input")
        var passwordStdin: Bool
        @Option(name: "password-file", help: "Read the password from the first line of this file") var passwordFile:
            String?
        @Option(name: "password", help: "Removed: use --password-stdin or --password-file") var removedPassword: String?
        @Option(name: "first-name") var firstName: String?
        @Option(name: "last-name") var lastName: String?
    }

    var help: String { "Creates an administrator, or resets the password of an existing one." }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard let rawPhone = signature.phone, let phone = PhoneNumber(rawPhone) else {
            throw CommandFailure("--phone is required and must be a valid phone number")
        }
        let password = try Self.password(signature)
        let problems = PasswordPolicy.problems(password)
        guard problems.isEmpty else { throw CommandFailure(problems.joined(separator: " ")) }
        let app = context.application
        try await app.migrateWithLock()
        let created = try await AdminBootstrap.upsertAdmin(
            phone: phone, password: password, firstName: signature.firstName, lastName: signature.lastName, app: app)
        context.console.print(created ? "admin \(phone.e164) created" : "admin \(phone.e164) updated")
    }

    static func password(_ signature: Signature) throws -> String {
        if signature.removedPassword != nil {
            throw CommandFailure(
                "--password was removed (a command line is visible to every user of the machine): "
                    + "use --password-stdin "
                    + "(e.g. `printf '%s\\n' \"$PW\" | ringo create-admin --phone … --password-stdin`) "
                    + "or --password-file PATH")
        }
        switch (signature.passwordStdin, signature.passwordFile) {
        case (true, nil):
            guard let line = readLine(strippingNewline: true), !line.isEmpty else {
                throw CommandFailure("--password-stdin: no password on standard input")
            }
            return line
        case (false, let path?):
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw CommandFailure("--password-file: cannot read \(path)")
            }
            let password =
                text.split(maxSplits: 1, omittingEmptySubsequences: false, whereSeparator: \.isNewline)
                .first.map(String.init) ?? ""
            guard !password.isEmpty else { throw CommandFailure("--password-file: \(path) holds no password") }
            return password
        case (true, _?):
            throw CommandFailure("use either --password-stdin or --password-file, not both")
        case (false, nil):
            throw CommandFailure("the password is required: --password-stdin or --password-file PATH")
        }
    }
}

struct CommandFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Makes sure an active admin exists when the server starts.
enum AdminBootstrap {
    static let defaultPhone = "+79991234567"

    /// Creates or updates the admin with this phone. Returns true when a new user was created.
    @discardableResult
    static func upsertAdmin(
        phone: PhoneNumber, password: String, firstName: String? = nil, lastName: String? = nil, app: Application
    ) async throws -> Bool {
        let hash = try await app.password.async.hash(password)
        if let user = try await User.query(on: app.db).filter(\.$phone == phone.e164).first() {
            user.passwordHash = hash
            user.role = .admin
            user.isActive = true
            if let firstName { user.firstName = firstName }
            if let lastName { user.lastName = lastName }
            try await user.save(on: app.db)
            try await TokenService.revokeAll(of: user.id ?? 0, on: app.db)
            return false
        }
        let user = User(
            phone: phone, firstName: firstName ?? "Администратор", lastName: lastName ?? "", role: .admin,
            passwordHash: hash)
        try await user.save(on: app.db)
        return true
    }

    /// On start: when no active admin exists, create one from the environment, or (embedded default
    /// only) with a random password that is printed once.
    static func ensureAdmin(app: Application) async throws -> String? {
        let config = app.config
        let admins = try await User.query(on: app.db)
            .filter(\.$roleValue == Role.admin.rawValue).filter(\.$isActive == true).count()
        guard admins == 0 else { return nil }
        if let rawPhone = config.adminPhone, let password = config.adminPassword, let phone = PhoneNumber(rawPhone) {
            try await upsertAdmin(phone: phone, password: password, app: app)
            return "Администратор \(phone.e164) создан из RINGO_ADMIN_PHONE / RINGO_ADMIN_PASSWORD."
        }
        guard !config.isProduction, let phone = PhoneNumber(defaultPhone) else {
            app.logger.warning("no active admin: run `ringo create-admin --phone … --password-stdin`")
            return nil
        }
        let password = randomPassword()
        try await upsertAdmin(phone: phone, password: password, app: app)
        return
            "Создан администратор: телефон \(phone.e164), пароль \(password) (показан один раз; смените его в профиле)."
    }

    static func randomPassword() -> String {
        let alphabet = Array("abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<14).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
    }
}

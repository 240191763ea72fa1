import App
import Foundation
import Logging
import Vapor

@main
enum Entrypoint {
    static func main() async throws {
        var env = try Environment.detect()
        try LoggingSystem.bootstrap(from: &env)

        let config: AppConfig
        do {
            config = try AppConfig.load(from: ProcessInfo.processInfo.environment)
        } catch let error as ConfigError {
            FileHandle.standardError.write(Data((error.description + "\n").utf8))
            exit(2)
        }

        let app = try await Application.make(env)
        var failed = false
        do {
            try await configure(app, config: config)
            try await startup(app)
        } catch {
            app.logger.report(error: error)
            failed = true
        }
        if !failed {
            do {
                try await app.execute()
            } catch {
                failed = true  // execute() has reported it
            }
        }
        try? await app.asyncShutdown()
        // A failed command (a backup at night, a refused restore) exits with status 1 and its message,
        // not with a crash report: an error thrown out of `main` traps.
        if failed { exit(1) }
    }

    /// `serve` (the default command) migrates, makes sure an admin exists and says where to log in.
    private static func startup(_ app: Application) async throws {
        let command = CommandLine.arguments.dropFirst().first { !$0.hasPrefix("-") } ?? "serve"
        guard command == "serve" || command == "worker" else { return }
        try await app.migrateWithLock()
        if command == "serve" {
            let notice = try await app.prepareForServing()
            for line in notice { print(line) }
        }
    }
}

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
        do {
            try await configure(app, config: config)
            try await startup(app)
            try await app.execute()
        } catch {
            app.logger.report(error: error)
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
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

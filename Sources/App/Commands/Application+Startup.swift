import Documents
import Vapor

extension Application {
    /// Creates the first admin when needed; returns the lines to print to the operator.
    public func prepareForServing() async throws -> [String] {
        var lines: [String] = []
        if let created = try await AdminBootstrap.ensureAdmin(app: self) { lines.append(created) }
        // On the embedded default the jobs run inside `serve`; with RINGO_EXTERNAL_WORKER `ringo worker` runs them.
        if config.runJobsInProcess, config.mode != .testing { useInProcessJobWorker() }
        let arguments = CommandLine.arguments
        func option(_ name: String) -> String? {
            guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return nil }
            return arguments[index + 1]
        }
        let host = option("--hostname") ?? option("-H") ?? http.server.configuration.hostname
        let port = option("--port") ?? option("-p") ?? String(http.server.configuration.port)
        let address = "http://\(host == "0.0.0.0" ? "127.0.0.1" : host):\(port)/"
        lines.append("Ринго Учёт: откройте \(address) и войдите по телефону и паролю.")
        if case .sqliteFile(let path) = config.database { lines.append("База данных: \(path)") }
        if case .failure(let missing) = DocumentFonts.load() {
            lines.append("Внимание: документы PDF недоступны. \(missing)")
            logger.warning("document fonts missing", metadata: ["directory": .string(missing.directory)])
        }
        return lines
    }
}

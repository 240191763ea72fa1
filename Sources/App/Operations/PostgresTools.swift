import Foundation
import SQLKit

/// Where and how `pg_dump` / `pg_restore` connect: exactly the database of `DATABASE_URL`.
/// The password goes into the child's environment (`PGPASSWORD`), never onto its command line.
struct PostgresConnectionParameters: Sendable, Equatable {
    var host: String
    var port: Int
    var user: String
    var password: String?
    var database: String
    /// libpq's `sslmode`, translated from the URL's `sslmode` / `tlsmode` / `ssl` / `tls`.
    var sslMode: String

    init(url: String) throws {
        guard let components = URLComponents(string: url), let host = components.host, !host.isEmpty,
            let user = components.user, !user.isEmpty
        else { throw OperationsError("DATABASE_URL is not a postgres://user[:password]@host[:port]/database URL") }
        let database = String(components.path.drop(while: { $0 == "/" }))
        guard !database.isEmpty, !database.contains("/") else {
            throw OperationsError("DATABASE_URL names no database (postgres://user@host:port/DATABASE)")
        }
        self.host = host
        self.port = components.port ?? 5432
        self.user = user
        self.password = components.password
        self.database = database.removingPercentEncoding ?? database
        let names: Set<String> = ["sslmode", "tlsmode", "ssl", "tls"]
        let mode = components.queryItems?.last { names.contains($0.name.lowercased()) }?.value?.lowercased()
        switch mode {
        case nil, "prefer", "true": sslMode = "prefer"
        case "disable", "false": sslMode = "disable"
        case "allow", "require", "verify-ca", "verify-full": sslMode = mode ?? "prefer"
        default: throw OperationsError("DATABASE_URL has an unknown sslmode")
        }
    }

    /// A libpq keyword/value connection string without the password (it may show up in `ps`).
    var connectionString: String {
        func quoted(_ value: String) -> String {
            "'" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'") + "'"
        }
        return [
            "host=\(quoted(host))", "port=\(port)", "user=\(quoted(user))", "dbname=\(quoted(database))",
            "sslmode=\(sslMode)",
        ].joined(separator: " ")
    }

    /// The child's environment: ours, minus every libpq variable that could point it at another server or
    /// database, plus the password.
    var environment: [String: String] {
        var environment = ProcessInfo.processInfo.environment
        for key in [
            "PGHOST", "PGHOSTADDR", "PGPORT", "PGDATABASE", "PGUSER", "PGPASSWORD", "PGSERVICE", "PGSERVICEFILE",
            "PGSSLMODE", "PGREQUIRESSL", "PGTARGETSESSIONATTRS",
        ] {
            environment[key] = nil
        }
        if let password { environment["PGPASSWORD"] = password }
        return environment
    }
}

/// Finds and runs the PostgreSQL client programs.
enum PostgresTools {
    /// The server's major version (`SHOW server_version_num`: 150013 → 15).
    static func serverMajorVersion(on sql: any SQLDatabase) async throws -> Int {
        let row = try await sql.raw("SHOW server_version_num").first()
        guard let text = try row?.decode(column: "server_version_num", as: String.self), let number = Int(text) else {
            throw OperationsError("cannot read the PostgreSQL server version")
        }
        return number / 10_000
    }

    /// A `tool` whose major version is the server's or newer: Debian's `/usr/lib/postgresql/<N>/bin` for the
    /// server's version, then newer installed versions, then `PATH`. An older `pg_dump` refuses to dump a newer
    /// server, and an older `pg_restore` cannot read a newer archive, so older ones are skipped.
    static func find(_ tool: String, serverMajor: Int) async throws -> URL {
        var candidates = ["/usr/lib/postgresql/\(serverMajor)/bin/\(tool)"]
        let installed = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        for major in installed.compactMap({ Int($0) }).filter({ $0 > serverMajor }).sorted() {
            candidates.append("/usr/lib/postgresql/\(major)/bin/\(tool)")
        }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") where !directory.isEmpty {
            candidates.append("\(directory)/\(tool)")
        }
        var rejected: [String] = []
        for candidate in candidates where FileManager.default.isExecutableFile(atPath: candidate) {
            let executable = URL(fileURLWithPath: candidate)
            let major = try? await majorVersion(of: executable)
            if let major, major >= serverMajor { return executable }
            rejected.append("\(candidate) (" + (major.map { "version \($0)" } ?? "unknown version") + ")")
        }
        throw OperationsError(
            "no \(tool) of PostgreSQL \(serverMajor) or newer found in /usr/lib/postgresql/*/bin or PATH"
                + (rejected.isEmpty ? "" : "; too old: " + rejected.joined(separator: ", "))
                + "; install postgresql-client-\(serverMajor)")
    }

    /// `pg_dump --version` prints "pg_dump (PostgreSQL) 15.13 (Debian 15.13-0+deb12u1)".
    static func majorVersion(of executable: URL) async throws -> Int? {
        let output = try await run(executable, arguments: ["--version"], environment: [:])
        guard let marker = output.range(of: "PostgreSQL) ") else { return nil }
        return Int(output[marker.upperBound...].prefix(while: \.isNumber))
    }

    /// Runs a program to completion and returns its standard output; throws with its error output when it fails.
    @discardableResult
    static func run(_ executable: URL, arguments: [String], environment: [String: String]) async throws -> String {
        let scratch = FileManager.default.temporaryDirectory
        let outputFile = scratch.appendingPathComponent("ringo-\(UUID().uuidString).out")
        let errorFile = scratch.appendingPathComponent("ringo-\(UUID().uuidString).err")
        defer {
            try? FileManager.default.removeItem(at: outputFile)
            try? FileManager.default.removeItem(at: errorFile)
        }
        // Files rather than pipes: a chatty child can never block on a full pipe.
        guard FileManager.default.createFile(atPath: outputFile.path, contents: nil),
            FileManager.default.createFile(atPath: errorFile.path, contents: nil)
        else { throw OperationsError("cannot create temporary files in \(scratch.path)") }
        let output = try FileHandle(forWritingTo: outputFile)
        let errors = try FileHandle(forWritingTo: errorFile)

        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = output
        process.standardError = errors
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { finished in continuation.resume(returning: finished.terminationStatus) }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                let failure = OperationsError("cannot run \(executable.path): \(error.localizedDescription)")
                continuation.resume(throwing: failure)
            }
        }
        try? output.close()
        try? errors.close()
        let standardOutput = (try? String(contentsOf: outputFile, encoding: .utf8)) ?? ""
        guard status == 0 else {
            let message = ((try? String(contentsOf: errorFile, encoding: .utf8)) ?? "")
                .trimmingCharacters(in: .whitespacesAndNewlines)
            throw OperationsError(
                "\(executable.lastPathComponent) failed (exit \(status))" + (message.isEmpty ? "" : ":\n\(message)"))
        }
        return standardOutput
    }
}

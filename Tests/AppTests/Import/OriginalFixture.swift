import Foundation
import Testing

/// The original system's database (`tests/fixtures/original-db/original-200.sql.gz`, a `pg_dump` of it filled
/// through its own API) restored into a scratch PostgreSQL database with `psql`.
///
/// The server is `RINGO_ORIGINAL_PG_URL` (CI exports it in both passes) or else `DATABASE_URL`; without a
/// reachable one (or without psql) the tests skip, and fail instead under `RINGO_REQUIRE_TOOLS=1`.
struct OriginalFixture {
    static let required = ProcessInfo.processInfo.environment["RINGO_REQUIRE_TOOLS"] == "1"
    static let psql = ["/usr/bin/psql", "/usr/local/bin/psql"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }
    /// A database URL on the server the scratch databases are created on.
    static let serverURL: String? = {
        let environment = ProcessInfo.processInfo.environment
        return [environment["RINGO_ORIGINAL_PG_URL"], environment["DATABASE_URL"]].compactMap { $0 }
            .first { $0.hasPrefix("postgres") }
    }()
    static let reachable: Bool = {
        guard let psql, let serverURL else { return false }
        return (try? run(psql, [serverURL, "-Atqc", "SELECT 1"]).status) == 0
    }()
    static let enabled = required || reachable
    static let skipReason: Comment = """
        no PostgreSQL for the original's database (RINGO_ORIGINAL_PG_URL or DATABASE_URL) or no psql; \
        RINGO_REQUIRE_TOOLS=1 fails instead
        """

    static var dump: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("tests/fixtures/original-db/original-200.sql.gz").path
    }

    let name: String
    let url: String
    private let serverURL: String

    /// Creates the scratch database and restores the dump into it.
    static func restore() throws -> OriginalFixture {
        let psql = try #require(psql, "RINGO_REQUIRE_TOOLS=1 but psql is missing")
        let serverURL = try #require(serverURL, "RINGO_REQUIRE_TOOLS=1 but no RINGO_ORIGINAL_PG_URL or DATABASE_URL")
        let base = URL(string: serverURL)?.lastPathComponent ?? "ringo"
        let name = "\(base)_original_\(UUID().uuidString.prefix(8).lowercased())"
        let created = try run(psql, [serverURL, "-Atqc", "CREATE DATABASE \(name)"])
        try #require(created.status == 0, "CREATE DATABASE failed: \(created.output)")
        let url = Self.replacingDatabase(of: serverURL, with: name)
        // psql older than 15.14 does not know the dump's first line (`\restrict …`); it is not needed.
        let restored = try run(
            "/bin/sh",
            [
                "-c",
                "gunzip -c \"$1\" | sed -e '/^\\\\restrict /d' -e '/^\\\\unrestrict /d' "
                    + "| \"$2\" \"$3\" -q -v ON_ERROR_STOP=1 >/dev/null",
                "restore", dump, psql, url,
            ])
        try #require(restored.status == 0, "restoring the dump failed: \(restored.output)")
        return OriginalFixture(name: name, url: url, serverURL: serverURL)
    }

    func drop() {
        guard let psql = Self.psql else { return }
        _ = try? Self.run(psql, [serverURL, "-Atqc", "DROP DATABASE IF EXISTS \(name) WITH (FORCE)"])
    }

    /// Rows of a query on the original, each a list of its columns' text.
    func query(_ sql: String) throws -> [[String]] {
        let psql = try #require(Self.psql)
        let result = try Self.run(psql, [url, "-AtqF", "\t", "-c", sql])
        try #require(result.status == 0, "query failed: \(result.output)")
        return result.output.split(separator: "\n", omittingEmptySubsequences: true).map {
            $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        }
    }

    static func replacingDatabase(of url: String, with name: String) -> String {
        guard var components = URLComponents(string: url) else { return url }
        components.path = "/" + name
        return components.string ?? url
    }

    static func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}

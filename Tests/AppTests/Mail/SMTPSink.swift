import Foundation
import Testing

/// `tests/support/smtp_sink.py` (aiosmtpd) run by a test: a real SMTP server on a free port that keeps every
/// message it accepts in a folder. Needs python3 with aiosmtpd: `RINGO_SMTP_PYTHON`, the CI's virtualenv
/// (`~/.cache/ringo-ci/aiosmtpd`, see .ci/run) or python3 on PATH.
final class SMTPSink: @unchecked Sendable {
    static let required = ProcessInfo.processInfo.environment["RINGO_REQUIRE_TOOLS"] == "1"

    /// A python3 that can import aiosmtpd, or nil.
    static let python: String? = {
        let environment = ProcessInfo.processInfo.environment
        let cache = environment["XDG_CACHE_HOME"] ?? ((environment["HOME"] ?? "/tmp") + "/.cache")
        let candidates = [
            environment["RINGO_SMTP_PYTHON"], cache + "/ringo-ci/aiosmtpd/bin/python", "/usr/bin/python3",
            "/usr/local/bin/python3",
        ].compactMap { $0 }
        return candidates.first { path in
            guard FileManager.default.isExecutableFile(atPath: path) else { return false }
            return (try? SMTPSink.run(path, ["-c", "import aiosmtpd"]).status) == 0
        }
    }()
    static let enabled = required || python != nil
    static let skipReason: Comment =
        "python3 with aiosmtpd is missing (pip install aiosmtpd); RINGO_REQUIRE_TOOLS=1 fails instead"

    static var script: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent(
                "tests/support/smtp_sink.py"
            ).path
    }

    let folder: URL
    let port: Int
    private let process: Process
    private let input: Pipe

    init(arguments: [String] = []) throws {
        let python = try #require(
            Self.python, "RINGO_REQUIRE_TOOLS=1 but no python3 with aiosmtpd (pip install aiosmtpd)")
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("ringo-smtp-\(UUID().uuidString)")
        process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [Self.script, folder.path] + arguments
        input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line += chunk
        }
        let text = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.hasPrefix("READY "), let port = Int(text.dropFirst(6)) else {
            process.terminate()
            throw SinkError(description: "smtp_sink.py did not start: \(text)")
        }
        self.port = port
    }

    /// Closing its stdin stops the server.
    func stop() {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: folder)
    }

    /// The raw messages received so far, in order.
    func messages() throws -> [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".eml") }.compactMap { name in Int(name.dropLast(4)).map { ($0, name) } }
            .sorted { $0.0 < $1.0 }.map { folder.appendingPathComponent($0.1) }
    }

    /// The envelope the server saw: `mail_from`, `rcpt_tos`, `auth`, `tls`.
    func envelope(of message: URL) throws -> [String: Any] {
        let data = try Data(contentsOf: message.deletingPathExtension().appendingPathExtension("json"))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// The message as Python's e-mail parser reads it (see `smtp_sink.py --parse`).
    func parsed(_ message: URL) throws -> [String: Any] {
        let result = try Self.run(try #require(Self.python), [Self.script, "--parse", message.path])
        guard result.status == 0 else { throw SinkError(description: "parse failed: \(result.output)") }
        return try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
    }

    static func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    struct SinkError: Error, CustomStringConvertible {
        var description: String
    }
}

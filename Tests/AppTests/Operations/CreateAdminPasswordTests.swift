import Foundation
import Testing
import Vapor

@testable import App

@Suite("Operations: create-admin takes the password from stdin or a file, never from an argument")
struct CreateAdminPasswordTests {
    private static func password(_ arguments: [String]) throws -> String {
        var input = CommandInput(arguments: ["ringo", "--phone", "+79990000777"] + arguments)
        return try CreateAdminCommand.password(try CreateAdminCommand.Signature(from: &input))
    }

    @Test func passwordFileGivesItsFirstLine() throws {
        let path = NSTemporaryDirectory() + "ringo-admin-pw-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: path) }
        try "Str0ng pass word\r\nignored\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try Self.password(["--password-file", path]) == "Str0ng pass word")

        try "\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: CommandFailure.self) { try Self.password(["--password-file", path]) }
        #expect(throws: CommandFailure.self) { try Self.password(["--password-file", path + ".missing"]) }
    }

    @Test func passwordArgumentIsRefusedWithTheWayOut() throws {
        let refusal = #expect(throws: CommandFailure.self) { try Self.password(["--password", "Str0ng-pass-word"]) }
        #expect(refusal?.description.contains("--password-stdin") == true)
        #expect(refusal?.description.contains("Str0ng-pass-word") == false)
        #expect(throws: CommandFailure.self) { try Self.password([]) }
        #expect(throws: CommandFailure.self) {
            try Self.password(["--password-stdin", "--password-file", "/dev/null"])
        }
    }
}

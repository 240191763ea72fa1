import Foundation
import Testing

@testable import Documents

/// Encodes, writes a PGM image and reads it back with zbarimg (zbar-tools), a decoder
/// written independently of this encoder. Skipped when zbarimg is missing unless
/// RINGO_REQUIRE_TOOLS=1, under which a missing tool fails the test.
@Suite struct DecoderRoundTripTests {
    static let gostPayment =
        "ST00012|Name=ООО «Ринго»|PersonalAcc=40702810900000012345|BankName=ПАО Сбербанк|BIC=044525225"
        + "|CorrespAcc=30101810400000000225|PayeeINN=7701234567|KPP=770101001|Sum=2300000"
        + "|Purpose=Оплата по счёту № 15 от 04.12.2026"
    /// The same with the optional payer and contract fields: over 400 bytes.
    static let longGostPayment =
        gostPayment
        + "|PayerINN=500100732259|LastName=Иванов|FirstName=Пётр|MiddleName=Сергеевич"
        + "|PayerAddress=г. Москва, ул. Строителей, д. 5, кв. 12|Contract=Договор аренды спецтехники № 7/2026"

    struct Payload: Sendable, CustomTestStringConvertible {
        let name: String
        let text: String
        var testDescription: String { "\(name) (\(text.utf8.count) bytes)" }
    }

    static let payloads = [
        Payload(name: "short ASCII", text: "Ringo Uchet"),
        Payload(name: "URL", text: "https://ringo.example/invoices/15?token=AbC123"),
        Payload(name: "ГОСТ payment", text: gostPayment),
        Payload(name: "long ГОСТ payment", text: longGostPayment),
        Payload(name: "hex digits", text: String(repeating: "0123456789ABCDEF", count: 60)),
    ]

    @Test(.enabled(if: Zbar.shouldRun, Zbar.skipReason), arguments: payloads, ErrorCorrection.allCases)
    func zbarReadsWhatWasWritten(payload: Payload, correction: ErrorCorrection) throws {
        let code = try QRCode(text: payload.text, correction: correction)
        let decoded = try Zbar.decode(code.pgm(scale: 4, quietZone: 4))
        #expect(decoded == payload.text, "version \(code.version), \(correction), mask \(code.mask)")
    }

    /// Version 40 filled to its byte-mode capacity (ISO/IEC 18004 Table 7).
    @Test(
        .enabled(if: Zbar.shouldRun, Zbar.skipReason),
        arguments: [
            (ErrorCorrection.low, 2953), (.medium, 2331), (.quartile, 1663), (.high, 1273),
        ])
    func zbarReadsTheLargestVersion(correction: ErrorCorrection, capacity: Int) throws {
        let text = String(String(repeating: "Ringo Uchet ", count: 250).prefix(capacity))
        let code = try QRCode(text: text, correction: correction)
        #expect(code.version == 40)
        #expect(try Zbar.decode(code.pgm(scale: 3, quietZone: 4)) == text)
    }
}

enum Zbar {
    static let executable: URL? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":")
            .map { URL(fileURLWithPath: String($0)).appendingPathComponent("zbarimg") }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }()

    static let toolsRequired = ProcessInfo.processInfo.environment["RINGO_REQUIRE_TOOLS"] == "1"

    static let skipReason: Comment =
        "zbarimg not found on PATH (apt-get install zbar-tools); set RINGO_REQUIRE_TOOLS=1 to fail instead"

    /// Run when the tool is there, or when it is required so that its absence fails.
    static var shouldRun: Bool {
        if executable == nil && !toolsRequired {
            print("DecoderRoundTripTests skipped: \(skipReason)")
        }
        return executable != nil || toolsRequired
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// The decoded text of the single symbol in the image.
    static func decode(_ pgm: [UInt8]) throws -> String {
        guard let executable else {
            throw Failure(description: "RINGO_REQUIRE_TOOLS=1 but zbarimg is not on PATH (apt-get install zbar-tools)")
        }
        let image = FileManager.default.temporaryDirectory
            .appendingPathComponent("ringo-qr-\(UUID().uuidString).pgm")
        try Data(pgm).write(to: image)
        defer { try? FileManager.default.removeItem(at: image) }

        let process = Process()
        process.executableURL = executable
        process.arguments = ["--raw", "-q", image.path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(description: "zbarimg exited with \(process.terminationStatus): no symbol read")
        }
        var text = String(decoding: data, as: UTF8.self)
        if text.hasSuffix("\n") { text.removeLast() }  // zbarimg ends each symbol with a newline
        return text
    }
}

import Foundation
import Vapor

/// `?export=csv|xlsx` (with `&sep=semicolon` for Excel with a Russian locale): how a list or report is downloaded.
struct ExportRequest: Sendable {
    enum Format: String, Sendable {
        case csv
        case xlsx

        var contentType: String {
            switch self {
            case .csv: "text/csv; charset=utf-8"
            case .xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        }
    }

    var format: Format
    /// `;` instead of `,` between CSV fields, and a decimal comma in numbers (what Excel-ru opens directly).
    var usesSemicolons: Bool

    /// The export the request asks for; `nil` when there is no `export` parameter. An unknown format or
    /// separator is a 400 (the original silently answered empty JSON).
    static func parse(_ req: Request) throws -> ExportRequest? {
        guard let raw: String = req.queryValues["export"], !raw.isEmpty else { return nil }
        guard let format = Format(rawValue: raw.lowercased()) else {
            throw FieldErrors("export", "Неподдерживаемый формат выгрузки «\(raw)»: используйте csv или xlsx.")
        }
        var semicolons = false
        if let separator: String = req.queryValues["sep"], !separator.isEmpty {
            switch separator.lowercased() {
            case "semicolon", ";": semicolons = true
            case "comma", ",": semicolons = false
            default: throw FieldErrors("sep", "Разделитель может быть comma или semicolon.")
            }
        }
        return ExportRequest(format: format, usesSemicolons: semicolons)
    }
}

/// One cell of an exported table.
enum ExportCell: Sendable, Equatable {
    case text(String)
    /// A plain decimal (`"2450.00"`, `"-5.5"`), written as a number.
    case number(String)
    case empty

    static func integer(_ value: Int) -> ExportCell { .number(String(value)) }
    static func money(_ kopecks: Int64) -> ExportCell { .number(Scaled.text(kopecks, scale: 2)) }
    static func hundredths(_ value: Int64) -> ExportCell { .number(Scaled.text(value, scale: 2)) }
    static func optionalText(_ value: String?) -> ExportCell { value.map(ExportCell.text) ?? .empty }
}

/// Writes a table to a temporary file row by row, so an export of any size needs little memory; the file is
/// streamed to the client and removed afterwards.
final class TableWriter {
    private enum Backend {
        case csv(CSVTableWriter)
        case xlsx(XLSXTableWriter)
    }

    private var backend: Backend
    let directory: URL
    private(set) var rowCount = 0

    init(_ export: ExportRequest, sheetName: String, headers: [String]) throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("ringo-export-" + UUID().uuidString.lowercased(), isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        do {
            switch export.format {
            case .csv:
                backend = .csv(try CSVTableWriter(directory: directory, semicolons: export.usesSemicolons))
            case .xlsx:
                backend = .xlsx(try XLSXTableWriter(directory: directory, sheetName: sheetName))
            }
            try writeHeader(headers)
        } catch {
            try? FileManager.default.removeItem(at: directory)
            throw error
        }
    }

    private func writeHeader(_ headers: [String]) throws {
        switch backend {
        case .csv(let writer): try writer.write(headers.map(ExportCell.text))
        case .xlsx(let writer): try writer.write(headers.map(ExportCell.text), isHeader: true)
        }
    }

    func write(_ row: [ExportCell]) throws {
        rowCount += 1
        switch backend {
        case .csv(let writer): try writer.write(row)
        case .xlsx(let writer): try writer.write(row, isHeader: false)
        }
    }

    /// Closes the table and returns the finished file.
    func finish() throws -> URL {
        switch backend {
        case .csv(let writer): try writer.finish()
        case .xlsx(let writer): try writer.finish()
        }
    }

    func discard() {
        try? FileManager.default.removeItem(at: directory)
    }
}

enum TableExport {
    /// Builds the table with `produce` and answers it as a download named `<filename>.<csv|xlsx>`.
    /// The temporary files are removed once the response has been sent (or failed).
    static func respond(
        _ req: Request, export: ExportRequest, filename: String, sheetName: String, headers: [String],
        produce: (TableWriter) async throws -> Void
    ) async throws -> Response {
        let writer = try TableWriter(export, sheetName: sheetName, headers: headers)
        let file: URL
        do {
            try await produce(writer)
            file = try writer.finish()
        } catch {
            writer.discard()
            throw error
        }
        let directory = writer.directory
        let response: Response
        do {
            response = try await req.fileio.asyncStreamFile(at: file.path) { _ in
                try? FileManager.default.removeItem(at: directory)
            }
        } catch {
            try? FileManager.default.removeItem(at: directory)
            throw error
        }
        let name = "\(filename).\(export.format.rawValue)"
        response.headers.replaceOrAdd(name: .contentType, value: export.format.contentType)
        response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(name)\"")
        response.headers.remove(name: .eTag)
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }
}

/// A file written through a buffer, so rows are not flushed one system call at a time.
final class BufferedFile {
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private static let flushSize = 256 * 1024

    init(creating url: URL) throws {
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            throw APIError(status: .internalServerError, detail: "Не удалось подготовить файл выгрузки.")
        }
        handle = try FileHandle(forWritingTo: url)
        buffer.reserveCapacity(Self.flushSize + 4096)
    }

    func append(_ text: String) throws {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= Self.flushSize { try flush() }
    }

    func append(bytes: [UInt8]) throws {
        buffer.append(contentsOf: bytes)
        if buffer.count >= Self.flushSize { try flush() }
    }

    func flush() throws {
        guard !buffer.isEmpty else { return }
        try handle.write(contentsOf: buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    func close() throws {
        try flush()
        try handle.close()
    }
}

import Domain
import Foundation
import Vapor
import WebUI

/// «Каталог» → «Импорт» and «Клиенты» → «Импорт» (`/import/{kind}`, admins and managers): upload a file, see
/// how every row will be saved and every bad row's error, then save the good rows. The uploaded file waits
/// in a temporary folder under a random token between the preview and the commit.
struct ImportWebController {
    private struct Upload: Content {
        var file: File?
    }

    static var folder: URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("ringo-import", isDirectory: true)
    }

    private static func kind(_ req: Request) throws -> ImportKind {
        guard let kind = req.parameters.get("kind").flatMap(ImportKind.init(rawValue:)) else {
            throw Abort(.notFound)
        }
        return kind
    }

    @Sendable func form(req: Request) async throws -> Response {
        let model = ImportModel(context: req.pageContext(), kind: try Self.kind(req))
        return WebReply.page(ImportPage(model: model), on: req)
    }

    @Sendable func preview(req: Request) async throws -> Response {
        let kind = try Self.kind(req)
        let upload = try? req.content.decode(Upload.self)
        guard let file = upload?.file, file.data.readableBytes > 0 else {
            let model = ImportModel(context: req.pageContext(), kind: kind, error: "Выберите файл XLSX или CSV.")
            return WebReply.page(ImportPage(model: model), status: .badRequest, on: req)
        }
        let data = Data(buffer: file.data)
        do {
            let prepared = try await req.tableImport.prepare(kind, data: data)
            let token = try Self.keep(data)
            let model = ImportModel(
                context: req.pageContext(), kind: kind, preview: Self.preview(prepared, token: token))
            return WebReply.page(ImportPage(model: model), on: req)
        } catch TableImportError.unreadable(let message) {
            let model = ImportModel(context: req.pageContext(), kind: kind, error: message)
            return WebReply.page(ImportPage(model: model), status: .badRequest, on: req)
        }
    }

    @Sendable func commit(req: Request) async throws -> Response {
        let kind = try Self.kind(req)
        let form = try await WebForm(request: req)
        let token = form.raw("token") ?? ""
        guard let data = Self.kept(token) else {
            let model = ImportModel(
                context: req.pageContext(), kind: kind, error: "Предпросмотр устарел: загрузите файл ещё раз.")
            return WebReply.page(ImportPage(model: model), status: .badRequest, on: req)
        }
        let service = try req.tableImport
        let prepared = try await service.prepare(kind, data: data)
        let saved = try await service.commit(prepared)
        try? FileManager.default.removeItem(at: Self.folder.appendingPathComponent(token))
        let model = ImportModel(context: req.pageContext(), kind: kind, saved: saved)
        return WebReply.page(ImportPage(model: model), on: req)
    }

    /// The header row of a kind, as XLSX or CSV (UTF-8 with a BOM, `;`, what Excel-ru opens directly).
    @Sendable func template(req: Request) async throws -> Response {
        let kind = try Self.kind(req)
        let format: ExportRequest.Format = req.queryValues["format"] == "xlsx" ? .xlsx : .csv
        return try await TableExport.respond(
            req, export: ExportRequest(format: format, usesSemicolons: true), filename: "import-\(kind.rawValue)",
            sheetName: kind.title, headers: kind.columns.map(\.title)
        ) { _ in }
    }

    /// Every record of the kind in the import's columns (`format=csv|xlsx`, `sep=semicolon`): edit it in a
    /// spreadsheet and import it back.
    @Sendable func export(req: Request) async throws -> Response {
        let kind = try Self.kind(req)
        let format: ExportRequest.Format = req.queryValues["format"] == "xlsx" ? .xlsx : .csv
        let service = try req.tableImport
        return try await TableExport.respond(
            req, export: ExportRequest(format: format, usesSemicolons: req.queryValues["sep"] != "comma"),
            filename: "\(kind.rawValue)", sheetName: kind.title, headers: kind.columns.map(\.title)
        ) { writer in try await service.export(kind, into: writer) }
    }

    static func preview(_ prepared: TableImportService.Prepared, token: String) -> ImportModel.Preview {
        ImportModel.Preview(
            columns: prepared.columns,
            rows: prepared.rows.prefix(ImportPage.previewRows).map {
                ImportModel.Row(line: $0.line, updates: $0.existingID != nil, values: $0.saved)
            },
            problems: prepared.problems.map { ImportModel.Problem(line: $0.line, message: $0.message) },
            created: prepared.created, updated: prepared.updated, token: token)
    }

    /// Keeps an uploaded file for its commit; files older than a day are removed on the way.
    static func keep(_ data: Data) throws -> String {
        let folder = Self.folder
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let dayAgo = Date().addingTimeInterval(-86_400)
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [] {
            let url = folder.appendingPathComponent(name)
            let modified = (try? FileManager.default.attributesOfItem(atPath: url.path)[.modificationDate]) as? Date
            if let modified, modified < dayAgo { try? FileManager.default.removeItem(at: url) }
        }
        let token = (0..<16).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
        try data.write(to: folder.appendingPathComponent(token))
        return token
    }

    /// The kept file of a token; nil for anything but 32 hex digits or a file that is gone.
    static func kept(_ token: String) -> Data? {
        guard token.count == 32, token.allSatisfy(\.isHexDigit) else { return nil }
        return try? Data(contentsOf: Self.folder.appendingPathComponent(token))
    }
}

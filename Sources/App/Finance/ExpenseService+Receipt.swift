import Domain
import Foundation
import SQLKit
import Vapor

/// The photo of an expense's receipt («Фото чека»), kept in the file storage like the orders' photos: the same
/// formats (JPEG, PNG, WebP, recognised from the bytes) and size limit. The file is stored first and the row
/// second; a failed row removes the new file, and a replaced or deleted receipt's old file is removed after the row.
extension ExpenseService {
    /// Stores `file` as the receipt of expense `id`, replacing the one it had.
    func attachReceipt(_ file: PhotoUpload.File?, to id: Int) async throws -> ExpenseStore.Expense {
        let current = try await expense(id)
        guard let file else { throw PhotoError.invalid(["file": [FieldMessage.required]]) }
        let type: ImageType
        switch try PhotoService.imageType(of: file.data, maxBytes: context.config.uploadMaxBytes) {
        case .success(let checked): type = checked
        case .failure(let problem): throw PhotoError.invalid(["file": [problem.message]])
        }
        let key = "expenses/\(id)/\(UUID().uuidString.lowercased()).\(type.fileExtension)"
        let context = self.context
        do {
            try await context.files.put(file.data, key: key, contentType: type.contentType)
        } catch {
            context.logger.error(
                "receipt upload to storage failed", metadata: ["expense_id": "\(id)", "error": "\(error)"])
            throw PhotoError.storageUnavailable
        }
        do {
            try await context.writes.transaction(on: context.db) { db in
                let store = ExpenseStore(sql: try db.sql())
                _ = try await store.find(id)  // deleted while the file was uploading: 404
                try await store.setReceipt(id, key: key, contentType: type.contentType)
                try await context.audit(on: db).record(
                    .fileUpload, entity: "expense", id: String(id),
                    changes: [
                        "receipt": .string(key), "file_name": .string(PhotoService.cleanName(file.filename)),
                        "size": .number(Decimal(file.data.readableBytes)),
                    ])
            }
        } catch {
            await Self.removeFile(key, context: context)
            throw error
        }
        if let old = current.receiptKey { await Self.removeFile(old, context: context) }
        return try await expense(id)
    }

    /// The receipt's bytes and content type; 404 when the expense has none.
    func receipt(of id: Int) async throws -> (data: ByteBuffer, contentType: String) {
        let expense = try await expense(id)
        guard let key = expense.receiptKey else { throw APIError.notFound("У расхода нет фото чека.") }
        guard let data = try await context.files.get(key) else { throw PhotoError.fileMissing }
        return (data, expense.receiptType ?? "application/octet-stream")
    }

    /// Removes the receipt's photo (nothing to do when there is none).
    func removeReceipt(of id: Int) async throws {
        let context = self.context
        let key: String? = try await context.writes.transaction(on: context.db) { db in
            let store = ExpenseStore(sql: try db.sql())
            let current = try await store.find(id)
            guard let key = current.receiptKey else { return nil }
            try await store.setReceipt(id, key: nil, contentType: nil)
            try await context.audit(on: db).record(
                .update, entity: "expense", id: String(id),
                changes: AuditRecorder.diff(before: ["receipt": .string(key)], after: ["receipt": .null]))
            return key
        }
        if let key { await Self.removeFile(key, context: context) }
    }

    static func removeFile(_ key: String, context: ServiceContext) async {
        do {
            try await context.files.delete(key)
        } catch {
            context.logger.error("orphan receipt file left", metadata: ["key": "\(key)", "error": "\(error)"])
        }
    }
}

/// The stored receipt as a download: shown inline and cached privately, as the orders' photos.
enum ReceiptResponse {
    static func make(_ receipt: (data: ByteBuffer, contentType: String), expenseID: Int) -> Response {
        let response = Response(status: .ok, body: .init(buffer: receipt.data))
        response.headers.replaceOrAdd(name: .contentType, value: receipt.contentType)
        let ext = ImageType.allCases.first { $0.contentType == receipt.contentType }?.fileExtension ?? "bin"
        response.headers.replaceOrAdd(
            name: .contentDisposition, value: "inline; filename=\"receipt-\(expenseID).\(ext)\"")
        response.headers.replaceOrAdd(name: .cacheControl, value: "private, max-age=3600")
        return response
    }
}

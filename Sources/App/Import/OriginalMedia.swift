import Domain
import Foundation
import NIOCore

/// The original's MEDIA_ROOT (`ringo import-original --media DIR`): each imported photo's file is copied into our
/// storage (disk or S3), under a key like an uploaded photo's, so the photo shows (docs/import.md#photos).
struct OriginalMedia: Sendable {
    let directory: URL
    let files: any FileStorage
    let maxBytes: Int

    enum Outcome {
        case copied(key: String, contentType: String, size: Int64)
        /// The file stays where the original kept it; the reason, in Russian, for the summary.
        case notCopied(String)
    }

    func copy(_ url: String, orderID: String) async throws -> Outcome {
        let candidates = OriginalMediaPath.candidates(url).map { directory.appendingPathComponent($0) }
        guard let file = candidates.first(where: { FileManager.default.isReadableFile(atPath: $0.path) }) else {
            return .notCopied("файла «\(url)» нет в папке --media")
        }
        let data = ByteBuffer(data: try Data(contentsOf: file))
        let type: ImageType
        do {
            switch try PhotoService.imageType(of: data, maxBytes: maxBytes) {
            case .success(let sniffed): type = sniffed
            case .failure(let problem): return .notCopied("«\(url)»: \(problem.message)")
            }
        } catch {
            return .notCopied("«\(url)»: файл больше \(PhotoService.megabytes(maxBytes)) МБ")
        }
        let key = "orders/\(orderID)/\(UUID().uuidString.lowercased()).\(type.fileExtension)"
        guard FileKeys.isValid(key) else { return .notCopied("заявка \(orderID): недопустимый ключ файла") }
        try await files.put(data, key: key, contentType: type.contentType)
        return .copied(key: key, contentType: type.contentType, size: Int64(data.readableBytes))
    }
}

import Foundation
import NIOCore
import NIOPosix

/// Files in a folder on local disk (the embedded default, `RINGO_DATA_DIR/files`). Writes go to a
/// temporary file first and are renamed into place, so a reader never sees half a file. Blocking
/// file calls run on the application's thread pool, off the event loops.
struct DiskFileStorage: FileStorage {
    let root: String
    let threadPool: NIOThreadPool

    private func path(_ key: String) throws -> String {
        guard FileKeys.isValid(key) else { throw FileStorageError("invalid storage key") }
        return root + "/" + key
    }

    func put(_ data: ByteBuffer, key: String, contentType: String) async throws {
        let target = try path(key)
        let bytes = Data(buffer: data)
        try await threadPool.runIfActive {
            let manager = FileManager.default
            let folder = (target as NSString).deletingLastPathComponent
            try manager.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let temporary = folder + "/.upload-" + UUID().uuidString
            guard manager.createFile(atPath: temporary, contents: bytes, attributes: [.posixPermissions: 0o640]) else {
                throw FileStorageError("cannot write \(temporary)")
            }
            do {
                guard !manager.fileExists(atPath: target) else { throw FileStorageError("file \(key) already exists") }
                try manager.moveItem(atPath: temporary, toPath: target)
            } catch {
                try? manager.removeItem(atPath: temporary)
                throw error
            }
        }
    }

    func get(_ key: String) async throws -> ByteBuffer? {
        let target = try path(key)
        let data = try await threadPool.runIfActive { () -> Data? in
            guard FileManager.default.fileExists(atPath: target) else { return nil }
            return try Data(contentsOf: URL(fileURLWithPath: target))
        }
        return data.map { ByteBuffer(data: $0) }
    }

    func delete(_ key: String) async throws {
        let target = try path(key)
        try await threadPool.runIfActive {
            let manager = FileManager.default
            if manager.fileExists(atPath: target) { try manager.removeItem(atPath: target) }
        }
    }
}

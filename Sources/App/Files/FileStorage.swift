import Foundation
import NIOCore
import Vapor

/// Where uploaded files are kept: a boundary of the process (disk or an S3 service), so it is a
/// protocol with a disk and an S3 implementation. Keys are relative paths such as
/// `orders/<order id>/<uuid>.jpg`, made by the program, never by a caller.
protocol FileStorage: Sendable {
    /// Stores `data` under `key`, replacing nothing: keys are unique.
    func put(_ data: ByteBuffer, key: String, contentType: String) async throws
    /// The stored bytes, or nil when there is no such file.
    func get(_ key: String) async throws -> ByteBuffer?
    /// Removes the file; removing a missing file is not an error.
    func delete(_ key: String) async throws
}

struct FileStorageError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

enum FileKeys {
    /// Keys are made of `[A-Za-z0-9._-]` segments joined by `/`, never `.` or `..`.
    static func isValid(_ key: String) -> Bool {
        guard !key.isEmpty, key.count <= 512, !key.hasPrefix("/"), !key.hasSuffix("/") else { return false }
        return key.split(separator: "/", omittingEmptySubsequences: false).allSatisfy { segment in
            !segment.isEmpty && segment != "." && segment != ".."
                && segment.allSatisfy {
                    $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "_" || $0 == "-")
                }
        }
    }
}

extension Application {
    private struct FileStorageKey: StorageKey { typealias Value = any FileStorage }

    /// The configured file storage; tests may replace it.
    var fileStorage: any FileStorage {
        get {
            guard let storage = storage[FileStorageKey.self] else { fatalError("configure(_:config:) was not called") }
            return storage
        }
        set { storage[FileStorageKey.self] = newValue }
    }

    /// Builds the storage the configuration names.
    func makeFileStorage(_ setting: FileStorageSetting) -> any FileStorage {
        switch setting {
        case .disk(let directory):
            return DiskFileStorage(root: directory, threadPool: threadPool)
        case .s3(let settings):
            return S3FileStorage(settings: settings, client: http.client.shared)
        }
    }
}

extension AppConfig {
    /// The body a multipart upload may send: the file's limit plus room for the framing and the other fields.
    var uploadBodyLimit: ByteCount { Self.uploadBodyLimit(uploadMaxBytes) }

    static func uploadBodyLimit(_ uploadMaxBytes: Int) -> ByteCount {
        ByteCount(integerLiteral: uploadMaxBytes + 256 * 1024)
    }
}

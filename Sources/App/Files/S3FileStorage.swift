import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Files in an S3-compatible bucket (MinIO, AWS, moto in CI), signed with `SigV4Signer` and sent
/// with AsyncHTTPClient. Downloads go through the API (which checks access), so no presigned URLs.
struct S3FileStorage: FileStorage {
    let settings: S3Settings
    let client: HTTPClient
    var timeout: TimeAmount = .seconds(30)

    private var signer: SigV4Signer {
        SigV4Signer(
            accessKey: settings.accessKey, secretKey: settings.secretKey, region: settings.region, service: "s3")
    }

    /// The URL, the `host` header value and the path to sign for an object.
    private func location(_ key: String) throws -> (url: String, host: String, path: String) {
        guard FileKeys.isValid(key) else { throw FileStorageError("invalid storage key") }
        if let endpoint = settings.endpoint, let components = URLComponents(string: endpoint),
            let hostname = components.host
        {
            let defaultPort = components.scheme == "https" ? 443 : 80
            let host = components.port.map { $0 == defaultPort ? hostname : "\(hostname):\($0)" } ?? hostname
            let basePath = components.path.hasSuffix("/") ? String(components.path.dropLast()) : components.path
            let path = basePath + "/" + settings.bucket + "/" + key
            let scheme = components.scheme ?? "https"
            return ("\(scheme)://\(host)" + SigV4Signer.uriEncode(path, encodeSlash: false), host, path)
        }
        let host = "\(settings.bucket).s3.\(settings.region).amazonaws.com"
        let path = "/" + key
        return ("https://\(host)" + SigV4Signer.uriEncode(path, encodeSlash: false), host, path)
    }

    private func request(
        _ method: HTTPMethod, key: String, body: ByteBuffer? = nil, contentType: String? = nil
    ) async throws -> HTTPClientResponse {
        let (url, host, path) = try location(key)
        let payloadHash = body.map { SigV4Signer.sha256Hex($0.readableBytesView) } ?? SigV4Signer.emptyPayloadHash
        let now = Date()
        var headers: [(String, String)] = [
            ("host", host), ("x-amz-date", SigV4Signer.amzDate(now)), ("x-amz-content-sha256", payloadHash),
        ]
        if let contentType { headers.append(("content-type", contentType)) }
        let signature = signer.sign(
            method: method.rawValue, path: path, headers: headers, payloadHash: payloadHash, date: now)
        var request = HTTPClientRequest(url: url)
        request.method = method
        for (name, value) in headers where name != "host" { request.headers.add(name: name, value: value) }
        request.headers.add(name: "Authorization", value: signature.authorization)
        if let body {
            request.headers.add(name: "Content-Length", value: String(body.readableBytes))
            request.body = .bytes(body)
        }
        return try await client.execute(request, timeout: timeout)
    }

    private func failure(_ response: HTTPClientResponse, action: String) async -> FileStorageError {
        let text = (try? await response.body.collect(upTo: 64 * 1024)).map { String(buffer: $0) } ?? ""
        let code = text.range(of: "<Code>").flatMap { start in
            text.range(of: "</Code>", range: start.upperBound..<text.endIndex).map {
                String(text[start.upperBound..<$0.lowerBound])
            }
        }
        return FileStorageError("S3 \(action) failed: HTTP \(response.status.code)\(code.map { " \($0)" } ?? "")")
    }

    func put(_ data: ByteBuffer, key: String, contentType: String) async throws {
        let response = try await request(.PUT, key: key, body: data, contentType: contentType)
        guard (200..<300).contains(response.status.code) else { throw await failure(response, action: "put") }
        _ = try await response.body.collect(upTo: 64 * 1024)
    }

    func get(_ key: String) async throws -> ByteBuffer? {
        let response = try await request(.GET, key: key)
        if response.status == .notFound {
            _ = try? await response.body.collect(upTo: 64 * 1024)
            return nil
        }
        guard response.status == .ok else { throw await failure(response, action: "get") }
        return try await response.body.collect(upTo: 1024 * 1024 * 1024)
    }

    func delete(_ key: String) async throws {
        let response = try await request(.DELETE, key: key)
        guard (200..<300).contains(response.status.code) || response.status == .notFound else {
            throw await failure(response, action: "delete")
        }
        _ = try await response.body.collect(upTo: 64 * 1024)
    }
}

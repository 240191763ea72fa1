import NIOCore

/// The image formats accepted for photos, recognised from the bytes themselves, never from the
/// file name or the declared content type.
enum ImageType: String, Sendable, CaseIterable {
    case jpeg, png, webp

    var contentType: String {
        switch self {
        case .jpeg: "image/jpeg"
        case .png: "image/png"
        case .webp: "image/webp"
        }
    }

    var fileExtension: String {
        switch self {
        case .jpeg: "jpg"
        case .png: "png"
        case .webp: "webp"
        }
    }

    /// JPEG starts `FF D8 FF`; PNG with its 8-byte signature; WebP is a RIFF container whose form type is `WEBP`.
    static func sniff(_ buffer: ByteBuffer) -> ImageType? {
        guard let head = buffer.getBytes(at: buffer.readerIndex, length: min(buffer.readableBytes, 16)) else {
            return nil
        }
        return sniff(head)
    }

    static func sniff(_ head: [UInt8]) -> ImageType? {
        if head.count >= 3, head[0] == 0xFF, head[1] == 0xD8, head[2] == 0xFF { return .jpeg }
        if head.count >= 8, head[0..<8].elementsEqual([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if head.count >= 12, head[0..<4].elementsEqual(Array("RIFF".utf8)),
            head[8..<12].elementsEqual(Array("WEBP".utf8))
        {
            return .webp
        }
        return nil
    }
}

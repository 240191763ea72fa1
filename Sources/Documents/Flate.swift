import CompressNIO
import NIOCore

/// zlib streams for `/FlateDecode` (ISO 32000-1, 7.4.4), made by zlib through compress-nio.
enum Flate {
    static func zlib(_ bytes: [UInt8]) -> [UInt8] {
        var input = ByteBuffer(bytes: bytes)
        // compress-nio sizes the output for the worst case, so it does not run out of room; should zlib still
        // refuse, the stream is stored uncompressed by the caller.
        guard let compressed = try? input.compress(with: .zlib()) else { return bytes }
        return Array(compressed.readableBytesView)
    }
}

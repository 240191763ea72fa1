extension QRCode {
    /// Horizontal runs of dark modules, row by row, in module coordinates without a quiet
    /// zone. Each run is one filled rectangle `length` × 1, which keeps PDF content short.
    public func darkRuns() -> [(x: Int, y: Int, length: Int)] {
        var runs: [(x: Int, y: Int, length: Int)] = []
        for y in 0..<size {
            var x = 0
            while x < size {
                guard self[x, y] else { x += 1; continue }
                let start = x
                while x < size && self[x, y] { x += 1 }
                runs.append((x: start, y: y, length: x - start))
            }
        }
        return runs
    }

    /// An SVG image: a white square and one black `<path>` for all dark modules. Readers
    /// need a light quiet zone of at least 4 modules (§6.3.8).
    public func svg(moduleSize: Int = 4, quietZone: Int = 4) -> String {
        let side = size + 2 * quietZone
        let pixels = side * moduleSize
        let path = darkRuns().map { "M\($0.x + quietZone) \($0.y + quietZone)h\($0.length)v1h-\($0.length)z" }.joined()
        return """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(pixels)" height="\(pixels)" \
            viewBox="0 0 \(side) \(side)" shape-rendering="crispEdges">\
            <rect width="\(side)" height="\(side)" fill="#fff"/>\
            <path d="\(path)" fill="#000"/></svg>
            """
    }

    /// The symbol scaled up with its quiet zone: `rows[y][x]` is `true` for a dark pixel.
    public func pixels(scale: Int = 1, quietZone: Int = 4) -> (width: Int, rows: [[Bool]]) {
        precondition(scale >= 1 && quietZone >= 0)
        let width = (size + 2 * quietZone) * scale
        let rows = (0..<width).map { pixelY in
            (0..<width).map { pixelX in
                let x = pixelX / scale - quietZone
                let y = pixelY / scale - quietZone
                return (0..<size).contains(x) && (0..<size).contains(y) && self[x, y]
            }
        }
        return (width, rows)
    }

    /// A binary greyscale PGM (P5) image, black on white, readable without an image library.
    public func pgm(scale: Int = 4, quietZone: Int = 4) -> [UInt8] {
        let image = pixels(scale: scale, quietZone: quietZone)
        var bytes = Array("P5\n\(image.width) \(image.width)\n255\n".utf8)
        bytes.reserveCapacity(bytes.count + image.width * image.width)
        for row in image.rows {
            bytes.append(contentsOf: row.map { $0 ? 0 : 255 })
        }
        return bytes
    }
}

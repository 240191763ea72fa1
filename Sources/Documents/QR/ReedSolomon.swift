/// Reed–Solomon error correction over GF(256) as QR codes use it (ISO/IEC 18004 §7.5.2):
/// the field is built on the primitive polynomial x⁸ + x⁴ + x³ + x² + 1 and the generator
/// polynomial of degree n is (x − α⁰)(x − α¹)…(x − αⁿ⁻¹) with α = 2.
enum ReedSolomon {
    private static let primitivePolynomial = 0x11D

    /// exp[i] = αⁱ, doubled in length so that exp[log a + log b] needs no modulo.
    private static let exp: [UInt8] = {
        var table = [UInt8](repeating: 0, count: 512)
        var value = 1
        for power in 0..<255 {
            table[power] = UInt8(value)
            value <<= 1
            if value > 0xFF { value ^= primitivePolynomial }
        }
        for power in 255..<512 { table[power] = table[power - 255] }
        return table
    }()

    private static let log: [Int] = {
        var table = [Int](repeating: 0, count: 256)
        for power in 0..<255 { table[Int(exp[power])] = power }
        return table
    }()

    static func multiply(_ a: UInt8, _ b: UInt8) -> UInt8 {
        if a == 0 || b == 0 { return 0 }
        return exp[log[Int(a)] + log[Int(b)]]
    }

    /// Coefficients of the generator polynomial of the given degree, highest power first,
    /// without the leading 1.
    static func generator(degree: Int) -> [UInt8] {
        var coefficients: [UInt8] = [1]
        for root in 0..<degree {
            // Multiply by (x − αʳᵒᵒᵗ); in GF(2⁸) subtraction is XOR.
            var product = coefficients + [0]
            for index in coefficients.indices {
                product[index + 1] ^= multiply(coefficients[index], exp[root])
            }
            coefficients = product
        }
        return Array(coefficients.dropFirst())
    }

    /// The error correction codewords: the remainder of data(x)·xⁿ divided by the generator.
    static func correctionCodewords(for data: [UInt8], count: Int) -> [UInt8] {
        let generator = generator(degree: count)
        var remainder = [UInt8](repeating: 0, count: count)
        for byte in data {
            let factor = byte ^ remainder[0]
            remainder.removeFirst()
            remainder.append(0)
            for index in 0..<count {
                remainder[index] ^= multiply(generator[index], factor)
            }
        }
        return remainder
    }
}

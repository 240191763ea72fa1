import Testing

@testable import App

/// PBKDF2-HMAC-SHA256 as Django computes it; the vectors come from Python's `hashlib.pbkdf2_hmac`.
struct DjangoPasswordsTests {
    // seed_op_1 of the original's seeded database (tests/fixtures/original-db), password `Seed-Pass-2026!`.
    static let seeded = "pbkdf2_sha256$600000$TyWcsVj7eqG3iXvdT5qLpi$P3Lq+I7oqUjna9R7fBoES4QvmwZ9KhMXao1cq1lAVso="

    @Test func theSeededHashAcceptsItsPasswordAndNothingElse() {
        #expect(DjangoPasswords.verify("Seed-Pass-2026!", against: Self.seeded))
        #expect(!DjangoPasswords.verify("Seed-Pass-2026", against: Self.seeded))
        #expect(!DjangoPasswords.verify("", against: Self.seeded))
    }

    @Test func olderHashesWithFewerRoundsAndNonASCIIPasswordsWork() {
        // hashlib.pbkdf2_hmac("sha256", "Пароль-1".encode(), b"abcSALT", 1000)
        let hash = "pbkdf2_sha256$1000$abcSALT$7le79uwiPN1981/v2NKyZo6T5DUKSPvwwcuSfKAdexU="
        #expect(DjangoPasswords.verify("Пароль-1", against: hash))
        #expect(!DjangoPasswords.verify("пароль-1", against: hash))
    }

    @Test func aMalformedHashNeverMatches() {
        #expect(!DjangoPasswords.verify("Seed-Pass-2026!", against: "pbkdf2_sha256$600000$TyWcsVj7eqG3iXvdT5qLpi$"))
        #expect(!DjangoPasswords.verify("x", against: "$2b$12$C6UzMDM.H6dfI/f/IKcEeO5pLjSGZ8GnXPZfAq6Y3DF5YXhXyM8uu"))
    }
}

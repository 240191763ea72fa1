import Domain
import Testing

struct DjangoPasswordHashTests {
    // The admin of the original's seeded database (tests/fixtures/original-db).
    static let seeded = "pbkdf2_sha256$600000$TyWcsVj7eqG3iXvdT5qLpi$P3Lq+I7oqUjna9R7fBoES4QvmwZ9KhMXao1cq1lAVso="

    @Test func aDjangoHashIsReadIntoItsParts() throws {
        let hash = try #require(DjangoPasswordHash(Self.seeded))
        #expect(hash.iterations == 600_000)
        #expect(hash.salt == "TyWcsVj7eqG3iXvdT5qLpi")
        #expect(hash.hash.count == 32)
        #expect(hash.matches(derived: hash.hash))
        var other = hash.hash
        other[31] ^= 1
        #expect(!hash.matches(derived: other))
        #expect(!hash.matches(derived: Array(hash.hash.prefix(31))))
    }

    @Test(arguments: [
        "", "$2b$12$C6UzMDM.H6dfI/f/IKcEeO5pLjSGZ8GnXPZfAq6Y3DF5YXhXyM8uu", "!unusable",
        "pbkdf2_sha1$600000$salt$P3Lq+I7oqUjna9R7fBoES4QvmwZ9KhMXao1cq1lAVso=",
        "pbkdf2_sha256$abc$salt$P3Lq+I7oqUjna9R7fBoES4QvmwZ9KhMXao1cq1lAVso=",
        "pbkdf2_sha256$10$salt$P3Lq+I7oqUjna9R7fBoES4QvmwZ9KhMXao1cq1lAVso=",
        "pbkdf2_sha256$600000$$P3Lq+I7oqUjna9R7fBoES4QvmwZ9KhMXao1cq1lAVso=",
        "pbkdf2_sha256$600000$salt$not-base64",
        "pbkdf2_sha256$600000$salt$AAAA",
        "pbkdf2_sha256$600000$salt$P3Lq+I7oqUjna9R7fBoES4QvmwZ9KhMXao1cq1lAVso=$extra",
    ])
    func anythingElseIsNotADjangoHash(_ stored: String) {
        #expect(DjangoPasswordHash(stored) == nil)
    }

    @Test func onlyThePrefixMarksAStoredHashAsDjangos() {
        #expect(DjangoPasswordHash.isDjango(Self.seeded))
        #expect(!DjangoPasswordHash.isDjango("$2b$12$abc"))
    }
}

struct ImportReportTests {
    @Test func theSummaryListsEveryTableWithItsSkipsAndWarnings() {
        var report = ImportReport()
        var orders = ImportReport.Table("orders")
        orders.read = 3
        orders.imported = 2
        orders.skip("abc", "номер 000001 уже занят другой заявкой")
        var clients = ImportReport.Table("clients")
        clients.read = 1
        clients.update(3, "изменено в исходной системе: Город")
        clients.warn(7, "телефон «8-800» не разобран, сохранён как есть")
        report.tables = [clients, orders]
        report.ignored = [("audit_auditlog", "holds password hashes")]

        #expect(!report.changedNothing)
        #expect(report.readCount == 4)
        #expect(report.importedCount == 2)
        #expect(report.updatedCount == 1)
        #expect(
            orders.progressLine == "orders: read 3, imported 2, updated 0, already there 0, skipped 1, warnings 0")
        #expect(
            report.summaryLines == [
                "Summary: read 4, imported 2, updated 1",
                "  clients: read 1, imported 0, updated 1, already there 0, skipped 0, warnings 1",
                "    updated clients #3: изменено в исходной системе: Город",
                "    warning clients #7: телефон «8-800» не разобран, сохранён как есть",
                "  orders: read 3, imported 2, updated 0, already there 0, skipped 1, warnings 0",
                "    skipped orders #abc: номер 000001 уже занят другой заявкой",
                "  audit_auditlog: not imported, holds password hashes",
            ])
    }

    @Test func aRunThatWroteNothingSaysSo() {
        var report = ImportReport()
        var users = ImportReport.Table("users")
        users.read = 5
        users.existing = 5
        report.tables = [users]
        #expect(report.changedNothing)
        #expect(report.summaryLines.contains { $0.hasPrefix("Nothing changed") })
        #expect(!ImportReport().summaryLines.contains { $0.hasPrefix("Nothing changed") })
        users.update(2, "изменено в исходной системе: Фамилия")
        report.tables = [users]
        #expect(!report.changedNothing)
    }
}

struct OriginalMediaPathTests {
    @Test func aPhotosURLGivesItsPathUnderMediaRootWithAndWithoutTheMediaURLPrefix() {
        #expect(
            OriginalMediaPath.candidates("https://old.example.ru/media/orders/2025/pit.jpg?v=2")
                == ["media/orders/2025/pit.jpg", "orders/2025/pit.jpg"])
        #expect(OriginalMediaPath.candidates("/media/a%20b.png") == ["media/a b.png", "a b.png"])
        #expect(OriginalMediaPath.candidates("pit.jpg") == ["pit.jpg"])
    }

    @Test(arguments: ["", "https://host", "/media/../../etc/passwd", "orders/./a.jpg", "a\\b.jpg"])
    func aPathThatWouldLeaveTheFolderHasNone(_ url: String) {
        #expect(OriginalMediaPath.candidates(url).isEmpty)
    }
}

import Foundation
import Testing

@testable import App

@Suite("Backups: file names and retention")
struct BackupRetentionTests {
    /// 2025-03-02 02:00 UTC is a Sunday, the last day of ISO week 2025-W09.
    static func utc(_ year: Int, _ month: Int, _ day: Int, _ hour: Int = 2, _ minute: Int = 0) throws -> Date {
        let components = DateComponents(year: year, month: month, day: day, hour: hour, minute: minute)
        return try #require(BackupRetention.utcISOCalendar.date(from: components))
    }

    static func days(_ files: [BackupFile]) -> [String] {
        files.map { String($0.fileName.dropFirst("ringo-".count).prefix(8)) }
    }

    @Test func fileNamesCarryTheUTCTimeAndRoundTrip() throws {
        let date = try Self.utc(2025, 3, 1, 2, 0)
        let file = BackupFile(date: date.addingTimeInterval(7), kind: .postgresDump)
        #expect(file.fileName == "ringo-20250301-020007.dump")
        #expect(BackupFile(fileName: "ringo-20250301-020007.dump") == file)
        let second = BackupFile(date: date, sequence: 2, kind: .sqlite)
        #expect(second.fileName == "ringo-20250301-020000-2.sqlite")
        #expect(BackupFile(fileName: second.fileName) == second)
        for other in [
            ".ringo-20250301-020000.dump.partial", "ringo-20250301-020000.sql.gz", "ringo-2025-03-01.dump",
            "ringo-20251301-020000.dump", "ringo-20250301-020000-x.dump", "postgres_ringo_20250301_020000.sql.gz",
            ".last-backup-ok", "ringo-20250301-020000.dump.tmp",
        ] {
            #expect(BackupFile(fileName: other) == nil, "\(other) must not count as a backup")
        }
    }

    @Test func keepsNewestDailyForNDaysAndNewestWeeklyForMWeeks() throws {
        // setup: one backup a day at 02:00 from 1 January to Sunday 2 March 2025
        var files: [BackupFile] = []
        var day = try Self.utc(2025, 1, 1)
        let last = try Self.utc(2025, 3, 2)
        while day <= last {
            files.append(BackupFile(date: day, kind: .postgresDump))
            day = day.addingTimeInterval(86_400)
        }
        // MUT
        let deleted = BackupRetention.filesToDelete(files.shuffled(), keepDaily: 7, keepWeekly: 4)
        // validate: 24 Feb … 2 Mar (7 days) + the Sundays closing weeks W08, W07, W06
        let kept = Self.days(files.filter { !deleted.contains($0) })
        #expect(
            kept == [
                "20250209", "20250216", "20250223", "20250224", "20250225", "20250226", "20250227", "20250228",
                "20250301", "20250302",
            ])
        #expect(deleted.count == files.count - 10)
    }

    @Test func severalBackupsADayKeepOnlyTheNewestOfEachDay() throws {
        let morning = try Self.utc(2025, 3, 2, 2)
        let files = [
            BackupFile(date: morning, kind: .sqlite),
            BackupFile(date: morning.addingTimeInterval(3_600 * 10), kind: .sqlite),  // pre-upgrade backup, 12:00
            BackupFile(date: morning.addingTimeInterval(3_600 * 10), sequence: 1, kind: .sqlite),  // same second
            BackupFile(date: morning.addingTimeInterval(-86_400), kind: .sqlite),
        ]
        let deleted = BackupRetention.filesToDelete(files, keepDaily: 2, keepWeekly: 0)
        #expect(Set(deleted) == [files[0], files[1]])
    }

    @Test func daysWithoutABackupDoNotUseUpTheDailyAllowance() throws {
        // setup: the host was down for a week; backups on 1, 2, 10 and 11 March
        let files = try [1, 2, 10, 11].map { BackupFile(date: try Self.utc(2025, 3, $0), kind: .postgresDump) }
        let deleted = BackupRetention.filesToDelete(files, keepDaily: 3, keepWeekly: 0)
        #expect(Self.days(deleted) == ["20250301"])
    }

    @Test func weeksFollowISOWeekNumbersAcrossTheNewYear() throws {
        // 28 Dec 2024 is in 2024-W52; 30 Dec 2024 and 2 Jan 2025 are both in 2025-W01.
        let files = [
            BackupFile(date: try Self.utc(2024, 12, 28), kind: .postgresDump),
            BackupFile(date: try Self.utc(2024, 12, 30), kind: .postgresDump),
            BackupFile(date: try Self.utc(2025, 1, 2), kind: .postgresDump),
        ]
        let deleted = BackupRetention.filesToDelete(files, keepDaily: 1, keepWeekly: 2)
        #expect(Self.days(deleted) == ["20241230"])
    }

    @Test func pruneDeletesOnlyBackupsOfTheSameKind() throws {
        // setup
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "ringo-prune-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let names = [
            "ringo-20250301-020000.dump", "ringo-20250302-020000.dump", "ringo-20250303-020000.dump",
            "ringo-20250301-020000.sqlite", ".last-backup-ok", "notes.txt", ".ringo-20250228-020000.dump.partial",
        ]
        for name in names {
            #expect(
                FileManager.default.createFile(
                    atPath: directory.appendingPathComponent(name).path, contents: Data("x".utf8)))
        }
        // MUT
        let removed = try Backup.prune(directory: directory, kind: .postgresDump, keepDaily: 1, keepWeekly: 0)
        // validate
        #expect(Set(removed) == ["ringo-20250301-020000.dump", "ringo-20250302-020000.dump"])
        let left = Set(try FileManager.default.contentsOfDirectory(atPath: directory.path))
        #expect(left == Set(names).subtracting(removed))
    }
}

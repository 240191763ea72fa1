/// What one run of `ringo import-original` did, table by table (docs/import.md#summary).
public struct ImportReport: Sendable, Equatable {
    public var tables: [Table] = []
    /// Tables of the original that are deliberately not read, with the reason.
    public var ignored: [(table: String, reason: String)] = []

    public init() {}

    /// One note about one source row: why it was skipped, or what was kept despite a problem.
    public struct Note: Sendable, Equatable {
        public var sourceID: String
        public var reason: String

        public init(_ sourceID: String, _ reason: String) {
            self.sourceID = sourceID
            self.reason = reason
        }
    }

    public struct Table: Sendable, Equatable {
        public var name: String
        public var read = 0
        public var imported = 0
        /// Rows imported by an earlier run (or matched to an existing row), left as they are.
        public var existing = 0
        /// Rows imported by an earlier run and changed in the original since: updated, with what changed.
        public var updated: [Note] = []
        public var skipped: [Note] = []
        public var warnings: [Note] = []

        public init(_ name: String) { self.name = name }

        public mutating func skip(_ sourceID: any CustomStringConvertible, _ reason: String) {
            skipped.append(Note(sourceID.description, reason))
        }

        public mutating func warn(_ sourceID: any CustomStringConvertible, _ reason: String) {
            warnings.append(Note(sourceID.description, reason))
        }

        /// `orders: read 200, imported 198, updated 0, already there 0, skipped 2, warnings 1`.
        public var progressLine: String {
            "\(name): read \(read), imported \(imported), updated \(updated.count), already there \(existing), "
                + "skipped \(skipped.count), warnings \(warnings.count)"
        }

        public mutating func update(_ sourceID: any CustomStringConvertible, _ what: String) {
            updated.append(Note(sourceID.description, what))
        }
    }

    public static func == (left: ImportReport, right: ImportReport) -> Bool {
        left.tables == right.tables && left.ignored.map(\.table) == right.ignored.map(\.table)
    }

    public var importedCount: Int { tables.reduce(0) { $0 + $1.imported } }
    public var readCount: Int { tables.reduce(0) { $0 + $1.read } }
    public var updatedCount: Int { tables.reduce(0) { $0 + $1.updated.count } }
    /// True when the run wrote no row: everything was there from an earlier run, unchanged (or skipped again).
    public var changedNothing: Bool { importedCount == 0 && updatedCount == 0 }

    public func table(_ name: String) -> Table? { tables.first { $0.name == name } }

    /// The summary printed at the end: totals, then every skip and warning with its reason.
    public var summaryLines: [String] {
        var lines = ["Summary: read \(readCount), imported \(importedCount), updated \(updatedCount)"]
        if changedNothing, readCount > 0 {
            lines.append(
                "Nothing changed: every row was imported by an earlier run and is unchanged (or is skipped again).")
        }
        for table in tables {
            lines.append("  " + table.progressLine)
            for note in table.updated { lines.append("    updated \(table.name) #\(note.sourceID): \(note.reason)") }
            for note in table.skipped { lines.append("    skipped \(table.name) #\(note.sourceID): \(note.reason)") }
            for note in table.warnings { lines.append("    warning \(table.name) #\(note.sourceID): \(note.reason)") }
        }
        for (table, reason) in ignored { lines.append("  \(table): not imported, \(reason)") }
        return lines
    }
}

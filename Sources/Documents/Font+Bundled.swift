import Foundation

/// The document fonts, DejaVu Sans and DejaVu Sans Bold, read from the system (Debian's and Ubuntu's
/// `fonts-dejavu-core`) or from `RINGO_FONT_DIR`. They are not shipped with the program.
public enum DocumentFonts {
    public static let defaultDirectory = "/usr/share/fonts/truetype/dejavu"
    public static let regularFile = "DejaVuSans.ttf"
    public static let boldFile = "DejaVuSans-Bold.ttf"

    /// Where the fonts are looked for: `RINGO_FONT_DIR` when set, else the system's DejaVu folder.
    public static func directory(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let configured = environment["RINGO_FONT_DIR"], !configured.isEmpty { return configured }
        return defaultDirectory
    }

    public struct Missing: Error, CustomStringConvertible, Sendable {
        public let directory: String
        public let reason: String
        public var description: String {
            "The document fonts \(regularFile) and \(boldFile) are not usable in \(directory) (\(reason)): "
                + "install fonts-dejavu-core or set RINGO_FONT_DIR."
        }
    }

    /// Both fonts, loaded once per process; the error says what is missing and how to fix it.
    public static func load() -> Result<(regular: Font, bold: Font), Missing> { loaded }

    private static let loaded: Result<(regular: Font, bold: Font), Missing> = {
        let folder = directory()
        do {
            let regular = try Font(contentsOf: URL(fileURLWithPath: folder).appendingPathComponent(regularFile))
            let bold = try Font(contentsOf: URL(fileURLWithPath: folder).appendingPathComponent(boldFile))
            return .success((regular, bold))
        } catch {
            return .failure(Missing(directory: folder, reason: "\(error)"))
        }
    }()
}

extension PDFDocument {
    /// A document in DejaVu Sans and DejaVu Sans Bold; throws `DocumentFonts.Missing` when they cannot be read.
    public convenience init(
        title: String, pageSize: PDFPageSize = .a4, margins: PDFMargins = PDFMargins(), creationDate: Date = Date()
    ) throws {
        let fonts = try DocumentFonts.load().get()
        self.init(
            title: title, regularFont: fonts.regular, boldFont: fonts.bold,
            pageSize: pageSize, margins: margins, creationDate: creationDate)
    }
}

import Foundation

/// Where the original kept a photo's file under its MEDIA_ROOT, from the URL it stored for it
/// (docs/import.md#photos): `https://host/media/orders/a.jpg`, `/media/orders/a.jpg` or `orders/a.jpg`.
public enum OriginalMediaPath {
    /// Relative paths to try in order: the URL's whole path, then without its first folder (Django's `MEDIA_URL`,
    /// such as `media/`). None for a path that would leave the folder.
    public static func candidates(_ url: String) -> [String] {
        var path = Substring(url.trimmingCharacters(in: .whitespaces))
        if let scheme = path.range(of: "://") {
            let rest = path[scheme.upperBound...]
            path = rest.firstIndex(of: "/").map { rest[$0...] } ?? ""
        }
        if let end = path.firstIndex(where: { $0 == "?" || $0 == "#" }) { path = path[..<end] }
        let decoded = String(path).removingPercentEncoding ?? String(path)
        let segments = decoded.split(separator: "/").map(String.init)
        guard !segments.isEmpty, !segments.contains(where: { $0 == ".." || $0 == "." || $0.contains("\\") }) else {
            return []
        }
        var result = [segments.joined(separator: "/")]
        if segments.count > 1 { result.append(segments.dropFirst().joined(separator: "/")) }
        return result
    }
}

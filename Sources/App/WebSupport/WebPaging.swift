import Vapor

extension Request {
    /// The list page a web page shows: `?<key>=N` clamped to 1…the last page of `count` rows by `size`
    /// (a missing, bad or too large number shows the nearest page, never an error).
    func webPage(count: Int, size: Int, key: String = "page") -> (page: Int, totalPages: Int) {
        let totalPages = max(1, (count + size - 1) / size)
        let page = min(max(1, queryValues[key].flatMap { Int($0) } ?? 1), totalPages)
        return (page, totalPages)
    }
}

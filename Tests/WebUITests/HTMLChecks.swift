import Foundation

/// Small structural checks on rendered HTML (no parser dependency).
enum HTMLChecks {
    /// Opening tags of `name` (`<input …>`), attributes included.
    static func tags(_ name: String, in html: String) -> [String] {
        var result: [String] = []
        var rest = html[...]
        while let start = rest.range(of: "<" + name + " ") ?? rest.range(of: "<" + name + ">") {
            guard let end = rest[start.upperBound...].firstIndex(of: ">") else { break }
            result.append(String(rest[start.lowerBound...end]))
            rest = rest[rest.index(after: end)...]
        }
        return result
    }

    /// The value of `attribute` in an opening tag.
    static func attribute(_ attribute: String, of tag: String) -> String? {
        guard let start = tag.range(of: " " + attribute + "=\"") else { return nil }
        let rest = tag[start.upperBound...]
        guard let end = rest.firstIndex(of: "\"") else { return nil }
        return String(rest[..<end])
    }

    /// Ids of visible form controls that have no `<label for=…>`.
    static func unlabelledControls(in html: String) -> [String] {
        let controls = tags("input", in: html) + tags("select", in: html) + tags("textarea", in: html)
        var missing: [String] = []
        for control in controls {
            let type = attribute("type", of: control) ?? "text"
            if type == "hidden" || type == "submit" { continue }
            guard let id = attribute("id", of: control) else {
                missing.append(control)
                continue
            }
            if !html.contains("for=\"" + id + "\"") { missing.append(id) }
        }
        return missing
    }

    /// POST forms (their opening tags) that lack the hidden `_csrf` field with `token`.
    static func postFormsWithoutCSRF(in html: String, token: String) -> [String] {
        let csrf = "<input type=\"hidden\" name=\"_csrf\" value=\"" + token + "\"/>"
        var missing: [String] = []
        for chunk in html.components(separatedBy: "<form ").dropFirst() {
            let body = chunk.components(separatedBy: "</form>").first ?? ""
            guard body.hasPrefix("method=\"post\"") else { continue }
            if !body.contains(csrf) { missing.append(String(body.prefix(80))) }
        }
        return missing
    }

    /// Number of POST forms.
    static func postFormCount(in html: String) -> Int {
        return html.components(separatedBy: "<form method=\"post\"").count - 1
    }

    /// Every element id used twice or more.
    static func duplicateIDs(in html: String) -> [String] {
        var seen: [String: Int] = [:]
        var rest = html[...]
        while let range = rest.range(of: " id=\"") {
            let after = rest[range.upperBound...]
            guard let end = after.firstIndex(of: "\"") else { break }
            seen[String(after[..<end]), default: 0] += 1
            rest = after[end...]
        }
        return seen.filter { $0.value > 1 }.map(\.key).sorted()
    }
}

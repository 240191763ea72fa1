import Domain
import Foundation
import WebUI

/// The new-order form opened from the board (`/orders/new?equipment=…|operator=…&start=…&end=…`): the machine
/// or operator and the selected interval filled in. Anything malformed is left out, so the form opens as usual.
enum PlanningPrefill {
    static func values(query: (String) -> String?, timeZone: TimeZone) -> OrderFormModel.Values {
        var values = OrderFormModel.Values()
        func local(_ key: String) -> Date? {
            query(key).flatMap { RussianFormat.parseDateTimeLocal($0, in: timeZone) }
        }
        let start = local("start")
        if let start { values.start = RussianFormat.dateTimeLocalInput(start, in: timeZone) }
        if let end = local("end"), start.map({ end > $0 }) ?? true {
            values.end = RussianFormat.dateTimeLocalInput(end, in: timeZone)
        }
        if let machine = query("equipment").flatMap({ Int($0) }), machine > 0 {
            values.items = [OrderFormModel.Item(kind: .equipment, refID: String(machine))]
        }
        if let person = query("operator").flatMap({ Int($0) }), person > 0 {
            values.operatorIDs = [String(person)]
        }
        return values
    }
}

/// One field of a partial update: left as it is, or set to a value (which may itself be optional).
enum Patch<Value: Sendable>: Sendable {
    case keep
    case set(Value)

    func apply(to value: inout Value) {
        if case .set(let new) = self { value = new }
    }

    func value(or current: Value) -> Value {
        if case .set(let new) = self { return new }
        return current
    }
}

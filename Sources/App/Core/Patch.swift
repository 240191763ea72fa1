/// One field of a partial update: leave the stored value as it is, or set a new one.
enum Patch<Value: Sendable>: Sendable {
    case keep
    case set(Value)

    /// The new value, or `current` when the field is kept.
    func value(or current: Value) -> Value {
        if case .set(let value) = self { return value }
        return current
    }

    /// Writes the new value into `target`; a kept field leaves it alone.
    func apply(to target: inout Value) {
        if case .set(let value) = self { target = value }
    }
}

extension Patch {
    /// `.set` for a present value, `.keep` for nil: a parsed optional field.
    init(_ value: Value?) {
        self = value.map(Patch.set) ?? .keep
    }

    var newValue: Value? {
        if case .set(let value) = self { return value }
        return nil
    }
}

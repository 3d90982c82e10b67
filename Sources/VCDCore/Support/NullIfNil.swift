/// An optional that synthesized `Encodable` writes as `null` when nil instead of leaving the key out:
/// control API consumers should see every key, not guess which ones a nil dropped.
@propertyWrapper
public struct NullIfNil<Value> {
    public var wrappedValue: Value?

    public init(wrappedValue: Value?) { self.wrappedValue = wrappedValue }
}

extension NullIfNil: Encodable where Value: Encodable {
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        if let wrappedValue { try c.encode(wrappedValue) } else { try c.encodeNil() }
    }
}

extension NullIfNil: Decodable where Value: Decodable {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        wrappedValue = c.decodeNil() ? nil : try c.decode(Value.self)
    }
}

extension NullIfNil: Equatable where Value: Equatable {}
extension NullIfNil: Hashable where Value: Hashable {}
extension NullIfNil: Sendable where Value: Sendable {}

extension KeyedDecodingContainer {
    /// A missing key reads as nil, as it would for a plain optional.
    public func decode<Value: Decodable>(_ type: NullIfNil<Value>.Type, forKey key: Key) throws -> NullIfNil<Value> {
        try decodeIfPresent(type, forKey: key) ?? NullIfNil(wrappedValue: nil)
    }
}

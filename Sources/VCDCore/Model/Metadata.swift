/// One metadata entry of an org, vdc, catalog, user or task (reference §8).
public struct MetadataEntry: Sendable, Equatable {
    public enum ValueType: String, Sendable, CaseIterable {
        case string = "MetadataStringValue", number = "MetadataNumberValue"
        case boolean = "MetadataBooleanValue", dateTime = "MetadataDateTimeValue"

        /// The fixture-file name (`string`, `number`, `boolean`, `dateTime`).
        public var fixtureName: String {
            switch self {
            case .string: "string"
            case .number: "number"
            case .boolean: "boolean"
            case .dateTime: "dateTime"
            }
        }
    }

    public enum Domain: String, Sendable, CaseIterable { case general = "GENERAL", system = "SYSTEM" }
    public enum Visibility: String, Sendable, CaseIterable { case readWrite = "READWRITE", readOnly = "READONLY", `private` = "PRIVATE" }

    public var domain: Domain
    public var visibility: Visibility
    public var key: String
    public var value: String
    public var type: ValueType

    public init(key: String, value: String, type: ValueType = .string, domain: Domain = .general,
                visibility: Visibility = .readWrite) {
        self.key = key
        self.value = value
        self.type = type
        self.domain = domain
        self.visibility = visibility
    }
}

/// The rules of §8: which domain/visibility pairs exist, what a value of each type looks like, and who
/// sees or writes what.
public enum MetadataRules {
    /// GENERAL/READWRITE, SYSTEM/PRIVATE and SYSTEM/READONLY; anything else is refused.
    public static func validPair(_ d: MetadataEntry.Domain, _ v: MetadataEntry.Visibility) -> Bool {
        switch d {
        case .general: v == .readWrite
        case .system: v != .readWrite
        }
    }

    /// Checks the value against its type; the message says what a valid one looks like.
    public static func check(_ e: MetadataEntry) throws(DomainError) {
        guard !e.key.isEmpty, e.key.utf8.count <= 256, !e.key.contains("/") else {
            throw .badRequest("Metadata key \"\(e.key)\" must be 1-256 characters without '/'.")
        }
        guard validPair(e.domain, e.visibility) else {
            throw .badRequest("Metadata domain \(e.domain.rawValue) with visibility \(e.visibility.rawValue) is not valid; "
                + "use GENERAL/READWRITE, SYSTEM/READONLY or SYSTEM/PRIVATE.")
        }
        switch e.type {
        case .string: return
        case .number:
            guard Int64(e.value) != nil else {
                throw .badRequest("Metadata value \"\(e.value)\" of key \"\(e.key)\" is not a MetadataNumberValue (a whole number such as 42).")
            }
        case .boolean:
            guard e.value == "true" || e.value == "false" else {
                throw .badRequest("Metadata value \"\(e.value)\" of key \"\(e.key)\" is not a MetadataBooleanValue (true or false).")
            }
        case .dateTime:
            guard Timestamp(iso8601: e.value) != nil else {
                throw .badRequest("Metadata value \"\(e.value)\" of key \"\(e.key)\" is not a MetadataDateTimeValue "
                    + "(ISO 8601, e.g. 2024-05-01T10:00:00.000Z).")
            }
        }
    }

    /// Tenants never see SYSTEM/PRIVATE entries; system administrators see everything.
    public static func visible(_ e: MetadataEntry, sysadmin: Bool) -> Bool {
        sysadmin || !(e.domain == .system && e.visibility == .private)
    }

    /// Only system administrators write the SYSTEM domain.
    public static func writable(_ domain: MetadataEntry.Domain, sysadmin: Bool) -> Bool {
        sysadmin || domain == .general
    }
}

import Synchronization
import Testing
import VCDCore

// MARK: - Test doubles shared by the VCDCore tests

/// A clock that stands still until a test moves it. Starts at 2024-05-01T10:00:00.000Z.
final class TestClock: TimeSource {
    private let current: Mutex<Timestamp>

    init(_ start: Timestamp = TestWorld.start) { current = Mutex(start) }

    func now() -> Timestamp { current.withLock { $0 } }

    func advance(milliseconds: Int64) { current.withLock { $0 = $0.adding(milliseconds: milliseconds) } }
}

/// Ids 00000000-0000-4000-8000-000000000001, …002, … and tokens token-1, token-2, …
final class SequentialIDs: IDGenerator {
    private let uuids = Mutex(0)
    private let tokens = Mutex(0)

    func uuid() -> String {
        let n = uuids.withLock { $0 += 1; return $0 }
        let digits = String(n)
        return "00000000-0000-4000-8000-" + String(repeating: "0", count: 12 - digits.count) + digits
    }

    func token() -> String { "token-" + String(tokens.withLock { $0 += 1; return $0 }) }
}

/// A small cloud: System (a sysadmin and an org administrator), acme (id 26), globex, and a disabled org.
enum TestWorld {
    static let start = Timestamp(milliseconds: 1_714_557_600_000)  // 2024-05-01T10:00:00.000Z
    static let systemID = "sys"
    static let acmeID = "26"
    static let globexID = "g1"

    static func orgs() -> [Org] {
        [
            Org(id: systemID, name: "System", users: [
                User(id: "u-admin", name: "administrator", password: "vmware", role: .systemAdministrator),
                User(id: "u-operator", name: "operator", password: "operator", role: .orgAdministrator),
            ]),
            Org(id: acmeID, name: "acme", users: [
                User(id: "u-alice", name: "alice", password: "alice", role: .orgAdministrator),
                User(id: "u-dave", name: "dave", password: "dave", role: .user),
            ]),
            Org(id: globexID, name: "globex", users: [
                User(id: "u-bob", name: "bob", password: "bob", role: .orgAdministrator),
            ]),
            Org(id: "off", name: "initech", enabled: false, users: [
                User(id: "u-ivan", name: "ivan", password: "ivan", role: .user),
            ]),
        ]
    }

    static func store(clock: TestClock = TestClock(), settings: CloudSettings = CloudSettings()) -> Store {
        Store(orgs: orgs(), clock: clock, ids: SequentialIDs(), settings: settings)
    }
}

/// Whoever wants to hear about a change (the notifier, the `/mock/wait` registry), told outside the
/// owner's lock. Held weakly: the observers' owner keeps them alive, and an observer that holds its
/// subject (the wait registry holds the store and the message journal) makes no cycle.
/// A list of weak references, not stored closures: reading a closure back out of the generic lock cost
/// more than the whole message journal on the publisher's path (measured: POST with AMQP 8.5k -> 2.3k req/s).
/// (Swift lets no protocol existential satisfy `AnyObject`, so the reference is stored as `AnyObject`
/// and cast back; the runtime caches that conformance check.)
public final class Observers<Observer: Sendable>: Sendable {
    private struct Weak {
        weak var value: AnyObject?
    }

    private let list = Locked<[Weak]>([])

    public init() {}

    /// `observer` must be a class instance (the observer protocols are `AnyObject`); values are ignored.
    public func add(_ observer: Observer) {
        guard type(of: observer as Any) is AnyClass else { return }
        let object = observer as AnyObject
        list.withLock { $0.append(Weak(value: object)) }
    }

    /// Calls `body` for each live observer, in the order added, outside the lock.
    public func forEach(_ body: (Observer) -> Void) {
        let current = list.withLock { $0 }
        for o in current { if let value = o.value as? Observer { body(value) } }
    }
}

/// Whoever wants to hear about a change (the notifier, the `/mock/wait` registry), told outside the
/// owner's lock. Held weakly: the observers' owner keeps them alive, and an observer that holds its
/// subject (the wait registry holds the store and the message journal) makes no cycle.
/// A list of weak references, not stored closures: reading a closure back out of the generic lock cost
/// more than the whole message journal on the publisher's path (measured: POST with AMQP 8.5k -> 2.3k req/s).
public final class Observers<Reference: WeakReference>: Sendable {
    private let list = Locked<[Reference]>([])

    public init() {}

    public func add(_ observer: Reference.Observer) {
        let reference = Reference(observer)
        list.withLock { $0.append(reference) }
    }

    /// Calls `body` for each live observer, in the order added, outside the lock.
    public func forEach(_ body: (Reference.Observer) -> Void) {
        let current = list.withLock { $0 }
        for r in current { if let value = r.value { body(value) } }
    }
}

/// A weak reference to one observer: `struct { weak var value: (any P)? }` for each observer protocol P.
/// Swift has no generic weak reference to a protocol existential (`any P` never satisfies `AnyObject`),
/// and going through `AnyObject` plus a cast back measured ~1.7x the cost per call here.
public protocol WeakReference: Sendable {
    associatedtype Observer
    init(_ observer: Observer)
    var value: Observer? { get }
}

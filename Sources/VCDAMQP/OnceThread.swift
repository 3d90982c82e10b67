import Foundation
import Synchronization

/// The dedicated thread of a broker client (publisher, extension request/reply), started at most once
/// and only when first needed, so an unused client costs nothing.
final class OnceThread: Sendable {
    let name: String
    private let started = Atomic<Bool>(false)

    init(name: String) { self.name = name }

    var isStarted: Bool { started.load(ordering: .acquiring) }

    /// Runs `body` on a new thread the first time; later calls do nothing.
    func start(_ body: @escaping @Sendable () -> Void) {
        guard started.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged else {
            return
        }
        let thread = Thread(block: body)
        thread.name = name
        thread.start()
    }
}

import Testing
import VCDAMQP
import VCDCore
@testable import VCDMock

/// Status updates find their journal entry by serial number: across wrap-around, after entries were
/// overwritten, and after `DELETE /mock/messages` (a late update must not land on a newer message).
@Suite struct MessageSerialTests {
    func entry(_ id: String) -> MessageEntry {
        MessageEntry(message: OutgoingMessage(messageID: id, exchange: "x", routingKey: "k", contentType: "text/plain", body: []),
                     event: Event(id: id, type: "com/vmware/vcloud/event/task/create", timestamp: Timestamp(milliseconds: 0),
                                  orgID: "o", user: .user(id: "u", name: "u")),
                     orgName: "o")
    }

    func statuses(_ j: MessageJournal) -> [String: MessageEntry.Status] {
        Dictionary(uniqueKeysWithValues: j.snapshot().entries.map { ($0.message.messageID, $0.status) })
    }

    func change(_ serial: UInt64, _ status: Publisher.Status) -> Publisher.StatusChange {
        var m = OutgoingMessage(messageID: "?", exchange: "x", routingKey: "k", contentType: "text/plain", body: [])
        m.serial = serial
        return Publisher.StatusChange(m, status)
    }

    @Test func updatesReachTheEntryWithTheirSerialAcrossWrapAround() {
        let j = MessageJournal(capacity: 3)
        let first = j.record([entry("a"), entry("b")])
        let third = j.record([entry("c"), entry("d"), entry("e")])  // a and b are overwritten
        #expect(third == first + 2)
        j.update([change(first, .confirmed), change(third + 1, .confirmed), change(third + 2, .nacked), change(third + 3, .confirmed)])
        #expect(statuses(j) == ["c": .pending, "d": .confirmed, "e": .nacked], "a's serial is gone; serial e+1 does not exist yet")
        #expect(j.snapshot().dropped == 2)
    }

    @Test func aLateUpdateAfterClearLandsNowhere() {
        let j = MessageJournal(capacity: 4)
        let old = j.record([entry("a")])
        j.clear()
        let new = j.record([entry("b")])
        #expect(new == old + 1, "serials go on after a clear")
        j.update([change(old, .confirmed)])
        #expect(statuses(j) == ["b": .pending])
        j.update([change(new, .returned)])
        #expect(statuses(j) == ["b": .returned])
    }
}

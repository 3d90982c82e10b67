import Foundation
import Testing
import VCDCore

@Suite struct BoundedRingTests {
    @Test func keepsTheLastCapacityValuesOldestFirstAndCountsTheDropped() {
        var ring = BoundedRing<Int>(capacity: 3)
        #expect(ring.append(1).evicted == nil)
        ring.append(2)
        ring.append(3)
        #expect(ring.inOrder == [1, 2, 3])
        let (slot, evicted) = ring.append(4)
        #expect(evicted == 1)
        #expect(ring[slot] == 4)
        ring.append(5)
        #expect(ring.inOrder == [3, 4, 5])
        #expect(ring.dropped == 2)
        #expect(ring.count == 3)
    }

    @Test func lastFindsTheNewestMatchAcrossTheWrap() {
        var ring = BoundedRing<Int>(capacity: 4)
        for n in 1...6 { ring.append(n) }
        #expect(ring.last(where: { $0 % 2 == 1 }) == 5)
        #expect(ring.last(where: { $0 < 3 }) == nil)
        #expect(ring.last(where: { $0 == 3 }) == 3)
    }

    @Test func slotsChangeInPlace() {
        var ring = BoundedRing<String>(capacity: 2)
        let a = ring.append("a").slot
        ring[a] += "!"
        #expect(ring.inOrder == ["a!"])
    }
}

protocol Pinged: AnyObject, Sendable { func ping(_ n: Int) }

struct WeakPinged: WeakReference {
    weak var value: (any Pinged)?
    init(_ observer: any Pinged) { value = observer }
}

final class Pinger: Pinged, @unchecked Sendable {
    var got: [Int] = []
    func ping(_ n: Int) { got.append(n) }
}

@Suite struct ObserversTests {
    @Test func tellsLiveObserversInOrderAndForgetsReleasedOnes() {
        let list = Observers<WeakPinged>()
        let kept = Pinger()
        var order: [ObjectIdentifier] = []
        do {
            let gone = Pinger()
            list.add(kept)
            list.add(gone)
            list.forEach { order.append(ObjectIdentifier($0)); $0.ping(1) }
            #expect(order == [ObjectIdentifier(kept), ObjectIdentifier(gone)])
            #expect(gone.got == [1])
        }
        order = []
        list.forEach { order.append(ObjectIdentifier($0)); $0.ping(2) }
        #expect(order == [ObjectIdentifier(kept)])
        #expect(kept.got == [1, 2])
    }
}

@Suite struct NullIfNilTests {
    struct View: Codable, Equatable {
        let a: Int
        @NullIfNil var b: String?
        @NullIfNil var c: String?
    }

    /// Sorted keys, as the control API writes them.
    @Test func nilIsWrittenAsNull() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = try encoder.encode(View(a: 1, b: nil, c: "x"))
        #expect(String(decoding: data, as: UTF8.self) == #"{"a":1,"b":null,"c":"x"}"#)
    }

    @Test func readsNullAndMissingKeysAsNil() throws {
        let v = try JSONDecoder().decode(View.self, from: Data(#"{"a":2,"c":null}"#.utf8))
        #expect(v == View(a: 2, b: nil, c: nil))
    }
}

@Suite struct TextTests {
    @Test(arguments: [("true", true), ("1", true), (" false\n", false), ("0", false)])
    func xsBooleanReadsTheFourLexicalForms(_ text: String, _ value: Bool) {
        #expect(xsBoolean(text) == value)
    }

    @Test(arguments: ["TRUE", "yes", "", "2", "t rue"])
    func xsBooleanRejectsTheRest(_ text: String) {
        #expect(xsBoolean(text) == nil)
    }

    @Test func trimmedDropsWhiteSpaceAtBothEndsOnly() {
        #expect(" \t a b \r\n".trimmed == "a b")
        #expect("".trimmed == "")
    }

    @Test func uuidTextWritesTheCanonicalForm() {
        #expect(uuidText(0x0123_4567_89ab_cdef, 0xfedc_ba98_7654_3210) == "01234567-89ab-cdef-fedc-ba9876543210")
    }
}

@Suite struct JSONValueTests {
    @Test func decodesEachKindAndReadsThemBack() throws {
        let v = try JSONDecoder().decode([String: JSONValue].self, from: Data(
            #"{"s":"x","n":2,"f":1.5,"b":true,"z":null,"a":[1],"o":{"k":"v"}}"#.utf8))
        #expect(v["s"]?.string == "x")
        #expect(v["n"]?.integer == 2)
        #expect(v["f"]?.integer == nil)
        #expect(v["f"]?.text == "1.5")
        #expect(v["b"]?.bool == true)
        #expect(v["b"]?.number == nil)
        #expect(v["z"] == .null)
        #expect(v["a"] == .array([.number(1)]))
        #expect(v["o"]?.object?["k"]?.text == "v")
    }
}

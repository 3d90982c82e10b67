import CLibXML2
#if canImport(Glibc)
import Glibc
#endif

/// Builds `ParsedElement`s from libxml2's SAX callbacks while `XMLReader.parse` runs on this thread:
/// open elements on a stack, each closed one appended to its parent.
final class TreeBuilder {
    var open: [ParsedElement] = []
    var root: ParsedElement?

    init() { open.reserveCapacity(8) }

    static func from(_ ctx: UnsafeMutableRawPointer?) -> TreeBuilder {
        Unmanaged<TreeBuilder>.fromOpaque(ctx!).takeUnretainedValue()
    }

    /// Attributes come as 5 pointers each: local name, prefix, URI, value start, value end. Without entity
    /// substitution libxml2 hands an `&` in a value on as `&#38;` (its own tree builder decodes it later);
    /// other entities cannot occur, because a DOCTYPE stops the parse.
    static let start: startElementNsSAX2Func = { ctx, localname, _, uri, _, _, count, _, attributes in
        let b = from(ctx)
        var element = ParsedElement(name: text(localname), namespace: uri.map { String(cString: $0) })
        if count > 0, let attributes {
            element.pairs.reserveCapacity(Int(count))
            for i in 0..<Int(count) {
                guard let name = attributes[5 * i], let begin = attributes[5 * i + 3], let end = attributes[5 * i + 4] else { continue }
                let bytes = UnsafeBufferPointer(start: begin, count: end - begin)
                var value = String(decoding: bytes, as: UTF8.self)
                if memchr(begin, Int32(UInt8(ascii: "&")), bytes.count) != nil { value = value.replacing("&#38;", with: "&") }
                element.pairs.append((String(cString: name), value))
            }
        }
        b.open.append(element)
    }

    static let end: endElementNsSAX2Func = { ctx, _, _, _ in
        let b = from(ctx)
        guard let element = b.open.popLast() else { return }
        if b.open.isEmpty {
            b.root = element
        } else {
            b.open[b.open.count - 1].children.append(element)
        }
    }

    static let characters: charactersSAXFunc = { ctx, bytes, length in
        let b = from(ctx)
        guard let bytes, length > 0, !b.open.isEmpty else { return }
        b.open[b.open.count - 1].text += String(decoding: UnsafeBufferPointer(start: bytes, count: Int(length)), as: UTF8.self)
    }

    private static func text(_ p: UnsafePointer<xmlChar>?) -> String {
        p.map { String(cString: $0) } ?? ""
    }
}

import Foundation
import Synchronization
import Testing
import VCDCore
import VCDXML

// Shared vocabulary of the end-to-end tests: what a vCD answer must look like, and small request builders.

/// The API version every test negotiates.
let apiVersion = "5.5"

/// `<media type>;version=5.5`, the Content-Type of every vCD 5.5 answer (reference §1.4).
func versioned(_ mediaType: String) -> String { "\(mediaType);version=\(apiVersion)" }

/// A clock the test moves by hand; starts at the reference's example instant.
final class TestClock: VCDCore.TimeSource {
    private let millis: Mutex<Int64>

    init(_ iso8601: String = "2024-05-01T10:00:00.000Z") {
        millis = Mutex(Timestamp(iso8601: iso8601)!.milliseconds)
    }

    func now() -> Timestamp { Timestamp(milliseconds: millis.withLock { $0 }) }

    func advance(seconds: Int64) { millis.withLock { $0 += seconds * 1000 } }
}

// MARK: - Answers

/// Checks the Content-Type (with `;version=5.5`) and the request id, and returns the parsed body.
@discardableResult
func expectDocument(_ r: TestClient.Response, _ status: Int = 200, _ mediaType: String,
                    sourceLocation: SourceLocation = #_sourceLocation) throws -> ParsedElement {
    #expect(r.status == status, "body: \(r.text)", sourceLocation: sourceLocation)
    #expect(r.header("Content-Type") == versioned(mediaType), sourceLocation: sourceLocation)
    #expect(!(r.header("X-VMWARE-VCLOUD-REQUEST-ID") ?? "").isEmpty, sourceLocation: sourceLocation)
    let root = try r.xml()
    #expect(root.namespace == Namespace.vcloud, sourceLocation: sourceLocation)
    return root
}

/// Every failure is an `Error` element in the v1.5 namespace (reference §1.8): majorErrorCode equals the
/// HTTP status, the minorErrorCode names the cause, the message is not empty.
@discardableResult
func expectVCDError(_ r: TestClient.Response, _ status: Int, _ minorErrorCode: String,
                    sourceLocation: SourceLocation = #_sourceLocation) throws -> ParsedElement {
    #expect(r.status == status, "body: \(r.text)", sourceLocation: sourceLocation)
    #expect(r.header("Content-Type") == versioned(MediaType.error), sourceLocation: sourceLocation)
    #expect(!(r.header("X-VMWARE-VCLOUD-REQUEST-ID") ?? "").isEmpty, sourceLocation: sourceLocation)
    let error = try r.xml()
    #expect(error.name == "Error", sourceLocation: sourceLocation)
    #expect(error.namespace == Namespace.vcloud, sourceLocation: sourceLocation)
    #expect(error["majorErrorCode"] == String(status), sourceLocation: sourceLocation)
    #expect(error["minorErrorCode"] == minorErrorCode, sourceLocation: sourceLocation)
    #expect(!(error["message"] ?? "").isEmpty, sourceLocation: sourceLocation)
    return error
}

/// 403 as real vCD words it for unknown or foreign ids: `No access to entity "com.vmware.vcloud.entity.<kind>:<id>".`
func expectNoAccess(_ r: TestClient.Response, _ kind: String, _ id: String,
                    sourceLocation: SourceLocation = #_sourceLocation) throws {
    let error = try expectVCDError(r, 403, "ACCESS_TO_RESOURCE_IS_FORBIDDEN", sourceLocation: sourceLocation)
    #expect(error["message"] == "No access to entity \"com.vmware.vcloud.entity.\(kind):\(id)\".",
            sourceLocation: sourceLocation)
}

/// A failed request must not take the server down: a new client still lists orgs.
func expectServerStillAnswers(_ server: TestServer, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let r = try server.sysadmin().send("GET", "/api/org")
    #expect(r.status == 200, sourceLocation: sourceLocation)
    #expect(r.header("Content-Type") == versioned(MediaType.orgList), sourceLocation: sourceLocation)
}

// MARK: - Documents

extension ParsedElement {
    /// `Link` children with this rel and type (`nil` type: links that carry no type attribute).
    func links(rel: String, type: String?) -> [ParsedElement] {
        children("Link").filter { $0["rel"] == rel && $0["type"] == type }
    }

    /// The one link with this rel and type, or nil if there are none or several.
    func link(rel: String, type: String?) -> ParsedElement? {
        let found = links(rel: rel, type: type)
        return found.count == 1 ? found[0] : nil
    }

    /// Child element names with runs of the same name collapsed: `Link, Link, FullName` reads `Link, FullName`.
    /// Comparing this to the schema's sequence checks both presence and order.
    var childSequence: [String] {
        children.map(\.name).reduce(into: [String]()) { seq, name in
            if seq.last != name { seq.append(name) }
        }
    }
}

/// The last path segment of an href (the entity id in this mock's URLs).
func lastSegment(_ href: String?) -> String {
    guard let href, let slash = href.lastIndex(of: "/") else { return "" }
    return String(href[href.index(after: slash)...])
}

// MARK: - Fixtures

extension TestServer {
    /// The id of a fixture org, found the way a client finds it: through the sysadmin's OrgList.
    func orgID(_ name: String) throws -> String {
        let list = try sysadmin().send("GET", "/api/org").xml()
        let org = try #require(list.children("Org").first { $0["name"] == name })
        return lastSegment(org["href"])
    }

    func url(_ path: String) -> String { base + path }
}

extension TestClient {
    /// The logged-in user's id, from the `userId` URN of `GET /api/session`.
    func userID() throws -> String {
        let session = try send("GET", "/api/session").xml()
        let urn = try #require(session["userId"])
        return String(urn.dropFirst("urn:vcloud:user:".count))
    }

    /// `POST /api/tasksList/{org}` with a Task body.
    func postTask(_ xml: String, org: String = "26", contentType: String = MediaType.task) throws -> Response {
        try send("POST", "/api/tasksList/\(org)", xml: xml, contentType: contentType)
    }

    /// `PUT` a Task body to a task href.
    func putTask(_ href: String, _ xml: String) throws -> Response {
        try send("PUT", href, xml: xml, contentType: MediaType.task)
    }

    /// `POST /api/admin/org/{org}/events` with an Event body.
    func postEvent(_ xml: String, org: String = "26", contentType: String = MediaType.adminEvent) throws -> Response {
        try send("POST", "/api/admin/org/\(org)/events", xml: xml, contentType: contentType)
    }
}

/// A `Task` body in the v1.5 namespace; by default the minimum a service sends.
func taskXML(_ attributes: String = #"name="task" status="running" serviceNamespace="org.example.vcd.backup""#,
             _ children: String = "") -> String {
    #"<Task xmlns="http://www.vmware.com/vcloud/v1.5" \#(attributes)>\#(children)</Task>"#
}

/// An `Event` body in the v1.5 namespace; by default a valid one.
func eventXML(_ attributes: String = #"type="backupComplete" serviceNamespace="org.example.vcd.backup" success="true" typeFull="Backup finished""#,
              _ children: String = "") -> String {
    #"<Event xmlns="http://www.vmware.com/vcloud/v1.5" \#(attributes)>\#(children)</Event>"#
}

/// Polls `condition` until it holds or `seconds` pass (then throws): waits on a state, never a bare sleep.
func waitUntil(_ what: String, seconds: Double = 20, _ condition: () throws -> Bool) throws {
    let deadline = Date().addingTimeInterval(seconds)
    while try !condition() {
        guard Date() < deadline else { throw TestFailure("timed out after \(seconds) s waiting for: \(what)") }
        usleep(5_000)
    }
}

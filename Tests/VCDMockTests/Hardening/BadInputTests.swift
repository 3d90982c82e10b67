import Foundation
import Testing
import VCDXML

/// The bad-input battery (issue 12): hostile or broken XML, sizes, paths and credentials. Each is
/// answered with the right vCD Error, leaks nothing from the host, and the server keeps answering.
@Suite struct BadInputTests {
    static let ns = "http://www.vmware.com/vcloud/v1.5"
    static let attrs = #"name="t" status="running" serviceNamespace="org.example.vcd.backup""#

    /// Bodies for POST /api/tasksList/{org} that must be refused with 400 BAD_REQUEST.
    static let badTaskBodies: [(String, [UInt8])] = [
        ("XXE", Array(#"<?xml version="1.0"?><!DOCTYPE Task [<!ENTITY x SYSTEM "file:///etc/passwd">]><Task xmlns="\#(ns)" \#(attrs)><Details>&x;</Details></Task>"#.utf8)),
        ("billion laughs", Array(("<?xml version=\"1.0\"?><!DOCTYPE Task [<!ENTITY a0 \"lol\">"
            + (1...9).map { "<!ENTITY a\($0) \"" + String(repeating: "&a\($0 - 1);", count: 10) + "\">" }.joined()
            + "]><Task xmlns=\"\(ns)\" \(attrs)><Details>&a9;</Details></Task>").utf8)),
        ("DOCTYPE", Array(#"<!DOCTYPE Task SYSTEM "http://127.0.0.1:1/x.dtd"><Task xmlns="\#(ns)" \#(attrs)/>"#.utf8)),
        ("truncated", Array(#"<Task xmlns="\#(ns)" \#(attrs)><Details>half"#.utf8)),
        ("malformed", Array(#"<Task xmlns="\#(ns)" \#(attrs)><</Task>"#.utf8)),
        ("wrong namespace", Array(#"<Task xmlns="urn:not-vcloud" \#(attrs)/>"#.utf8)),
        ("invalid UTF-8", Array(#"<Task xmlns="\#(ns)" name=""#.utf8) + [0xff, 0xfe, 0xc3] + Array(#"" status="running" serviceNamespace="x"/>"#.utf8)),
        ("NUL byte", Array(#"<Task xmlns="\#(ns)" name="a"#.utf8) + [0] + Array(#"b" status="running" serviceNamespace="x"/>"#.utf8)),
        ("deeply nested", Array((#"<Task xmlns="\#(ns)" \#(attrs)><Details>"# + String(repeating: "<a>", count: 5000)
            + String(repeating: "</a>", count: 5000) + "</Details></Task>").utf8)),
        ("empty", []),
        ("not XML", Array("{\"name\": \"t\"}".utf8)),
    ]

    @Test(arguments: badTaskBodies.map(\.0))
    func aBadTaskBodyIs400AndLeaksNothing(_ name: String) throws {
        let body = try #require(Self.badTaskBodies.first { $0.0 == name }?.1)
        let server = try TestServer()
        let admin = try server.sysadmin()
        let r = try admin.send("POST", "/api/tasksList/26", headers: ["Content-Type": MediaType.task], body: body)
        try expectVCDError(r, 400, "BAD_REQUEST")
        #expect(!r.text.contains("root:"), "the answer must not carry host files")
        #expect(!r.text.contains("lollollol"), "entities must not be expanded")
        try expectServerStillAnswers(server)
    }

    @Test func xincludeIsNotFollowed() throws {
        let server = try TestServer()
        let body = #"<Task xmlns="\#(Self.ns)" xmlns:xi="http://www.w3.org/2001/XInclude" \#(Self.attrs)><Details><xi:include href="file:///etc/passwd" parse="text"/></Details></Task>"#
        let r = try server.sysadmin().postTask(body)
        #expect(r.status == 200 || r.status == 400, "status \(r.status): \(r.text)")
        #expect(!r.text.contains("root:"))
        try expectServerStillAnswers(server)
    }

    @Test func aHugeBodyIs413() throws {
        let server = try TestServer()
        let r = try server.sysadmin().send("POST", "/api/tasksList/26", headers: ["Content-Type": MediaType.task],
                                           body: Array(repeating: UInt8(ascii: "a"), count: 2 << 20))
        try expectVCDError(r, 413, "REQUEST_ENTITY_TOO_LARGE")
        try expectServerStillAnswers(server)
    }

    @Test(arguments: ["/api/../../etc/passwd", "/api/org/..%2F..%2Fetc%2Fpasswd", "/api/org/%00", "/api/task/%2e%2e",
                      "/api/org/" + String(repeating: "%", count: 50), "/api/%ff%fe"])
    func traversalAndOddPathsAreVCDErrors(_ path: String) throws {
        let server = try TestServer()
        let r = try server.sysadmin().send("GET", path)
        #expect([400, 403, 404].contains(r.status), "\(path): \(r.status) \(r.text)")
        #expect(r.header("Content-Type") == versioned(MediaType.error))
        #expect(!r.text.contains("root:"))
        try expectServerStillAnswers(server)
    }

    @Test(arguments: ["application/*+xml;version=99.0", ";;;==,,", "text/html", String(repeating: "a,", count: 2000)])
    func aBadAcceptIs406(_ accept: String) throws {
        let server = try TestServer()
        let admin = try server.sysadmin()
        admin.accept = accept
        try expectVCDError(admin.send("GET", "/api/org"), 406, "NOT_ACCEPTABLE")
    }

    @Test(arguments: ["text/plain", ";;;", "application/vnd.vmware.vcloud.task+json", String(repeating: "x", count: 4000)])
    func aBadContentTypeIs415(_ type: String) throws {
        let server = try TestServer()
        try expectVCDError(server.sysadmin().postTask(taskXML(), contentType: type), 415, "UNSUPPORTED_MEDIA_TYPE")
    }

    @Test(arguments: ["x-vcloud-authorization: garbage", "x-vcloud-authorization: " + String(repeating: "z", count: 8000),
                      "Authorization: Bearer not.a.jwt", "Authorization: Basic !!!notbase64",
                      "Authorization: Basic " + Data("nocolon".utf8).base64EncodedString(),
                      "Authorization: Basic " + Data([0xff, 0x3a, 0xfe]).base64EncodedString(), "Authorization: Digest x"])
    func badCredentialsAre401(_ header: String) throws {
        let server = try TestServer()
        let parts = header.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
        let path = parts[0] == "Authorization" && parts[1].hasPrefix("Basic") ? "/api/sessions" : "/api/org"
        let method = path == "/api/sessions" ? "POST" : "GET"
        let r = try server.client().send(method, path, headers: [parts[0]: parts[1]])
        try expectVCDError(r, 401, "UNAUTHORIZED")
        try expectServerStillAnswers(server)
    }
}

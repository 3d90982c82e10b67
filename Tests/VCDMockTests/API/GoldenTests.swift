import Foundation
import Testing
import VCDXML

/// `--seed` and `--clock fixed:`: two runs of the binary give byte-identical answers for the seed flow,
/// so golden files work; another seed gives other ids.
@Suite(.serialized) struct GoldenTests {
    static let fixed = "2024-05-01T10:00:00.000Z"

    /// The seed flow against a fresh `vcd-mock`: every response's status, session token, request id and body.
    static func transcript(seed: String) throws -> String {
        let run = try CommandLineTests.Running(["--port", "0", "--seed", seed, "--clock", "fixed:\(fixed)",
                                                "--public-url", "http://vcd.test", "--log-level", "warning"])
        defer { _ = run.finish(SIGTERM) }
        let line = try run.waitListening()
        guard run.port != 0 else { throw TestFailure("no listening line: \(line)") }
        let client = TestClient(port: run.port)
        var out = ""
        func record(_ step: String, _ r: TestClient.Response) {
            out += "== \(step)\n\(r.status)\n"
            out += "x-vcloud-authorization: \(r.header("x-vcloud-authorization") ?? "-")\n"
            out += "X-VMWARE-VCLOUD-REQUEST-ID: \(r.header("X-VMWARE-VCLOUD-REQUEST-ID") ?? "-")\n"
            out += r.text + "\n"
        }

        let login = try client.send("POST", "/api/sessions",
                                    headers: ["Authorization": TestClient.basic("administrator@System:vmware")])
        record("login", login)
        guard let token = login.header("x-vcloud-authorization") else { throw TestFailure("login failed: \(login.text)") }
        client.token = token
        let org = try client.send("GET", "/api/admin/org/26")
        record("admin org", org)
        let create = try #require(try org.xml().children("Link").first { $0["rel"] == "task:create" }?["href"])
        let posted = try client.send("POST", create, xml: taskXML(), contentType: MediaType.task)
        record("create task", posted)
        let href = try #require(try posted.xml()["href"])
        record("get task", try client.send("GET", href))
        record("complete task", try client.send("PUT", href, xml: taskXML(
            #"name="task" status="success" serviceNamespace="org.example.vcd.backup""#), contentType: MediaType.task))
        return out
    }

    @Test func sameSeedAndFixedClockGiveByteIdenticalResponses() throws {
        let first = try Self.transcript(seed: "42")
        let second = try Self.transcript(seed: "42")
        #expect(first == second)
        #expect(first.contains("startTime=\"\(Self.fixed)\""), "task times come from the fixed clock: \(first)")
        #expect(first.contains("status=\"success\""))
        let other = try Self.transcript(seed: "43")
        #expect(other != first)
        // The login's token (the first header line recorded): present, and different under another seed.
        let tokens = [first, other].map { t in
            t.split(separator: "\n").first { $0.hasPrefix("x-vcloud-authorization: ") }?.dropFirst("x-vcloud-authorization: ".count)
        }
        for token in tokens { #expect(token != nil && token != "-" && token?.isEmpty == false, "the login gave a token: \(first)") }
        #expect(tokens[0] != tokens[1], "another seed gives another session token")
    }

    @Test func badSeedAndClockValuesNameTheFlag() throws {
        let (code1, _, err1) = try CommandLineTests.Running(["--port", "0", "--seed", "forty-two"]).finish()
        #expect(code1 != 0)
        #expect(err1.contains("--seed"), "\(err1)")
        let (code2, _, err2) = try CommandLineTests.Running(["--port", "0", "--clock", "frozen"]).finish()
        #expect(code2 != 0)
        #expect(err2.contains("--clock"), "\(err2)")
        let (code3, _, err3) = try CommandLineTests.Running(["--port", "0"], env: ["VCD_MOCK_CLOCK": "fixed:yesterday"]).finish()
        #expect(code3 != 0)
        #expect(err3.contains("VCD_MOCK_CLOCK"), "\(err3)")
    }

    @Test func environmentVariablesSetSeedAndClock() throws {
        let run = try CommandLineTests.Running(["--port", "0"], env: ["VCD_MOCK_SEED": "7", "VCD_MOCK_CLOCK": "fixed:\(Self.fixed)"])
        defer { _ = run.finish(SIGTERM) }
        _ = try run.waitListening()
        let client = TestClient(port: run.port)
        let clock = try client.send("GET", "/mock/clock")
        #expect(clock.text == #"{"mode":"fixed","now":"\#(Self.fixed)"}"#)
    }
}

import Testing
import VCDAMQP

@Suite struct AMQPEndpointTests {
    @Test func fullURL() throws {
        let e = try AMQPEndpoint(url: "amqp://vcd:s%40cret@broker.test:5673/prod%2Fa")
        #expect(e == AMQPEndpoint(host: "broker.test", port: 5673, vhost: "prod/a", username: "vcd", password: "s@cret"))
    }

    @Test func defaultsAndEncodedRootVhost() throws {
        #expect(try AMQPEndpoint(url: "amqp://127.0.0.1") == AMQPEndpoint(host: "127.0.0.1"))
        #expect(try AMQPEndpoint(url: "amqp://guest:guest@127.0.0.1:5672/%2F").vhost == "/")
    }

    @Test func descriptionHidesThePassword() throws {
        #expect(try AMQPEndpoint(url: "amqp://u:topsecret@h:1/%2F").description == "amqp://u@h:1/%2F")
    }

    @Test(arguments: ["http://h", "amqps://h", "amqp://h:0", "amqp://h:99999", "amqp://h:x", "amqp://"])
    func rejects(_ url: String) {
        #expect(throws: AMQPEndpoint.InvalidURL.self) { try AMQPEndpoint(url: url) }
    }
}

@Suite struct AMQPEndpointMoreTests {
    @Test func userWithoutPasswordKeepsTheDefaultPassword() throws {
        #expect(try AMQPEndpoint(url: "amqp://bob@h") == AMQPEndpoint(host: "h", username: "bob", password: "guest"))
    }

    @Test func bracketedIPv6Host() throws {
        let e = try AMQPEndpoint(url: "amqp://[::1]:5673/v")
        #expect(e == AMQPEndpoint(host: "::1", port: 5673, vhost: "v"))
    }

    @Test func plainVhostAndEmptyPath() throws {
        #expect(try AMQPEndpoint(url: "amqp://h/").vhost == "/")
        #expect(try AMQPEndpoint(url: "amqp://h/dev").vhost == "dev")
    }
}

// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "vcd-mock",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "vcd-mock", targets: ["vcd-mock"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.0"), // LogHandler.log(event:)
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.1.0"),
    ],
    targets: [
        // C libraries, reached only through the wrapper targets below.
        .systemLibrary(name: "CMicroHTTPD", pkgConfig: "libmicrohttpd",
                       providers: [.apt(["libmicrohttpd-dev"])]),
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0",
                       providers: [.apt(["libxml2-dev"])]),
        .systemLibrary(name: "CGnuTLS", pkgConfig: "gnutls",
                       providers: [.apt(["libgnutls28-dev"])]),
        .target(name: "CMicroHTTPDShims", dependencies: ["CMicroHTTPD", "CGnuTLS"]),
        .systemLibrary(name: "CRabbitMQ", pkgConfig: "librabbitmq",
                       providers: [.apt(["librabbitmq-dev"])]),
        .target(name: "CRabbitMQShims", dependencies: ["CRabbitMQ"]),
        .target(name: "CSupport"),

        // Domain: plain Swift, no C, no HTTP, no XML.
        .target(name: "VCDCore", dependencies: [.product(name: "DequeModule", package: "swift-collections")]),
        .target(name: "VCDXML", dependencies: ["VCDCore", "CLibXML2"]),
        .target(name: "VCDHTTP", dependencies: ["CMicroHTTPD", "CMicroHTTPDShims"]),
        .target(name: "VCDAMQP", dependencies: [
            "CRabbitMQShims", "VCDCore", .product(name: "DequeModule", package: "swift-collections"),
        ]),
        .target(name: "VCDFixtures", dependencies: ["VCDCore", .product(name: "Yams", package: "Yams")]),
        .target(name: "VCDMock", dependencies: [
            "VCDCore", "VCDXML", "VCDHTTP", "VCDFixtures", "VCDAMQP", "CSupport",
            .product(name: "Logging", package: "swift-log"),
        ], resources: [.embedInCode("Control/control-api.yaml")]),
        .executableTarget(name: "vcd-mock", dependencies: [
            "VCDMock", "VCDFixtures", "VCDHTTP", "VCDAMQP",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),

        .executableTarget(name: "vcd-mock-bench", dependencies: [
            "VCDMock", "VCDHTTP", "VCDFixtures", "VCDCore", .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "VCDCoreTests", dependencies: ["VCDCore"]),
        .testTarget(name: "VCDXMLTests", dependencies: ["VCDXML", "VCDCore"]),
        .testTarget(name: "VCDAMQPTests", dependencies: ["VCDAMQP"]),
        .testTarget(name: "VCDFixturesTests", dependencies: ["VCDFixtures", "VCDCore"]),
        .testTarget(name: "VCDMockTests", dependencies: [
            "VCDMock", "VCDHTTP", "VCDFixtures", "VCDCore", "VCDXML", .product(name: "Logging", package: "swift-log"),
        ]),
    ],
    swiftLanguageModes: [.v6]
)

// Generic types cross module borders on the request path (Router, Mutex); let release builds specialize them.
// Dynamic exclusivity checks stay on in debug builds, where every test runs; in release they cost about 235
// runtime calls per task POST (12% of its instructions, mostly XMLWriter's buffer; docs/BENCHMARKS.md).
for target in package.targets where target.type == .regular || target.type == .executable {
    target.swiftSettings = (target.swiftSettings ?? []) + [
        .unsafeFlags(["-cross-module-optimization", "-enforce-exclusivity=unchecked"], .when(configuration: .release)),
    ]
}

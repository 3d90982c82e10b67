import Foundation
import Testing
import Yams
@testable import VCDFixtures

/// The fast block reader must give exactly Yams' tree (kinds, texts, lines) or step aside (nil).
@Suite struct BlockYAMLParserTests {
    /// A node of either tree, as nested values, for comparison.
    indirect enum Shape: Equatable, CustomStringConvertible {
        case scalar(String, line: Int)
        case mapping([(Shape, Shape)], line: Int)
        case sequence([Shape], line: Int)

        static func == (a: Shape, b: Shape) -> Bool { a.description == b.description }

        var description: String {
            switch self {
            case .scalar(let s, let line): "\(line):\(s.debugDescription)"
            case .mapping(let pairs, let line): "\(line):{" + pairs.map { "\($0.0): \($0.1)" }.joined(separator: ", ") + "}"
            case .sequence(let items, let line): "\(line):[" + items.map(\.description).joined(separator: ", ") + "]"
            }
        }
    }

    static func shape(_ tree: YAMLTree, _ index: Int32) -> Shape {
        let n = tree.nodes[Int(index)]
        switch n.kind {
        case .scalar: return .scalar(tree.text(index), line: Int(n.line))
        case .mapping:
            return .mapping((0 ..< Int(n.count)).map { k in
                (shape(tree, tree.kids[Int(n.start) + 2 * k]), shape(tree, tree.kids[Int(n.start) + 2 * k + 1]))
            }, line: Int(n.line))
        case .sequence:
            return .sequence((0 ..< Int(n.count)).map { shape(tree, tree.kids[Int(n.start) + $0]) }, line: Int(n.line))
        }
    }

    static func shapes(_ yaml: String) throws -> (fast: Shape??, yams: Shape?) {
        let yamsTree = YAMLTree(yams: try Yams.compose(yaml: yaml, .basic))
        let yams = yamsTree.root.map { shape(yamsTree, $0) }
        guard let fast = BlockYAMLParser.parse(Array(yaml.utf8)) else { return (nil, yams) }
        return (.some(fast.root.map { shape(fast, $0) }), yams)
    }

    /// Files the fast path must read (no fallback), and read as Yams does.
    @Test(arguments: ["00-system.yaml", "10-acme.yaml", "20-globex.yaml"])
    func defaultFixturesTakeTheFastPathAndMatchYams(_ name: String) throws {
        let text = try String(contentsOfFile: FixtureLoaderTests.defaultDirectory + "/" + name, encoding: .utf8)
        let (fast, yams) = try Self.shapes(text)
        let read = try #require(fast, "the fast reader stepped aside for \(name)")
        #expect(read == yams)
    }

    @Test func generatedAndExportedStyleMatchYams() throws {
        let yaml = """
            # a comment
            orgs:
              - name: org00001   # trailing comment
                fullName: Generated Org 1
                enabled: true
                users:
                  - name: admin
                    password: 'it''s'
                    role: org administrator
                vdcs: []
                catalogs: {}
                networks:
                - name: "net \\"one\\" \\\\ /"
                  description: a:b http://x/y#frag
                tasks:
                  -   name: task
                      progress: 5
                      startTime: 2024-05-01T10:00:00.000Z
            services:
            - namespace: org.example
              filters:
                - "/api/org/.*"
            """
        let (fast, yams) = try Self.shapes(yaml)
        let read = try #require(fast)
        #expect(read == yams)
        #expect(read?.description.contains("\"it\\'s\"") == true)
    }

    /// Inputs it must not read itself: each is valid YAML read differently, or invalid, or unusual.
    @Test(arguments: [
        "a: b: c\n", "a: &x 1\nb: *x\n", "a: !!str 1\n", "a: |\n  text\n", "a: >\n  text\n", "a: [1, 2]\n",
        "a: {b: 1}\n", "a: plain\n  continued\n", "a:\n", "a:\nb: 1\n", "a: 1\na: 2\n", "---\na: 1\n", "a: 1\n---\nb: 2\n",
        "a:\tb\n", "a: caf\u{e9}\n", "a: 1\r\nb: 2\r\n", "- - x\n", "? a\n: b\n", "a: \"x\n  y\"\n", "a: 'unclosed\n",
        "\"a\": 1\n", "just text\n", "a:\n  - x\n y: 1\n", "a:\n    - x\n  - y\n", "a: x # c\n  b: 1\n", "-\n  a: 1\n",
        "a: \"\\u00e9\"\n", "%YAML 1.1\n---\na: 1\n", "a: -\n", "a: @x\n", "a: `x\n", "a: x\n - b\n",
    ])
    func stepsAsideOrMatches(_ yaml: String) throws {
        let yams: Shape?
        do {
            yams = try Self.shapes(yaml).yams
        } catch {
            // Yams rejects it: the fast reader must too.
            #expect(BlockYAMLParser.parse(Array(yaml.utf8)) == nil, "accepted invalid YAML \(yaml.debugDescription)")
            return
        }
        if let tree = BlockYAMLParser.parse(Array(yaml.utf8)) {
            #expect(tree.root.map { Self.shape(tree, $0) } == yams, "\(yaml.debugDescription)")
        }
    }

    @Test func emptyAndCommentOnlyFilesHaveNoRoot() throws {
        for yaml in ["", "\n\n", "# only a comment\n   # another\n"] {
            let tree = try #require(BlockYAMLParser.parse(Array(yaml.utf8)))
            #expect(tree.root == nil)
            #expect(try Yams.compose(yaml: yaml, .basic) == nil)
        }
    }

    @Test func aFallbackFileStillLoadsAndReportsLines() throws {
        // A block scalar sends the file to Yams; errors keep their line.
        let yaml = FixtureLoaderTests.system + "  - name: acme\n    description: |\n      two\n      lines\n    colour: red\n"
        do {
            _ = try FixtureLoader.load(yaml: yaml, file: "f.yaml", now: FixtureLoaderTests.now)
            Issue.record("loaded a fixture with an unknown key")
        } catch {
            #expect(error.description.hasPrefix("f.yaml:11: unknown key 'colour' in an org"))
        }
    }
}

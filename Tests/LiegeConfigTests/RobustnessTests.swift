import Testing
@testable import LiegeConfig

/// Thousands of malformed inputs: every one must load or give located errors, never crash or hang.
@Suite(.timeLimit(.minutes(1))) struct RobustnessTests {
    /// A small deterministic generator (SplitMix64), so a failure can be replayed.
    struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ limit: Int) -> Int { Int(next() % UInt64(max(limit, 1))) }
    }

    static let ini = Array(ConfigCommandTests.ini.utf8) + Array("for = a b\nenv = X=%(_)\nendfor\nif-env = HOME\nlisten = %(a + 2)\nendif\na = 1\n".utf8)
    static let yaml = Array(ConfigCommandTests.yaml.utf8) + Array("  anchors: &a [x, y]\n  pythonpath: *a\n  b: {c: d}\n".utf8)
    static let special = Array("%()$@[]{}:;#=-&*!|>\"'\n\t\r \\ ,?".utf8)

    /// Loads `bytes` as `name` and checks the outcome is a config or located errors.
    private func survive(_ box: Sandbox, _ name: String, _ bytes: [UInt8]) {
        box.writeBytes(name, bytes)
        let outcome = box.load([name])
        if outcome.config == nil {
            #expect(!outcome.errors.isEmpty)
            #expect(outcome.errors.allSatisfy { !$0.location.isEmpty && !$0.message.isEmpty })
        }
    }

    @Test func truncatedFiles() {
        let box = Sandbox(environment: ["HOME": "/home/a"])
        for length in 0...Self.ini.count { survive(box, "t.ini", Array(Self.ini.prefix(length))) }
        for length in 0...Self.yaml.count { survive(box, "t.yaml", Array(Self.yaml.prefix(length))) }
    }

    @Test func randomBytes() {
        let box = Sandbox()
        var random = Random(state: 42)
        for round in 0..<600 {
            let bytes = (0..<random.below(300)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            let header = round % 2 == 0 ? Array("[uwsgi]\n".utf8) : Array("uwsgi:\n  ".utf8)
            survive(box, round % 4 < 2 ? "r.ini" : "r.yaml", (round % 3 == 0 ? [] : header) + bytes)
        }
    }

    @Test func mutatedFiles() {
        let box = Sandbox(environment: ["HOME": "/home/a"])
        var random = Random(state: 7)
        for round in 0..<1200 {
            var bytes = round % 2 == 0 ? Self.ini : Self.yaml
            for _ in 0..<(1 + random.below(6)) {
                let position = random.below(bytes.count)
                let byte = Self.special[random.below(Self.special.count)]
                switch random.below(3) {
                case 0: bytes[position] = byte
                case 1: bytes.insert(byte, at: position)
                default: bytes.remove(at: position)
                }
            }
            survive(box, round % 2 == 0 ? "m.ini" : "m.yaml", bytes)
        }
    }

    @Test func hugeLinesAndDeepNesting() {
        let box = Sandbox()
        let megabyte = String(repeating: "a", count: 1 << 20)
        survive(box, "big.ini", Array("[uwsgi]\n\(megabyte)\nmodule = \(megabyte)\nchdir = %(\(megabyte)\n".utf8))
        survive(box, "big.yaml", Array("uwsgi:\n  module: \(megabyte)\n  \(megabyte): 1\n".utf8))
        let deep = 20_000
        survive(box, "deep.yaml", Array(("uwsgi:\n  env: " + String(repeating: "[", count: deep) + String(repeating: "]", count: deep) + "\n").utf8))
        survive(box, "deepmap.yaml", Array(("uwsgi: " + String(repeating: "{a: ", count: deep) + "b" + String(repeating: "}", count: deep) + "\n").utf8))
        survive(box, "nest.ini", Array(("[uwsgi]\nchdir = " + String(repeating: "%(", count: deep) + "x" + String(repeating: ")", count: deep) + "\n").utf8))
        survive(box, "open.ini", Array(("[uwsgi]\nchdir = " + String(repeating: "%(", count: deep) + "\n").utf8))
        var chain = "[uwsgi]\nchdir = %(p0)\n"
        for level in 0..<2000 { chain += "p\(level) = %(p\(level + 1))\n" }
        survive(box, "chain.ini", Array(chain.utf8))
    }

    @Test func unterminatedExpansions() {
        let box = Sandbox()
        for text in ["%(", "%(a", "$(", "$(HOME", "@(", "@(x", "%", "%(a + ", "%(%(", "$(%(", "%(a))", "@()", "$()", "%()"] {
            survive(box, "u.ini", Array("[uwsgi]\nchdir = \(text)\n".utf8))
        }
    }

    @Test func includeCyclesOfManyShapes() {
        let box = Sandbox()
        for size in 1...12 {
            for index in 0..<size {
                box.write("c\(index).ini", "[uwsgi]\ninclude = c\((index + 1) % size).ini\ninherit = c\((index + 2) % size).ini\n")
            }
            #expect(!box.errors(["c0.ini"]).isEmpty)
        }
        box.write("sections.ini", "[uwsgi]\nini = :a\n[a]\nini = :b\n[b]\nini = :a\n")
        #expect(box.errors(["sections.ini"]).first?.contains("include cycle") == true)
    }

    @Test func includeAndAliasBombsStop() {
        let box = Sandbox()
        let words = (0..<100).map(String.init).joined(separator: " ")
        box.write("bomb.ini", "[uwsgi]\nfor = \(words)\ninclude = bomb2.ini\nendfor\n")
        box.write("bomb2.ini", "[uwsgi]\nfor = \(words)\ninclude = bomb3.ini\nendfor\n")
        box.write("bomb3.ini", "[uwsgi]\nfor = \(words)\nenv = A=%(_)\nendfor\n")
        let errors = box.errors(["bomb.ini"])
        #expect(errors.count == 1)
        #expect(errors.first?.contains("lines after includes and loops") == true)
        var yaml = "base:\n  a: &a [" + (0..<1000).map { "x\($0)" }.joined(separator: ", ") + "]\nuwsgi:\n"
        for index in 0..<600 { yaml += "  env\(index): *a\n" }
        box.write("laughs.yaml", yaml)
        #expect(!box.errors(["laughs.yaml"]).isEmpty)
    }

    @Test func randomCommandLines() {
        let box = Sandbox()
        box.write("a.ini", "[uwsgi]\nprocesses = 2\n")
        let tokens = ["--processes", "4", "-1", "--master", "--ini", "a.ini", "a.ini:x", "--socket", ":80", "--", "-", "---",
                      "--if-env", "HOME", "--endif", "--for", "a b", "--endfor", "--env", "A=%(_)", "%(", "$(X", "@(",
                      "--set", "x=1", "--chmod-socket", "--http-keepalive", "b.yaml", "--strict", "--=", "--x=", "", "%Y"]
        var random = Random(state: 99)
        for _ in 0..<1500 {
            let arguments = (0..<random.below(12)).map { _ in tokens[random.below(tokens.count)] }
            let outcome = box.load(arguments)
            #expect(outcome.config != nil || !outcome.errors.isEmpty, "\(arguments)")
        }
    }
}

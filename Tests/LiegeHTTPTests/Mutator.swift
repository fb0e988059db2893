/// Produces random and mutated inputs from a seed corpus for the fuzz tests.
struct Mutator {
    var random: SplitMix
    let corpus: [[UInt8]]

    private static let interesting: [UInt8] = [
        0x0D, 0x0A, 0x20, 0x09, 0x00, 0x3A, 0x2C, 0x3B, 0x3F, 0x25, 0x2F, 0x30, 0x39, 0x61, 0x46, 0x7F, 0x80, 0xFF,
    ]

    init(seed: UInt64, corpus: [[UInt8]]) {
        random = SplitMix(seed: seed)
        self.corpus = corpus
    }

    mutating func int(_ bound: Int) -> Int { Int.random(in: 0..<bound, using: &random) }

    mutating func byte() -> UInt8 {
        int(3) == 0 ? Self.interesting[int(Self.interesting.count)] : UInt8.random(in: 0...255, using: &random)
    }

    /// One fuzz input: pure noise, or a corpus entry with one to four mutations.
    mutating func next() -> [UInt8] {
        if int(10) == 0 { return (0..<int(200)).map { _ in byte() } }
        var input = corpus[int(corpus.count)]
        for _ in 0...int(4) { mutate(&input) }
        return input
    }

    mutating func mutate(_ input: inout [UInt8]) {
        guard !input.isEmpty else {
            input.append(byte())
            return
        }
        switch int(9) {
        case 0:  // flip a bit
            input[int(input.count)] ^= 1 << UInt8(int(8))
        case 1:  // replace a byte
            input[int(input.count)] = byte()
        case 2:  // insert bytes
            let at = int(input.count + 1)
            input.insert(contentsOf: (0...int(3)).map { _ in byte() }, at: at)
        case 3:  // delete a range
            let start = int(input.count)
            input.removeSubrange(start..<min(input.count, start + 1 + int(8)))
        case 4:  // truncate
            input.removeLast(int(input.count))
        case 5:  // duplicate a range (repeated headers, doubled lines)
            let start = int(input.count)
            let end = min(input.count, start + 1 + int(40))
            input.insert(contentsOf: input[start..<end], at: int(input.count + 1))
        case 6:  // splice with another corpus entry
            let other = corpus[int(corpus.count)]
            input = Array(input[0..<int(input.count + 1)]) + Array(other[int(other.count)...])
        case 7:  // blow up: a long run of one byte
            input.insert(contentsOf: repeatElement(byte() | 0x40, count: 1 + int(3000)), at: int(input.count + 1))
        default:  // swap line endings
            for index in input.indices where input[index] == 0x0A && int(3) == 0 {
                input[index] = 0x0D
            }
        }
    }
}

import Testing
@testable import LiegeHTTP

/// Random and mutated inputs into the three parsers: no crash, results inside the limits, and
/// `complete` only for a consumed range that is independently well formed.
@Suite struct FuzzTests {
    private static let headCorpus: [[UInt8]] = [
        "GET / HTTP/1.1\r\nHost: example.com\r\n\r\n",
        "POST /submit?x=1 HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nContent-Type: text/plain\r\n\r\nhello",
        "PUT /up HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nExpect: 100-continue\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
        "GET /a%20b HTTP/1.0\r\nConnection: keep-alive\r\nX-A: 1, 2\r\n\r\n",
        "\r\nOPTIONS * HTTP/1.1\nHost: h\nConnection: close\n\n",
        "GET http://h:80/p?q HTTP/1.1\r\nHost: h:80\r\nCookie: a=b; c=d\r\nAccept: */*\r\n\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n",
    ].map { bytes($0) }

    @Test func headParser() {
        var mutator = Mutator(seed: 0x1EE6E, corpus: Self.headCorpus)
        var completes = 0
        for round in 0..<24_000 {
            let input = mutator.next()
            let limit = [64, 300, 65535][round % 3]
            let fieldLimit = round % 5 == 0 ? 2 : 100
            let parser = HTTPHeadParser(maxHeadSize: limit, maxHeaderFields: fieldLimit)
            switch parser.parse(input) {
            case .complete(let head, let consumed):
                completes += 1
                guard consumed > 0, consumed <= min(input.count, limit) else {
                    Issue.record("consumed \(consumed) outside 1...\(min(input.count, limit)) for \(input)")
                    return
                }
                let range = Array(input[0..<consumed])
                guard Self.isWellFormedHead(range), Self.isConsistent(head), head.headers.count <= fieldLimit else {
                    Issue.record("accepted a malformed head: \(String(decoding: range, as: UTF8.self).debugDescription)")
                    return
                }
                // the same bytes alone parse the same way, and any shorter prefix is incomplete
                guard case .complete(_, consumed) = parser.parse(range),
                    case .needMore = parser.parse(Array(range[0..<mutator.int(consumed)]))
                else {
                    Issue.record("prefix inconsistency for \(range)")
                    return
                }
            case .needMore:
                guard input.count < limit else {
                    Issue.record("needMore with \(input.count) bytes over a limit of \(limit)")
                    return
                }
            case .failure(let error):
                guard [400, 414, 431, 501, 505].contains(error.status), !error.reason.isEmpty else {
                    Issue.record("unexpected failure \(error)")
                    return
                }
            }
        }
        #expect(completes > 1000, "the mutator should still produce valid requests")
    }

    @Test func chunkedDecoder() {
        let corpus: [[UInt8]] = [
            "5\r\nhello\r\n0\r\n\r\n", "1a;x=y\r\nabcdefghijklmnopqrstuvwxyz\r\n3\r\n123\r\n0\r\nT: v\r\n\r\n",
            "3\nabc\n0\n\n", "0\r\n\r\nGET / HTTP/1.1\r\n",
            "2\r\nab\r\n0\r\nX-Sum: 1\r\nHost: h\r\nContent-Length: 2\r\n\r\n", "0\r\nProxy-X: 1\nA:\n\n",
        ].map { bytes($0) }
        var mutator = Mutator(seed: 0xC4C4, corpus: corpus)
        var completes = 0
        for _ in 0..<12_000 {
            let input = mutator.next()
            let pieces = [1 + mutator.int(max(1, input.count)), 1 + mutator.int(7)]
            let split = decodeChunked(input, pieces: pieces)
            let whole = decodeChunked(input)
            guard split.step == whole.step, split.body == whole.body, split.consumed == whole.consumed,
                whole.consumed <= input.count
            else {
                Issue.record("split feeding differs for \(input)")
                return
            }
            switch whole.step {
            case .done:
                completes += 1
                guard whole.body.count < whole.consumed, input[whole.consumed - 1] == 0x0A else {
                    Issue.record("done with a malformed range: \(input)")
                    return
                }
            case .needMore:
                guard whole.consumed == input.count else {
                    Issue.record("needMore without consuming everything")
                    return
                }
            case .failure(let error):
                guard error.status == 400 || error.status == 431 else {
                    Issue.record("unexpected failure \(error)")
                    return
                }
            }
        }
        #expect(completes > 500)
    }

    @Test func uwsgiParser() {
        let corpus = [
            uwsgiPacket([("REQUEST_METHOD", "GET"), ("PATH_INFO", "/"), ("HTTP_HOST", "h")]),
            uwsgiPacket([("REQUEST_METHOD", "POST"), ("CONTENT_LENGTH", "5")]) + bytes("hello"),
            uwsgiPacket([]),
        ]
        var mutator = Mutator(seed: 0x55A1, corpus: corpus)
        var completes = 0
        for round in 0..<12_000 {
            let input = mutator.next()
            let limit = round % 2 == 0 ? 65535 : 40
            switch UwsgiPacketParser(maxPacketSize: limit).parse(input) {
            case .complete(let request, let consumed):
                completes += 1
                let encoded = request.variables.reduce(0) { $0 + 4 + bytes($1.name).count + $1.value.count }
                guard consumed <= input.count, consumed - 4 <= limit, encoded == consumed - 4, request.modifier1 == 0 else {
                    Issue.record("inconsistent packet \(input)")
                    return
                }
            case .needMore:
                guard input.count < 4 || input.count < 4 + Int(input[1]) + Int(input[2]) << 8 else {
                    Issue.record("needMore with a whole packet")
                    return
                }
            case .failure(let error):
                guard [400, 431, 501].contains(error.status) else {
                    Issue.record("unexpected failure \(error)")
                    return
                }
            }
        }
        #expect(completes > 500)
    }

    // MARK: - Independent checks of an accepted head

    /// Line structure checked without the parser: optional empty lines, a request line of three
    /// space-separated parts with a 1.0/1.1 version, `token:` header lines without controls,
    /// every CR followed by LF, the range ending in an empty line.
    static func isWellFormedHead(_ range: [UInt8]) -> Bool {
        for (index, byte) in range.enumerated() where byte == 0x0D {
            guard index + 1 < range.count, range[index + 1] == 0x0A else { return false }
        }
        let lines = range.split(separator: 0x0A, omittingEmptySubsequences: false).map { line in
            line.last == 0x0D ? Array(line.dropLast()) : Array(line)
        }
        guard lines.count >= 3, lines[lines.count - 1].isEmpty, lines[lines.count - 2].isEmpty else { return false }
        guard let requestIndex = lines.firstIndex(where: { !$0.isEmpty }) else { return false }
        let parts = lines[requestIndex].split(separator: 0x20, omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[0].isEmpty, !parts[1].isEmpty,
            parts[0].allSatisfy(ASCII.isToken), parts[1].allSatisfy({ $0 > 0x20 && $0 != 0x7F }),
            [bytes("HTTP/1.0"), bytes("HTTP/1.1")].contains(Array(parts[2]))
        else { return false }
        for line in lines[(requestIndex + 1)..<(lines.count - 2)] {
            guard let colon = line.firstIndex(of: 0x3A), colon > 0, line[0..<colon].allSatisfy(ASCII.isToken),
                line[colon...].allSatisfy({ $0 >= 0x20 && $0 != 0x7F || $0 == 0x09 })
            else { return false }
        }
        return true
    }

    static func isConsistent(_ head: RequestHead) -> Bool {
        if head.target.hasPrefix("/") {
            let rebuilt = head.target.contains("?") ? head.path + "?" + head.query : head.path
            guard rebuilt == head.target else { return false }
        }
        if head.isChunked, head.contentLength != nil { return false }
        if head.target == "*", head.method != "OPTIONS" { return false }
        if head.version.minor == 1, head.headers.filter({ ASCII.equalsIgnoringCase($0.name, "host") }).count != 1 {
            return false
        }
        return head.headers.allSatisfy { field in
            field.value.first.map { $0 != " " && $0 != "\t" } ?? true
                && field.value.last.map { $0 != " " && $0 != "\t" } ?? true
        }
    }
}

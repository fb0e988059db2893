import LiegeConfig
import LiegeHTTP

/// Runs the routing table over a request (sans-I/O: the file system comes in as `RouteFiles`). Built
/// once per worker loop: the regexes are compiled here, not per request.
final class RouteEngine {
    private struct Step {
        var rule: RouteRule
        /// The rule's regex (route-* subject or `regexp` condition).
        var regex: Regex<AnyRegexOutput>?
    }

    private let steps: [Step]
    private let rules: [RouteRule]
    private let files: RouteFiles

    /// Nil when the table is empty (routing then costs nothing).
    init?(table: RouteTable, files: RouteFiles) {
        guard !table.isEmpty else { return nil }
        rules = table.rules
        self.files = files
        steps = table.rules.map { rule in
            switch rule.match {
            case .subject(_, let pattern): Step(rule: rule, regex: Self.compile(pattern))
            case .condition(let condition, _): Step(rule: rule, regex: condition.pattern.flatMap(Self.compile))
            case .always, .label: Step(rule: rule, regex: nil)
            }
        }
    }

    /// A pattern the config check accepted (nil would make its rule never match).
    private static func compile(_ pattern: String) -> Regex<AnyRegexOutput>? {
        (try? Regex(RoutePattern.byteText(pattern)))?.matchingSemantics(.unicodeScalar)
    }

    /// Runs the table from the top; `request.variables` come out rewritten where rules said so.
    func route(_ request: inout RouteRequest) -> RouteOutcome {
        var outcome = RouteOutcome()
        var position = 0
        while position < steps.count {
            let step = steps[position]
            guard let action = step.rule.action, matches(step, &request) else {
                position += 1
                continue
            }
            switch perform(action, at: position, on: &request, into: &outcome) {
            case .next: position += 1
            case .jump(let target): position = target
            case .done: return outcome
            }
        }
        return outcome
    }

    private enum Flow {
        case next
        case jump(Int)
        case done
    }

    private func perform(_ action: RouteAction, at position: Int, on request: inout RouteRequest,
                         into outcome: inout RouteOutcome) -> Flow {
        switch action {
        case .proceed:
            return .done
        case .stop(let status, let reason):
            outcome.decision = .stop(status: status, reason: reason)
            return .done
        case .respond(let status):
            outcome.decision = .respond(status: status)
            return .done
        case .redirect(let template, let status):
            outcome.decision = .redirect(status: status, location: request.expand(template))
            return .done
        case .rewrite(let template, let last):
            guard rewrite(to: request.expand(template), &request) else {
                outcome.decision = .respond(status: 400)
                return .done
            }
            return last ? .done : .next
        case .addHeader(let template):
            outcome.effects.headers.add(Latin1.string(request.expand(template)))
        case .setHeader(let template):
            outcome.effects.headers.add(Latin1.string(request.expand(template)), replacing: true)
        case .removeHeader(let template):
            outcome.effects.headers.remove(Latin1.string(request.expand(template)))
        case .skipLog:
            outcome.effects.skipLog = true
        case .jump(let jump):
            if let target = jump.position { return .jump(target) }
            let label = String(decoding: request.expand(jump.target), as: UTF8.self)
            switch RouteTable.resolve(label, from: position, in: rules) {
            case .success(let target): return .jump(target)
            case .failure(let problem):
                outcome.decision = .failed("routing: \"\(steps[position].rule.option)\" \(problem.message)")
                return .done
            }
        case .serveFile(let template):
            outcome.decision = .file(request.expand(template))
            return .done
        case .log(let template):
            outcome.logLines.append(String(decoding: request.expand(template), as: UTF8.self))
        case .addVariable(let name, let template):
            request.set(name, request.expand(template))
        }
        return .next
    }

    /// uWSGI's rewrite: PATH_INFO is the target's path, percent-decoded; its query goes before the
    /// request's own (`new&old`); REQUEST_URI stays what the client sent. False for a NUL in the path.
    private func rewrite(to target: [UInt8], _ request: inout RouteRequest) -> Bool {
        let question = target.firstIndex(of: UInt8(ascii: "?"))
        let rawPath = Array(target[..<(question ?? target.endIndex)])
        let path = PercentDecoding.decode(Latin1.string(rawPath)) ?? rawPath
        guard !path.contains(0) else { return false }
        request.set("PATH_INFO", path)
        if let question {
            var query = Array(target[target.index(after: question)...])
            let old = request.value("QUERY_STRING") ?? []
            if !old.isEmpty { query += [UInt8(ascii: "&")] + old }
            request.set("QUERY_STRING", query)
        }
        return true
    }

    // MARK: matching

    /// Whether the rule applies; sets the request's captures for the action.
    private func matches(_ step: Step, _ request: inout RouteRequest) -> Bool {
        request.captures = []
        switch step.rule.match {
        case .always:
            return true
        case .label:
            return false
        case .subject(let subject, _):
            guard let regex = step.regex else { return false }
            return search(regex, in: request.value(subject.rawValue) ?? [], &request)
        case .condition(let condition, let negated):
            let holds = check(condition, regex: step.regex, &request)
            if negated { request.captures = [] }
            return holds != negated
        }
    }

    private func search(_ regex: Regex<AnyRegexOutput>, in subject: [UInt8], _ request: inout RouteRequest) -> Bool {
        let text = Latin1.string(subject)
        guard let match = try? regex.firstMatch(in: text) else { return false }
        request.captures = (0..<min(match.output.count, 10)).map { index in
            guard let part = match.output[index].substring else { return [] }
            return part.unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) }
        }
        return true
    }

    private func check(_ condition: RouteCondition, regex: Regex<AnyRegexOutput>?, _ request: inout RouteRequest) -> Bool {
        let subject = request.expand(condition.subject)
        let operand = condition.operand.map { request.expand($0) } ?? []
        switch condition.kind {
        case .exists: return files.kind(of: subject)?.exists ?? false
        case .isfile: return files.kind(of: subject)?.isFile ?? false
        case .isdir: return files.kind(of: subject)?.isDirectory ?? false
        case .islink: return files.kind(of: subject)?.isLink ?? false
        case .isexec: return files.kind(of: subject)?.isExecutable ?? false
        case .empty: return subject.isEmpty
        case .equal: return subject == operand
        case .startswith: return subject.starts(with: operand)
        case .endswith: return subject.count >= operand.count && subject.suffix(operand.count).elementsEqual(operand)
        case .contains: return operand.isEmpty || Self.contains(subject, operand)
        case .regexp: return regex.map { search($0, in: subject, &request) } ?? false
        case .higher: return Self.number(subject) > Self.number(operand)
        case .higherOrEqual: return Self.number(subject) >= Self.number(operand)
        case .lower: return Self.number(subject) < Self.number(operand)
        case .lowerOrEqual: return Self.number(subject) <= Self.number(operand)
        }
    }

    private static func contains(_ text: [UInt8], _ part: [UInt8]) -> Bool {
        guard part.count <= text.count else { return false }
        for start in 0...(text.count - part.count) where text[start..<(start + part.count)].elementsEqual(part) {
            return true
        }
        return false
    }

    /// The leading decimal number of the text (uWSGI's comparison of routing values), 0 when none.
    private static func number(_ text: [UInt8]) -> Int {
        var value = 0
        var negative = false
        for (index, byte) in text.enumerated() {
            if index == 0, byte == UInt8(ascii: "-") {
                negative = true
                continue
            }
            guard byte >= 0x30, byte <= 0x39 else { break }
            value = value &* 10 &+ Int(byte - 0x30)
        }
        return negative ? -value : value
    }
}

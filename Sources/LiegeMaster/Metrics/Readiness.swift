import LiegeSystem

/// `GET /ready` on the `metrics` listener, for load balancers and Kubernetes readiness probes: 200 while
/// the master takes connections and means to keep doing so, 503 from the moment a graceful stop begins
/// (its `drain-delay` included). Pure: the arbiter fills in the facts, this decides.
struct Readiness: Sendable, Equatable {
    /// What the answer says, first word of the body.
    enum State: String, Sendable {
        /// Workers accept (or the master watches its sockets in cheap mode): 200.
        case ready
        /// A reload replaces the workers; arrivals wait in the open sockets' backlog: 200.
        case reloading
        /// No worker accepts yet (start-up, a crash loop, master-fifo `p`): 503.
        case starting
        /// A graceful stop was asked with a `drain-delay`: workers still serve, the balancer should leave: 503.
        case draining
        /// The master is stopping: 503.
        case stopping
    }

    var state: State
    /// The current config generation (0 at start, higher after each reload that loaded the app).
    var generation: Int
    /// Workers of the current generation accepting now.
    var accepting: Int

    /// What the arbiter knows at one moment.
    struct Facts: Sendable, Equatable {
        var stopping = false
        var draining = false
        var reloading = false
        var cheap = false
        var paused = false
        var generation = 0
        var accepting = 0
    }

    init(_ facts: Facts) {
        generation = facts.generation
        accepting = facts.accepting
        if facts.stopping {
            state = .stopping
        } else if facts.draining {
            state = .draining
        } else if facts.paused || (facts.accepting == 0 && !facts.cheap && !facts.reloading) {
            state = .starting
        } else {
            state = facts.reloading ? .reloading : .ready
        }
    }

    var isReady: Bool { state == .ready || state == .reloading }

    /// `ready generation=2 accepting=4`: one line a shell script can match.
    var response: DocumentServer.Response {
        DocumentServer.Response(status: isReady ? 200 : 503, contentType: "text/plain",
                                body: "\(state.rawValue) generation=\(generation) accepting=\(accepting)\n")
    }
}

import Testing
@testable import LiegeSystem

@Suite struct ScoreboardTests {
    @Test func createdSlotsStartEmpty() throws {
        let board = try Scoreboard.create(slots: 3)
        #expect(board.slotCount == 3)
        #expect(board.slots.count == 3)
        for slot in board.slots {
            #expect(slot.pid == 0)
            #expect(slot.status == .empty)
            #expect(slot.requests == 0)
            #expect(slot.requestStartMicros == 0)
        }
    }

    @Test func attachedMappingSharesTheSlots() throws {
        let master = try Scoreboard.create(slots: 2)
        let duplicate = try Posix.duplicate(master.fd, atLeast: 10)
        let worker = try Scoreboard.attach(fd: duplicate)
        #expect(worker.slotCount == 2)

        master[2].pid = 4242
        master[2].respawns = 3
        master[2].generation = 7
        worker[2].status = .busy
        worker[2].requests = 11
        worker[2].requestStartMicros = 123_456_789
        worker[2].rssKB = 2048
        worker[2].exceptions = 1

        #expect(worker[2].pid == 4242)
        #expect(worker[2].respawns == 3)
        #expect(master[2].status == .busy)
        #expect(master[2].requests == 11)
        #expect(master[2].requestStartMicros == 123_456_789)
        #expect(master[2].rssKB == 2048)
        #expect(master[2].exceptions == 1)
        #expect(master[1].status == .empty)   // slots do not overlap
        #expect(master[1].pid == 0)

        master[2].resetForNewProcess()
        #expect(worker[2].pid == 0)
        #expect(worker[2].status == .empty)
        #expect(worker[2].requests == 0)
        #expect(worker[2].respawns == 3)
        #expect(worker[2].generation == 7)
    }

    @Test func attachRefusesSomethingElse() throws {
        let fd = try Posix.memfd(name: "not-a-scoreboard", text: String(repeating: "x", count: 512))
        defer { Posix.close(fd) }
        #expect(throws: SystemError.self) { try Scoreboard.attach(fd: fd) }
        let empty = try Posix.memfd(name: "empty", text: "")
        defer { Posix.close(empty) }
        #expect(throws: SystemError.self) { try Scoreboard.attach(fd: empty) }
    }

    @Test func requestBookkeeping() throws {
        let board = try Scoreboard.create(slots: 1)
        let slot = board[1]
        slot.status = .ready
        slot.beginRequest(now: 1_000)
        #expect(slot.status == .busy)
        #expect(slot.requestStartMicros == 1_000)
        slot.endRequest(now: 5_000)
        #expect(slot.status == .ready)
        #expect(slot.requestStartMicros == 0)
        #expect(slot.lastRequestEndMicros == 5_000)
        #expect(slot.requests == 1)
        #expect(slot.exceptions == 0)
        slot.beginRequest(now: 6_000)
        slot.status = .stopping   // asked to stop while busy: stays stopping
        slot.endRequest(now: 7_000, failed: true)
        #expect(slot.status == .stopping)
        #expect(slot.requests == 2)
        #expect(slot.exceptions == 1)
    }

    @Test func requestTextIsSharedAndBounded() throws {
        let board = try Scoreboard.create(slots: 2)
        let worker = try Scoreboard.attach(fd: try Posix.duplicate(board.fd, atLeast: 10))
        worker[1].beginRequest(now: 1, request: "GET /shop/cart?id=7")
        #expect(board[1].currentRequest == "GET /shop/cart?id=7")
        #expect(board[1].status == .busy)
        worker[1].currentRequest = "POST /" + String(repeating: "x", count: 500)
        #expect(board[1].currentRequest.utf8.count == ScoreboardSlot.requestTextCapacity)
        #expect(board[1].currentRequest.hasPrefix("POST /xxx"))
        #expect(board[2].currentRequest.isEmpty)   // the text stays inside its slot
        #expect(board[2].pid == 0)
        board[1].resetForNewProcess()
        #expect(worker[1].currentRequest.isEmpty)
    }
}

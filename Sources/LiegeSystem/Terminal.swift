import Glibc

/// The controlling terminal for interactive tools (`liege top`): raw keys without echo, window size.
public final class Terminal: @unchecked Sendable {
    private let fd: Int32
    private var saved: termios?

    public init(fd: Int32 = 0) {
        self.fd = fd
    }

    /// True when `fd` is a terminal.
    public static func isTerminal(_ fd: Int32) -> Bool {
        isatty(fd) == 1
    }

    /// Keys arrive one by one, unechoed; Ctrl-C arrives as byte 3 instead of a signal, so the caller can
    /// restore the terminal before it quits.
    public func enterRawMode() {
        var settings = termios()
        guard tcgetattr(fd, &settings) == 0 else { return }
        saved = settings
        settings.c_lflag &= ~tcflag_t(ICANON | ECHO | ISIG)
        withUnsafeMutableBytes(of: &settings.c_cc) { cc in
            cc[Int(VMIN)] = 1
            cc[Int(VTIME)] = 0
        }
        tcsetattr(fd, TCSANOW, &settings)
    }

    /// Puts back what `enterRawMode` changed.
    public func restore() {
        guard var settings = saved else { return }
        tcsetattr(fd, TCSANOW, &settings)
        saved = nil
    }

    /// Columns and rows of the terminal on `fd` (80x24 when unknown).
    public static func size(of fd: Int32 = 1) -> (columns: Int, rows: Int) {
        var size = winsize()
        guard ioctl(fd, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return (80, 24) }
        return (Int(size.ws_col), Int(size.ws_row))
    }

    /// Waits up to `milliseconds` for a key; nil on timeout. At end of input (stdin not a terminal) it
    /// just waits out the time.
    public func readKey(timeoutMilliseconds milliseconds: Int) -> UInt8? {
        guard let events = try? Posix.poll([(fd, .readable)], timeoutMilliseconds: milliseconds),
              let ready = events.first, !ready.isEmpty else { return nil }
        var byte: UInt8 = 0
        if Glibc.read(fd, &byte, 1) == 1 { return byte }
        usleep(useconds_t(max(0, milliseconds)) * 1000)
        return nil
    }
}

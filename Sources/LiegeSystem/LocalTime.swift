import Glibc

/// `strftime` of a wall-clock second in local time (request log stamps).
public func localTimeString(epochSeconds: Int, format: String) -> String {
    var seconds = time_t(epochSeconds)
    var parts = tm()
    localtime_r(&seconds, &parts)
    var buffer = [CChar](repeating: 0, count: 128)
    let length = strftime(&buffer, buffer.count, format, &parts)
    return String(decoding: buffer[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

import CPython

/// Conversions between Python `str`/`bytes` and Swift values. GIL required for all of them.
enum PyText {
    /// A new Python `str` from Swift text (UTF-8).
    static func make(_ text: String) -> PyPointer? {
        var copy = text
        return copy.withUTF8 { utf8 in
            utf8.withMemoryRebound(to: CChar.self) { PyUnicode_FromStringAndSize($0.baseAddress, utf8.count) }
        }
    }

    /// A new Python `str` from bytes taken as latin-1 (PEP 3333 native strings).
    @inline(__always)
    static func latin1(_ bytes: UnsafeBufferPointer<UInt8>) -> PyPointer? {
        bytes.withMemoryRebound(to: CChar.self) { PyUnicode_DecodeLatin1($0.baseAddress, bytes.count, nil) }
    }

    /// Swift text of a Python `str` (UTF-8); nil for non-str or unencodable text (no Python error left set).
    static func string(_ object: PyPointer) -> String? {
        guard swpy_unicode_check(object) != 0 else { return nil }
        var length = 0
        guard let utf8 = PyUnicode_AsUTF8AndSize(object, &length) else {
            PyErr_Clear()
            return nil
        }
        return utf8.withMemoryRebound(to: UInt8.self, capacity: length) {
            String(decoding: UnsafeBufferPointer(start: $0, count: length), as: UTF8.self)
        }
    }

    /// Swift text of a Python `str` whose characters are all latin-1 (each becomes the Unicode scalar
    /// of the same number); nil for non-str or a character above U+00FF.
    static func latin1String(_ object: PyPointer) -> String? {
        guard swpy_unicode_check(object) != 0 else { return nil }
        var length = 0
        var ascii: Int32 = 0
        guard let data = swpy_unicode_latin1(object, &length, &ascii) else { return nil }
        let bytes = UnsafeBufferPointer(start: data, count: length)
        if ascii != 0 { return String(decoding: bytes, as: UTF8.self) }
        var text = ""
        text.unicodeScalars.append(contentsOf: bytes.lazy.map { Unicode.Scalar($0) })
        return text
    }

    /// Raises `type(message)` in Python and returns nil, for C-level callables.
    static func raise(_ type: PyPointer?, _ message: String) -> PyPointer? {
        PyErr_SetString(type, message)
        return nil
    }
}

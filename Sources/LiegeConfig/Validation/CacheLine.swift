import LiegeSystem

/// One `cache2` value (`name=NAME,items=N[,blocksize=B,keysize=K,store=PATH,purge_lru=1,...]`), parsed once:
/// the loader checks every line with it, the master makes the cache from it. Keys are uWSGI's; those that
/// tune uWSGI's own internals are accepted, those that would change what the app sees and that Liege
/// does not have are refused with the reason.
public struct CacheLine: Sendable, Equatable {
    public var geometry: CacheGeometry
    /// `store`: the file the cache lives in, so its items survive a restart.
    public var store: String?

    /// Keys with a meaning here (aliases included).
    static let keys = [
        "name", "items", "max_items", "maxitems", "blocksize", "keysize", "key_size", "blocks", "hash", "hashsize",
        "hash_size", "store", "store_sync", "storesync", "store_delete", "storedelete", "purge_lru", "lru",
        "lazy_expire", "lazy", "sweep_on_full", "clear_on_full", "no_expire", "ignore_full", "math_initial", "lastmod",
        "bitmap", "node", "nodes", "sync", "udp", "udp_servers", "udp_server", "udpservers", "udpserver",
    ]

    /// The largest region Liege makes for one cache.
    static let sizeLimit = 64 << 30

    static func parse(_ text: String) -> Result<CacheLine, ValueError> {
        let pairs: [(key: String, value: String)]
        switch KeyValueList.parse(text, allowed: keys) {
        case .success(let parsed): pairs = parsed
        case .failure(let error): return .failure(ValueError(error.message))
        }
        var values: [String: String] = [:]
        for (key, value) in pairs { values[canonical(key)] = value }
        if let refused = refusal(values) { return .failure(ValueError(refused)) }
        guard let name = values["name"], !name.isEmpty else { return .failure(ValueError("a cache needs name=NAME")) }
        guard name.utf8.count <= CacheGeometry.nameLimit, !name.contains("@") else {
            return .failure(ValueError("name \(Quoted.text(name)): at most \(CacheGeometry.nameLimit) bytes, without \"@\""))
        }
        guard let itemsText = values["items"] else { return .failure(ValueError("a cache needs items=N (how many items it holds)")) }
        var geometry = CacheGeometry(name: name, items: 0)
        do throws(ValueError) {
            geometry.items = try number(itemsText, "items", 1...(1 << 30))
            if let text = values["blocksize"] { geometry.blockSize = try number(text, "blocksize", 1...(1 << 30)) }
            if let text = values["keysize"] { geometry.keySize = try number(text, "keysize", 1...65534) }
            if let text = values["blocks"], try number(text, "blocks", 1...Int.max) < geometry.items {
                return .failure(ValueError("blocks (\(text)) must be at least items (\(geometry.items))"))
            }
            if let text = values["math_initial"] {
                guard let initial = Int64(text) else { throw ValueError("math_initial \(Quoted.text(text)): expected a number") }
                geometry.mathInitial = initial
            }
            geometry.leastRecentlyUsed = try flag(values, "purge_lru")
            geometry.noExpire = try flag(values, "no_expire")
            geometry.clearOnFull = try flag(values, "clear_on_full")
        } catch {
            return .failure(error)
        }
        guard geometry.regionSize <= sizeLimit else {
            return .failure(ValueError("items x (keysize + blocksize) comes to \(geometry.regionSize >> 20) MiB; "
                + "the limit is \(sizeLimit >> 30) GiB"))
        }
        let store = values["store"].flatMap { $0.isEmpty ? nil : $0 }
        return .success(CacheLine(geometry: geometry, store: store))
    }

    private static func canonical(_ key: String) -> String {
        switch key {
        case "max_items", "maxitems": "items"
        case "key_size": "keysize"
        case "lru": "purge_lru"
        case "hash_size": "hashsize"
        case "storesync": "store_sync"
        case "storedelete": "store_delete"
        case "lazy": "lazy_expire"
        case "node": "nodes"
        case "udp_servers", "udp_server", "udpservers", "udpserver": "udp"
        default: key
        }
    }

    private static func refusal(_ values: [String: String]) -> String? {
        if values["bitmap"] != nil {
            return "bitmap (items spread over several blocks) is not supported: set blocksize to the largest value you store"
        }
        for key in ["nodes", "sync", "udp"] where values[key] != nil {
            return "\(key) is not supported: a Liege cache belongs to one vassal and is shared by its workers only"
        }
        return nil
    }

    private static func number(_ text: String, _ key: String, _ range: ClosedRange<Int>) throws(ValueError) -> Int {
        guard let value = Int(text), range.contains(value) else {
            throw ValueError("\(key) \(Quoted.text(text)): expected a number from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    private static func flag(_ values: [String: String], _ key: String) throws(ValueError) -> Bool {
        guard let text = values[key] else { return false }
        if let value = OptionValidator.booleans[text.lowercased()] { return value }
        throw ValueError("\(key) \(Quoted.text(text)): expected 1, 0, true or false")
    }
}

/// A template laid out in `WorkerStorage.templateBytes`: where its bytes are, and its
/// numbered fields in `WorkerStorage.fields`.
struct PreparedTemplate {
    var start: Int
    var count: Int
    var firstField: Int
    var fieldCount: Int
}

/// A worker's hot-path state in plain memory: the in-flight rings (one of `pipeline`
/// slots per connection) and the encoded command templates. Reached through pointers, so
/// per-request bookkeeping costs no reference counting, uniqueness or exclusivity checks
/// that arrays held by a worker would; this class only owns the memory.
final class WorkerStorage {
    let sentAt: UnsafeMutablePointer<UInt64>
    let requests: UnsafeMutablePointer<BenchRequest>
    let heads: UnsafeMutablePointer<Int>
    let counts: UnsafeMutablePointer<Int>
    let watchingWritable: UnsafeMutablePointer<Bool>
    /// Requests queued on each connection since its last write, whose send time is set
    /// when they are written.
    let unstamped: UnsafeMutablePointer<Int>
    /// Connections with something to write at the end of the current batch of events.
    let dirty: UnsafeMutablePointer<Int>
    let isDirty: UnsafeMutablePointer<Bool>
    let templateBytes: UnsafeMutableRawPointer
    let templates: UnsafeMutablePointer<PreparedTemplate>
    let fields: UnsafeMutablePointer<CommandTemplate.Field>
    private let slots: Int
    private let connections: Int
    
    init(connections: Int, pipeline: Int, templates source: [CommandTemplate]) {
        self.connections = connections
        slots = connections * pipeline
        sentAt = .allocate(capacity: slots)
        sentAt.initialize(repeating: 0, count: slots)
        requests = .allocate(capacity: slots)
        requests.initialize(repeating: BenchRequest(command: 0, key: 0), count: slots)
        heads = .allocate(capacity: connections)
        heads.initialize(repeating: 0, count: connections)
        counts = .allocate(capacity: connections)
        counts.initialize(repeating: 0, count: connections)
        watchingWritable = .allocate(capacity: connections)
        watchingWritable.initialize(repeating: false, count: connections)
        unstamped = .allocate(capacity: connections)
        unstamped.initialize(repeating: 0, count: connections)
        dirty = .allocate(capacity: connections)
        dirty.initialize(repeating: 0, count: connections)
        isDirty = .allocate(capacity: connections)
        isDirty.initialize(repeating: false, count: connections)

        let total = source.reduce(0) { $0 + $1.bytes.count }
        templateBytes = .allocate(byteCount: max(1, total), alignment: 16)
        templates = .allocate(capacity: max(1, source.count))
        let fieldTotal = source.reduce(0) { $0 + $1.fields.count }
        fields = .allocate(capacity: max(1, fieldTotal))
        var offset = 0
        var field = 0
        for (i, t) in source.enumerated() {
            t.bytes.withUnsafeBytes { raw in
                if let base = raw.baseAddress { (templateBytes + offset).copyMemory(from: base, byteCount: raw.count) }
            }
            templates.advanced(by: i).initialize(to: PreparedTemplate(start: offset, count: t.bytes.count,
                                                                      firstField: field, fieldCount: t.fields.count))
            for f in t.fields {
                fields.advanced(by: field).initialize(to: f)
                field += 1
            }
            offset += t.bytes.count
        }
    }

    deinit {
        sentAt.deallocate()
        requests.deallocate()
        heads.deallocate()
        counts.deallocate()
        watchingWritable.deallocate()
        unstamped.deallocate()
        dirty.deallocate()
        isDirty.deallocate()
        templateBytes.deallocate()
        templates.deallocate()
        fields.deallocate()
    }

    /// Writes template `t` (laid out in `bytes` and `fields`) to `out`, its fields
    /// showing `key` and `token`. Static over plain pointers so that the per-request
    /// call retains nothing.
    @inline(__always)
    static func write(_ t: PreparedTemplate, bytes: UnsafeMutableRawPointer, fields: UnsafeMutablePointer<CommandTemplate.Field>,
                      into out: UnsafeMutableRawPointer, key: UInt64, token: UInt64) {
        out.copyMemory(from: bytes + t.start, byteCount: t.count)
        var f = t.firstField
        let end = f + t.fieldCount
        while f < end {
            let field = fields[f]
            digits(field.source == .key ? key : token, into: out + field.offset, width: field.width)
            f += 1
        }
    }

    /// `value` right-aligned in `width` bytes that already hold zeros (the template's
    /// placeholder), two digits per division; leading zeros are left as they are, so
    /// key 0 (one key, no `-r`) costs nothing.
    @inline(__always)
    static func digits(_ value: UInt64, into out: UnsafeMutableRawPointer, width: Int) {
        let zero = UInt8(ascii: "0")
        var rest = value
        var i = width
        while rest > 0 && i >= 2 {
            let pair = UInt8(truncatingIfNeeded: rest % 100)
            rest /= 100
            i -= 2
            let tens = pair / 10
            out.storeBytes(of: zero &+ tens, toByteOffset: i, as: UInt8.self)
            out.storeBytes(of: zero &+ (pair &- tens &* 10), toByteOffset: i + 1, as: UInt8.self)
        }
        if rest > 0 && i == 1 { out.storeBytes(of: zero &+ UInt8(truncatingIfNeeded: rest % 10), as: UInt8.self) }
    }
}

/// A template laid out in `WorkerStorage.templateBytes`: where its bytes are and where
/// its numbered fields start (-1 when it has fewer).
struct PreparedTemplate {
    var start: Int
    var count: Int
    var field0: Int
    var width0: Int
    var field1: Int
    var width1: Int
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
    private let slots: Int
    private let connections: Int
    private let templateCount: Int

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

        templateCount = source.count
        let total = source.reduce(0) { $0 + $1.bytes.count }
        templateBytes = .allocate(byteCount: max(1, total), alignment: 16)
        templates = .allocate(capacity: max(1, source.count))
        var offset = 0
        for (i, t) in source.enumerated() {
            t.bytes.withUnsafeBytes { raw in
                if let base = raw.baseAddress { (templateBytes + offset).copyMemory(from: base, byteCount: raw.count) }
            }
            let f = t.fields
            templates.advanced(by: i).initialize(to: PreparedTemplate(
                start: offset, count: t.bytes.count,
                field0: f.count > 0 ? f[0].offset : -1, width0: f.count > 0 ? f[0].width : 0,
                field1: f.count > 1 ? f[1].offset : -1, width1: f.count > 1 ? f[1].width : 0))
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
    }

    /// Writes template `t` to `out` with its fields set to `first` and `second`.
    @inline(__always)
    static func write(_ t: PreparedTemplate, from bytes: UnsafeMutableRawPointer, into out: UnsafeMutableRawPointer,
                      _ first: UInt64, _ second: UInt64) {
        out.copyMemory(from: bytes + t.start, byteCount: t.count)
        if t.field0 >= 0 { digits(first, into: out + t.field0, width: t.width0) }
        if t.field1 >= 0 { digits(second, into: out + t.field1, width: t.width1) }
    }

    /// `value` right-aligned and zero-padded in `width` bytes, two digits per division.
    @inline(__always)
    static func digits(_ value: UInt64, into out: UnsafeMutableRawPointer, width: Int) {
        let zero = UInt8(ascii: "0")
        var rest = value
        var i = width
        while i >= 2 {
            let pair = UInt8(truncatingIfNeeded: rest % 100)
            rest /= 100
            i -= 2
            let tens = pair / 10
            out.storeBytes(of: zero &+ tens, toByteOffset: i, as: UInt8.self)
            out.storeBytes(of: zero &+ (pair &- tens &* 10), toByteOffset: i + 1, as: UInt8.self)
        }
        if i == 1 { out.storeBytes(of: zero &+ UInt8(truncatingIfNeeded: rest % 10), as: UInt8.self) }
    }
}

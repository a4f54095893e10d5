/// The incremental splitter under both decoders: buffers bytes as they arrive, split at any boundary, and
/// cuts them into a header line plus the sections the header announces.
///
/// States: *between frames* (`pending == nil`, waiting for a complete header line) and *inside a frame*
/// (`pending` set, waiting for its sections). Garbage is detected at the first byte that cannot start the
/// magic, so a desynchronised stream is reported at once instead of after a header-length of bytes.
struct FrameReader: Sendable {
    /// Longest header line accepted; longer means the stream is not framed.
    static let maximumHeaderLength = 65_536

    private let magic: String
    private let magicPrefix: [UInt8]
    let maximumSectionLength: Int
    private var buffer: [UInt8] = []
    private var start = 0
    /// Bytes after `start` already searched for the end of the header line.
    private var scanned = 0
    private var pending: (header: FrameHeader, lengths: [Int], total: Int)?
    /// Inside a frame: the sections cut so far, and how much of a spilled section has gone to its sink.
    private var cut: [[UInt8]] = []
    private var spilledSoFar = 0
    private var spillTail: [UInt8] = []

    init(magic: String, maximumSectionLength: Int) {
        self.magic = magic
        self.magicPrefix = Array((magic + "/").utf8)
        self.maximumSectionLength = maximumSectionLength
    }

    /// Bytes received and not yet returned as part of a frame.
    var bufferedCount: Int { buffer.count - start }

    /// The buffered bytes, for banners and excerpts.
    var buffered: ArraySlice<UInt8> { buffer[start...] }

    mutating func append(_ bytes: some Sequence<UInt8>) {
        buffer.append(contentsOf: bytes)
    }

    /// Drops `count` buffered bytes (used while looking for the banner).
    mutating func discard(_ count: Int) {
        start += count
        scanned = max(0, scanned - count)
        compact()
    }

    /// The next complete frame, or nil when more bytes are needed.
    /// - Parameter sectionLengths: Reads the section lengths a header announces.
    /// - Throws: `FrameError` (`desynchronised`) when the bytes are not a frame.
    /// - Parameter spill: For a section (header, index, length), where to send it as it arrives instead of
    ///   buffering it whole; the section returned is then its tail.
    mutating func next(
        sectionLengths: (FrameHeader) throws(FrameError) -> [Int],
        spill: (FrameHeader, Int, Int) -> OutputSpill? = { _, _, _ in nil }
    ) throws(FrameError) -> (header: FrameHeader, sections: [[UInt8]])? {
        if pending == nil {
            let available = buffer[start...]
            let checked = min(available.count, magicPrefix.count)
            guard available.prefix(checked).elementsEqual(magicPrefix.prefix(checked)) else {
                throw .desync("expected a frame header starting with '\(magic)/'", available)
            }
            let searchFrom = start + scanned
            guard let newline = buffer[searchFrom...].firstIndex(of: UInt8(ascii: "\n")) else {
                scanned = available.count
                if available.count > Self.maximumHeaderLength {
                    throw .desync("no end of header line within \(Self.maximumHeaderLength) bytes", available)
                }
                return nil
            }
            let header = try FrameHeader(line: Array(buffer[start..<newline]), magic: magic)
            let lengths = try sectionLengths(header)
            let total = lengths.reduce(0, +)
            pending = (header, lengths, total)
            start = newline + 1
            scanned = 0
            cut = []
            spilledSoFar = 0
        }
        guard let (header, lengths, _) = pending else { return nil }
        while cut.count < lengths.count {
            let length = lengths[cut.count]
            if let sink = spill(header, cut.count, length), length > sink.threshold {
                let take = min(length - spilledSoFar, bufferedCount)
                if take > 0 {
                    let chunk = buffer[start..<start + take]
                    sink.write(cut.count, chunk)
                    spillTail += chunk.suffix(sink.tailLimit)
                    if spillTail.count > 2 * sink.tailLimit { spillTail.removeFirst(spillTail.count - sink.tailLimit) }
                    spilledSoFar += take
                    start += take
                }
                guard spilledSoFar == length else {
                    compact()
                    return nil
                }
                cut.append(Array(spillTail.suffix(sink.tailLimit)))
                spillTail = []
                spilledSoFar = 0
                continue
            }
            guard bufferedCount >= length else { return nil }
            cut.append(Array(buffer[start..<start + length]))
            start += length
        }
        let sections = cut
        pending = nil
        cut = []
        compact()
        return (header, sections)
    }

    /// Describes what is left when the stream ends, or nil when it ended between frames.
    func truncation() -> FrameError? {
        if let pending {
            return FrameError(
                .truncated,
                "the stream ended inside the '\(pending.header.kind)' frame (id \(pending.header.id)): "
                    + "\(bufferedCount) of \(pending.total) section bytes arrived",
                excerpt: ByteExcerpt.escape(pending.header.line),
                hint: "the agent or its channel died while answering; reconnect")
        }
        guard bufferedCount > 0 else { return nil }
        return FrameError(
            .truncated, "the stream ended inside a header line (\(bufferedCount) bytes)",
            excerpt: ByteExcerpt.escape(buffered), hint: "the agent or its channel died while answering; reconnect")
    }

    private mutating func compact() {
        if start == buffer.count {
            buffer.removeAll(keepingCapacity: buffer.capacity <= 1 << 20)
            start = 0
        } else if start > 65_536 && start > buffer.count / 2 {
            buffer.removeFirst(start)
            start = 0
        }
    }
}

/// Reads the agent's output incrementally: skips whatever a login shell printed before the ready banner,
/// then cuts response frames out of the bytes, however they were split in transit.
///
/// States: *awaiting the banner* → *framing* → (on any error) *failed*, in which `next()` keeps throwing
/// the first error: once the stream is out of step nothing after it can be trusted.
///
///     var decoder = FrameDecoder()
///     decoder.append(bytesFromTheChannel)
///     while let (id, response) = try decoder.next() { … }
public struct FrameDecoder: Sendable {
    /// Output before the banner beyond this means the agent never started.
    public static let maximumPreambleLength = 1 << 20

    private var reader: FrameReader
    private var failure: FrameError?
    private var preambleTail: [UInt8] = []
    private var preambleCount = 0
    /// Where the large output sections of given `run` answers go (by response id); dropped once decoded.
    private var spills: [UInt64: OutputSpill] = [:]

    /// Sends the stdout/stderr of the `run` answer `id` past `spill.threshold` to `spill` as they arrive.
    public mutating func spill(responseID id: UInt64, to spill: OutputSpill?) {
        spills[id] = spill
    }

    /// Whether the ready banner has been seen (always true for a decoder made with `expectsBanner: false`).
    public private(set) var isReady: Bool
    /// The version the banner announced, once seen.
    public private(set) var agentProtocolVersion: ProtocolVersion?

    /// - Parameters:
    ///   - expectsBanner: Skip everything up to the agent's `TBAGENT/<v> READY` line first.
    ///   - maximumSectionLength: The largest section accepted; a larger announced length is desynchronisation.
    public init(expectsBanner: Bool = true, maximumSectionLength: Int = 256 << 20) {
        reader = FrameReader(magic: "TBRES", maximumSectionLength: maximumSectionLength)
        isReady = !expectsBanner
    }

    /// Bytes received and not yet returned in a response.
    public var bufferedByteCount: Int { reader.bufferedCount }

    /// An escaped excerpt of the end of what came before the banner (a login shell's chatter), for errors.
    public var preambleExcerpt: String { ByteExcerpt.escapeTail(preambleTail, limit: 240) }

    /// Adds bytes read from the stream.
    public mutating func append(_ bytes: some Sequence<UInt8>) {
        reader.append(bytes)
    }

    /// The next complete response and its id, or nil when more bytes are needed.
    /// - Throws: `FrameError`: `desynchronised` for bytes that are not a frame, `versionMismatch` when the
    ///   agent speaks another protocol (a `hello` of another version is still returned, so that the caller
    ///   can report it).
    public mutating func next() throws(FrameError) -> (id: UInt64, response: NodeResponse)? {
        if let failure { throw failure }
        do throws(FrameError) {
            if !isReady { guard try scanForBanner() else { return nil } }
            let maximum = reader.maximumSectionLength
            let spills = self.spills
            guard
                let (header, sections) = try reader.next(
                    sectionLengths: { (header) throws(FrameError) in
                        try NodeResponse.sectionLengths(of: header, maximum: maximum)
                    },
                    spill: { header, index, _ in header.kind == "run" && index < 2 ? spills[header.id] : nil })
            else { return nil }
            self.spills[header.id] = nil
            if header.version != ProtocolVersion.current.major && header.kind != "hello" {
                throw FrameError(
                    .versionMismatch,
                    "the agent answered in protocol \(header.version); this testbed speaks \(ProtocolVersion.current)",
                    excerpt: ByteExcerpt.escape(header.line), hint: "run the agent text of this testbed build")
            }
            return (header.id, try NodeResponse.decode(header: header, sections: sections))
        } catch {
            failure = error
            throw error
        }
    }

    /// Checks the state at end of stream.
    /// - Throws: `FrameError` (`truncated`) when the stream ended inside a frame or before the banner.
    public func checkEndOfStream() throws(FrameError) {
        if let failure { throw failure }
        if !isReady {
            throw FrameError(
                .truncated, "the stream ended before the agent's ready banner",
                excerpt: ByteExcerpt.escapeTail(preambleTail + reader.buffered, limit: 240),
                hint: "the agent did not start: check that /bin/bash (4.4 or later) exists on the node")
        }
        if let truncation = reader.truncation() { throw truncation }
    }

    /// Looks for `TBAGENT/<digits> READY\n`; moves what precedes it into the preamble.
    private mutating func scanForBanner() throws(FrameError) -> Bool {
        let marker = Array("TBAGENT/".utf8)
        while !isReady {
            let available = reader.buffered
            guard let found = firstRange(of: marker, in: available) else {
                try skipPreamble(available.count - min(available.count, marker.count - 1))
                return false
            }
            try skipPreamble(found - available.startIndex)
            let candidate = reader.buffered
            guard let newline = candidate.prefix(32).firstIndex(of: UInt8(ascii: "\n")) else {
                guard candidate.count >= 32 else { return false }
                try skipPreamble(1)
                continue
            }
            let line = String(decoding: candidate[candidate.startIndex..<newline], as: UTF8.self)
            let words = line.dropFirst(marker.count).split(separator: " ", omittingEmptySubsequences: false)
            guard words.count == 2, words[1] == "READY", let version = WireFormat.number(words[0], maximumDigits: 4)
            else {
                try skipPreamble(1)
                continue
            }
            reader.discard(newline + 1 - candidate.startIndex)
            isReady = true
            agentProtocolVersion = ProtocolVersion(version)
            guard version == ProtocolVersion.current.major else {
                throw FrameError(
                    .versionMismatch,
                    "the agent announced protocol \(version); this testbed speaks \(ProtocolVersion.current)",
                    excerpt: line, hint: "run the agent text of this testbed build (AgentScript.launchCommand)")
            }
        }
        return true
    }

    private mutating func skipPreamble(_ count: Int) throws(FrameError) {
        guard count > 0 else { return }
        preambleTail.append(contentsOf: reader.buffered.prefix(count))
        if preambleTail.count > 4096 { preambleTail.removeFirst(preambleTail.count - 2048) }
        preambleCount += count
        reader.discard(count)
        if preambleCount > Self.maximumPreambleLength {
            throw FrameError(
                .desynchronised, "no agent ready banner within \(Self.maximumPreambleLength) bytes of output",
                excerpt: ByteExcerpt.escapeTail(preambleTail, limit: 120),
                hint: "something on the node prints endlessly before the agent starts (a login shell rc file?)")
        }
    }

    private func firstRange(of needle: [UInt8], in haystack: ArraySlice<UInt8>) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        var index = haystack.startIndex
        while let candidate = haystack[index...].firstIndex(of: needle[0]) {
            if haystack[candidate...].starts(with: needle) { return candidate }
            index = candidate + 1
            if haystack.endIndex - index < needle.count { return nil }
        }
        return nil
    }
}

/// Reads request frames incrementally, as the agent does; for fake agents in tests and for checking the
/// encoder. Same rules as `FrameDecoder`: any split, desynchronisation detected early, failure is final.
public struct RequestFrameDecoder: Sendable {
    private var reader: FrameReader
    private var failure: FrameError?

    public init(maximumPayloadLength: Int = 256 << 20) {
        reader = FrameReader(magic: "TBREQ", maximumSectionLength: maximumPayloadLength)
    }

    /// Adds received bytes.
    public mutating func append(_ bytes: some Sequence<UInt8>) {
        reader.append(bytes)
    }

    /// The next complete request and its id, or nil when more bytes are needed.
    /// - Throws: `FrameError` (`desynchronised` or `versionMismatch`).
    public mutating func next() throws(FrameError) -> (id: UInt64, request: NodeRequest)? {
        if let failure { throw failure }
        do throws(FrameError) {
            let maximum = reader.maximumSectionLength
            guard
                let (header, sections) = try reader.next(sectionLengths: { (header) throws(FrameError) in
                    let length = try header.number(header.fields.count - 1, "payload length")
                    guard length <= maximum else {
                        throw header.malformed("announces a payload of \(length) bytes, more than \(maximum)")
                    }
                    return [length]
                })
            else { return nil }
            guard header.version == ProtocolVersion.current.major else {
                throw FrameError(
                    .versionMismatch,
                    "a protocol \(header.version) request; this side speaks \(ProtocolVersion.current)",
                    excerpt: ByteExcerpt.escape(header.line), hint: "use matching builds on both sides")
            }
            return (header.id, try NodeRequest.decode(header: header, payload: sections[0]))
        } catch {
            failure = error
            throw error
        }
    }

    /// Checks the state at end of stream.
    /// - Throws: `FrameError` (`truncated`) when the stream ended inside a frame.
    public func checkEndOfStream() throws(FrameError) {
        if let failure { throw failure }
        if let truncation = reader.truncation() { throw truncation }
    }
}

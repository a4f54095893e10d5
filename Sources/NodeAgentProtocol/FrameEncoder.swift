/// Turns requests (and, for fake agents and tests, responses) into frames, refusing what cannot be sent
/// safely: NUL in a script, a namespace name or address that is not a plain token, a bad sysctl name.
///
/// A frame is a header line, `TBREQ/2 <id> <kind> <fields…> <payload-length>` or
/// `TBRES/2 <id> <kind> <fields…>`, then raw bytes whose lengths the header gives. See `NodeRequest` and
/// `NodeResponse` (`+Wire`) for the fields of each kind.
public struct FrameEncoder: Sendable {
    public let version: ProtocolVersion

    public init(version: ProtocolVersion = .current) {
        self.version = version
    }

    /// Encodes a request frame.
    /// - Parameters:
    ///   - request: What to ask.
    ///   - id: The id the agent echoes in its response.
    /// - Returns: The header line followed by the payload.
    /// - Throws: `FrameError` (`invalidRequest`) naming the field that cannot be sent.
    public func encode(_ request: NodeRequest, id: UInt64) throws(FrameError) -> [UInt8] {
        let (fields, payload) = try request.wireFields()
        var frame = headerLine([version.requestMagic, String(id), request.kindName] + fields + [String(payload.count)])
        guard frame.count <= FrameReader.maximumHeaderLength else {
            throw .invalid(
                "\(request.kindName) request: the header line would be \(frame.count) bytes long",
                hint: "keep it under \(FrameReader.maximumHeaderLength) bytes: split long address or sysctl lists")
        }
        frame.append(contentsOf: payload)
        return frame
    }

    /// Encodes a response frame, as the agent would write it.
    /// - Returns: The header line followed by the sections.
    /// - Throws: `FrameError` (`invalidRequest`) when a value would break the header line.
    public func encode(_ response: NodeResponse, id: UInt64) throws(FrameError) -> [UInt8] {
        let (fields, sections) = try response.wireFields()
        var frame = headerLine([version.responseMagic, String(id), response.kindName] + fields)
        for section in sections { frame.append(contentsOf: section) }
        return frame
    }

    /// The agent's ready banner, e.g. `TBAGENT/2 READY\n`.
    public var banner: [UInt8] { Array((version.banner + "\n").utf8) }

    private func headerLine(_ tokens: [String]) -> [UInt8] {
        Array((tokens.joined(separator: " ") + "\n").utf8)
    }
}

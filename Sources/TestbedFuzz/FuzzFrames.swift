import NodeAgentProtocol

/// The agent frame decoders. The first input byte picks how the stream is cut (and, for responses, whether a
/// ready banner is expected); the rest is the stream. Two properties must hold for every stream:
/// - it decodes to the same frames and the same kind of error whether it arrives at once or in pieces;
/// - a decoded frame that the encoder accepts decodes back to itself.
enum FuzzFrames {
    /// Largest section the fuzzed decoders accept, so that announced lengths past it are reachable.
    static let maximumSection = 1 << 16

    static func responses(_ bytes: [UInt8]) {
        guard let control = bytes.first else { return }
        let stream = Array(bytes.dropFirst())
        let expectsBanner = control & 0x80 == 0
        let whole = decodeResponses(stream, pieces: [stream.count], expectsBanner: expectsBanner)
        let split = decodeResponses(
            stream, pieces: pieceSizes(control, total: stream.count), expectsBanner: expectsBanner)
        guard whole == split else {
            fatalError("response frames decode differently when split:\n\(whole)\nversus\n\(split)")
        }
        for (id, response) in whole.frames {
            guard let encoded = try? FrameEncoder().encode(response, id: id) else { continue }
            let again = decodeResponses(encoded, pieces: [encoded.count], expectsBanner: false)
            guard again.frames.count == 1, again.frames.first?.1 == response, again.end == nil else {
                fatalError("a decoded response does not survive encoding:\n\(response)\nbecame\n\(again)")
            }
        }
    }

    static func requests(_ bytes: [UInt8]) {
        guard let control = bytes.first else { return }
        let stream = Array(bytes.dropFirst())
        let whole = decodeRequests(stream, pieces: [stream.count])
        let split = decodeRequests(stream, pieces: pieceSizes(control, total: stream.count))
        guard whole == split else {
            fatalError("request frames decode differently when split:\n\(whole)\nversus\n\(split)")
        }
        for (id, request) in whole.frames {
            guard let encoded = try? FrameEncoder().encode(request, id: id) else { continue }
            let again = decodeRequests(encoded, pieces: [encoded.count])
            guard again.frames.count == 1, again.frames.first?.1 == request, again.end == nil else {
                fatalError("a decoded request does not survive encoding:\n\(request)\nbecame\n\(again)")
            }
        }
    }

    /// What a decoder made of a stream: the frames, then the code of the error that ended it (nil for a clean
    /// end). Codes, not messages: an excerpt quotes what was buffered, which depends on the cuts.
    struct Outcome<Value: Hashable>: Hashable, CustomStringConvertible {
        var frames: [(UInt64, Value)] = []
        var end: String?

        static func == (left: Outcome, right: Outcome) -> Bool {
            left.end == right.end && left.frames.count == right.frames.count
                && zip(left.frames, right.frames).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        }

        func hash(into hasher: inout Hasher) {
            hasher.combine(end)
            hasher.combine(frames.count)
        }

        var description: String { "\(frames.map { "\($0.0): \($0.1)" }) then \(end ?? "a clean end")" }
    }

    static func decodeResponses(_ stream: [UInt8], pieces: [Int], expectsBanner: Bool) -> Outcome<NodeResponse> {
        var decoder = FrameDecoder(expectsBanner: expectsBanner, maximumSectionLength: maximumSection)
        var outcome = Outcome<NodeResponse>()
        var offset = 0
        do throws(FrameError) {
            for size in pieces {
                decoder.append(stream[offset..<offset + size])
                offset += size
                while let frame = try decoder.next() { outcome.frames.append(frame) }
            }
            try decoder.checkEndOfStream()
        } catch {
            outcome.end = error.code.description
        }
        return outcome
    }

    static func decodeRequests(_ stream: [UInt8], pieces: [Int]) -> Outcome<NodeRequest> {
        var decoder = RequestFrameDecoder(maximumPayloadLength: maximumSection)
        var outcome = Outcome<NodeRequest>()
        var offset = 0
        do throws(FrameError) {
            for size in pieces {
                decoder.append(stream[offset..<offset + size])
                offset += size
                while let frame = try decoder.next() { outcome.frames.append(frame) }
            }
            try decoder.checkEndOfStream()
        } catch {
            outcome.end = error.code.description
        }
        return outcome
    }

    /// Cuts `total` bytes into pieces of 1…64 bytes, the sizes cycling from the control byte.
    static func pieceSizes(_ control: UInt8, total: Int) -> [Int] {
        var sizes: [Int] = []
        var left = total
        var size = Int(control & 0x3F) + 1
        while left > 0 {
            sizes.append(min(size, left))
            left -= size
            size = size % 64 + 7
        }
        return sizes
    }
}

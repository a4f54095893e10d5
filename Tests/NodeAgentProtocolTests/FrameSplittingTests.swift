import Testing

@testable import NodeAgentProtocol

@Suite struct FrameSplittingTests {
    /// Feeds `bytes` in the given chunk sizes, collecting every response as soon as it is complete.
    private func decode(_ bytes: [UInt8], chunks: some Sequence<Int>) throws -> [NodeResponse] {
        var decoder = FrameDecoder()
        var responses: [NodeResponse] = []
        var offset = 0
        for size in chunks where offset < bytes.count {
            let end = min(bytes.count, offset + size)
            decoder.append(bytes[offset..<end])
            offset = end
            while let (_, response) = try decoder.next() { responses.append(response) }
        }
        #expect(offset == bytes.count)
        try decoder.checkEndOfStream()
        return responses
    }

    @Test("responses decode when the stream arrives one byte at a time")
    func oneByteAtATime() throws {
        let bytes = try FrameSamples.responseStream()
        let responses = try decode(bytes, chunks: repeatElement(1, count: bytes.count))
        #expect(responses == FrameSamples.responses)
    }

    @Test(
        "responses decode when the stream arrives in random chunk sizes",
        arguments: [1, 2, 3, 17, 99, 2024] as [UInt64])
    func randomChunks(seed: UInt64) throws {
        let bytes = Array("motd line\n".utf8) + (try FrameSamples.responseStream())
        var generator = SeededGenerator(seed: seed)
        var sizes: [Int] = []
        while sizes.reduce(0, +) < bytes.count { sizes.append(Int.random(in: 1...9000, using: &generator)) }
        #expect(try decode(bytes, chunks: sizes) == FrameSamples.responses)
    }

    @Test("every split point of a frame pair yields the same two responses")
    func everySplitPoint() throws {
        let encoder = FrameEncoder()
        let bytes =
            encoder.banner + (try encoder.encode(FrameSamples.responses[2], id: 1))
            + (try encoder.encode(FrameSamples.responses[4], id: 2))
        for split in 0...bytes.count {
            let responses = try decode(bytes, chunks: [split, bytes.count])
            #expect(responses == [FrameSamples.responses[2], FrameSamples.responses[4]], "split at \(split)")
        }
    }

    @Test("requests decode one byte at a time, as the agent reads them")
    func requestsOneByteAtATime() throws {
        let encoder = FrameEncoder()
        var bytes: [UInt8] = []
        for (index, request) in FrameSamples.requests.enumerated() {
            bytes += try encoder.encode(request, id: UInt64(index + 1))
        }
        var decoder = RequestFrameDecoder()
        var requests: [NodeRequest] = []
        for byte in bytes {
            decoder.append([byte])
            while let (id, request) = try decoder.next() {
                #expect(id == UInt64(requests.count + 1))
                requests.append(request)
            }
        }
        #expect(requests == FrameSamples.requests)
    }

    @Test("a decoder fed nothing but a partial banner waits and is not ready")
    func partialBanner() throws {
        var decoder = FrameDecoder()
        decoder.append(Array("TBAGENT/2 REA".utf8))
        #expect(try decoder.next() == nil)
        #expect(!decoder.isReady)
        decoder.append(Array("DY\n".utf8))
        #expect(try decoder.next() == nil)
        #expect(decoder.isReady)
        #expect(decoder.agentProtocolVersion == ProtocolVersion(2))
    }
}

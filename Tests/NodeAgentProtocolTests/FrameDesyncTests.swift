import Testing

@testable import NodeAgentProtocol

@Suite struct FrameDesyncTests {
    /// Decodes `text` after a banner and returns the error it raises.
    private func decodingError(_ text: String) -> FrameError? {
        var decoder = FrameDecoder()
        decoder.append(Array(("TBAGENT/2 READY\n" + text).utf8))
        do {
            while try decoder.next() != nil {}
            return nil
        } catch {
            return error
        }
    }

    @Test("garbage after the banner is reported at once, quoting an escaped excerpt")
    func garbage() throws {
        let error = try #require(decodingError("bash: line 3: oops\u{7}\n"))
        #expect(error.code == .desynchronised)
        #expect(error.message == "expected a frame header starting with 'TBRES/'")
        #expect(error.excerpt == "bash: line 3: oops\\x07\\n")
    }

    @Test("a wrong magic is caught from its first differing byte, without waiting for a newline")
    func badMagicEarly() throws {
        var decoder = FrameDecoder(expectsBanner: false)
        decoder.append(Array("TBRE".utf8))
        #expect(try decoder.next() == nil)
        decoder.append(Array("Q".utf8))
        #expect(throws: FrameError.self) { try decoder.next() }
    }

    @Test(
        "malformed headers are desynchronisation",
        arguments: [
            ("TBRES/2 1 run 0 - - 12 0 x 0 0\n", "field 6 (section length) 'x' is not a number"),
            ("TBRES/2 1 hello 2 3 3\n", "has 3 fields after the kind, expected 7"),
            ("TBRES/2 abc failure 0\n", "the frame id 'abc' is not an unsigned 64-bit number"),
            ("TBRES/one 1 failure 0\n", "the TBRES version 'one' is not a number"),
            ("TBRES/2 1 teleport 0\n", "unknown response kind 'teleport' (id 1)"),
            ("TBRES/2 1 failure 9999999999999\n", "is not a number of at most 12 digits"),
            ("TBRES/2 1 failure 999999999999\n", "more than the 268435456 allowed"),
            ("TBRES/2 1 run 0 - - 12 2 0 0 0\n", "field 5 (timed out) '2' is neither 0 nor 1"),
            ("TBRES/2 1 ping 1 127.0.0.1 0 1 1 0,5\n", "unreadable round trip '0,5'"),
            ("TBRES/2 1 ping 1 no-address 0 1 1 -\n", "names a bad address 'no-address'"),
            ("TBRES/2  1 failure 0\n", "is not an unsigned 64-bit number"),
        ])
    func malformed(header: String, expected: String) throws {
        let error = try #require(decodingError(header))
        #expect(error.code == .desynchronised)
        #expect(error.message.contains(expected), "\(error.message)")
        #expect(error.excerpt != nil)
    }

    @Test("a header line that never ends is refused after 64 KiB")
    func endlessHeader() throws {
        let error = try #require(decodingError("TBRES/2 1 run " + String(repeating: "7", count: 70_000)))
        #expect(error.message == "no end of header line within 65536 bytes")
        #expect(error.excerpt?.hasPrefix("TBRES/2 1 run 777") == true)
    }

    @Test("once desynchronised, the decoder keeps failing even if valid frames follow")
    func failureIsFinal() throws {
        var decoder = FrameDecoder(expectsBanner: false)
        decoder.append(Array("garbage\n".utf8))
        #expect(throws: FrameError.self) { try decoder.next() }
        decoder.append(try FrameEncoder().encode(.failure("x"), id: 1))
        #expect(throws: FrameError.self) { try decoder.next() }
        #expect(throws: FrameError.self) { try decoder.checkEndOfStream() }
    }

    @Test("a stream that ends inside a frame is truncated, naming the frame")
    func truncatedInsideSections() throws {
        var decoder = FrameDecoder()
        let frame = try FrameEncoder().encode(FrameSamples.responses[2], id: 9)
        decoder.append(FrameEncoder().banner + frame.dropLast(3))
        #expect(try decoder.next() == nil)
        #expect {
            try decoder.checkEndOfStream()
        } throws: { error in
            let error = error as? FrameError
            return error?.code == .truncated && error?.message.contains("inside the 'run' frame (id 9)") == true
        }
    }

    @Test("a stream that ends inside a header or before the banner is truncated")
    func truncatedHeaderOrBanner() throws {
        var decoder = FrameDecoder()
        decoder.append(Array("TBAGENT/2 READY\nTBRES/2 3 ru".utf8))
        #expect(try decoder.next() == nil)
        #expect(throws: FrameError.self) { try decoder.checkEndOfStream() }

        var silent = FrameDecoder()
        silent.append(Array("bash: /bin/bash: No such file or directory\n".utf8))
        #expect(try silent.next() == nil)
        #expect {
            try silent.checkEndOfStream()
        } throws: { error in
            (error as? FrameError)?.excerpt?.contains("No such file") == true
        }
    }

    @Test("a banner of another version is a version mismatch")
    func bannerVersionMismatch() throws {
        var decoder = FrameDecoder()
        decoder.append(Array("TBAGENT/3 READY\n".utf8))
        #expect {
            try decoder.next()
        } throws: { error in
            (error as? FrameError)?.code == .versionMismatch
        }
        #expect(decoder.agentProtocolVersion == ProtocolVersion(3))
    }

    @Test("a hello of another version still decodes so it can be reported; other kinds do not")
    func helloOfAnotherVersion() throws {
        var decoder = FrameDecoder(expectsBanner: false)
        decoder.append(Array("TBRES/3 1 hello 3 1 1 1 1 1 0\nabcde".utf8))
        let (_, response) = try #require(try decoder.next())
        guard case .hello(let info) = response else {
            Issue.record("expected hello, got \(response)")
            return
        }
        #expect(info.protocolVersion == ProtocolVersion(3))
        #expect(info.hostname == "b")
        var other = FrameDecoder(expectsBanner: false)
        other.append(Array("TBRES/3 1 failure 0\n".utf8))
        #expect(throws: FrameError.self) { try other.next() }
    }

    @Test("endless output before the banner is refused after 1 MiB")
    func endlessPreamble() throws {
        var decoder = FrameDecoder()
        decoder.append(Array(repeating: UInt8(ascii: "y"), count: FrameDecoder.maximumPreambleLength + 100))
        #expect(throws: FrameError.self) { try decoder.next() }
    }

    @Test("the error text names what, what was seen, and the hint")
    func errorText() throws {
        let error = try #require(decodingError("oops\n"))
        #expect(
            error.description == """
                error: expected a frame header starting with 'TBRES/'
                cause: saw "oops\\n"
                hint: the agent's output is out of step with the protocol (a shell rc file printing, a crashed \
                agent, or a bug); the connection cannot recover and has to be reopened
                """)
    }
}

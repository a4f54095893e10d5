/// One packet capture of a run: the lab segment, its bridge in the switch namespace, and the pcap file.
public struct PacketCaptureFile: Sendable, Hashable, Codable {
    public var segment: String
    /// `seg0`, `seg1`, … in the topology's segment order.
    public var bridge: String
    /// Relative to the run directory: `pcap/seg0-air.pcap`.
    public var file: String
    /// What tcpdump said (its start line, and at the end how many packets it captured), relative too.
    public var log: String

    public init(segment: String, bridge: String, file: String, log: String) {
        self.segment = segment
        self.bridge = bridge
        self.file = file
        self.log = log
    }

    /// The bridges of the segments asked for: every segment when `names` is empty; a name may be the
    /// segment's name, its bridge (`seg0`) or its number from 1.
    /// - Returns: The captures, or the names no segment has.
    public static func plan(_ names: [String], segments: [String]) -> Result<[PacketCaptureFile], UnknownSegments> {
        var chosen: [Int] = []
        var unknown: [String] = []
        for name in names {
            let index =
                segments.firstIndex(of: name) ?? (name.hasPrefix("seg") ? Int(name.dropFirst(3)) : nil)
                ?? Int(name).map { $0 - 1 }
            guard let index, segments.indices.contains(index) else {
                unknown.append(name)
                continue
            }
            if !chosen.contains(index) { chosen.append(index) }
        }
        guard unknown.isEmpty else { return .failure(UnknownSegments(names: unknown)) }
        let indices = names.isEmpty ? Array(segments.indices) : chosen
        return .success(
            indices.map { index in
                let stem = "pcap/seg\(index)-\(PacketCaptureFile.fileSafe(segments[index]))"
                return PacketCaptureFile(
                    segment: segments[index], bridge: "seg\(index)", file: stem + ".pcap", log: stem + ".log")
            })
    }

    public struct UnknownSegments: Error, Sendable {
        public var names: [String]
    }

    /// Segment names come from the topology file; only a plain subset goes into a file name.
    static func fileSafe(_ name: String) -> String {
        String(name.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "_" }.prefix(40))
    }
}

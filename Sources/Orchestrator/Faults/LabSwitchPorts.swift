public import PlanModel

/// The names `LabBuilder.wireSegments` gives the switch side of a lab: bridge `seg<I>` for the I-th segment,
/// port `n<N>i<K>` for the K-th interface of the N-th node (topology order), whose peer is that interface.
public struct LabSwitchPorts: Sendable {
    public let topology: Topology

    public init(topology: Topology) { self.topology = topology }

    public func port(of endpoint: Endpoint) -> String? {
        guard let nodeIndex = topology.nodes.keys.firstIndex(of: endpoint.node),
            let interfaceIndex = topology.nodes[endpoint.node]?.interfaces.keys.firstIndex(of: endpoint.interface)
        else { return nil }
        return "n\(nodeIndex)i\(interfaceIndex)"
    }

    /// The segment of an endpoint, its bridge, and every port on it.
    public func segment(of endpoint: Endpoint) -> (segment: Segment, bridge: String, ports: [(Endpoint, String)])? {
        guard let index = topology.segments.firstIndex(where: { $0.endpoints.contains(endpoint) }) else { return nil }
        let segment = topology.segments[index]
        let ports = segment.endpoints.compactMap { end in port(of: end).map { (end, $0) } }
        return (segment, "seg\(index)", ports)
    }
}

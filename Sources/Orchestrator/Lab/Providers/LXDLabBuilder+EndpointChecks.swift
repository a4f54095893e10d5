import Foundation
import PlanModel

/// What is asked of a user's LXD endpoint before anything is made there, and the image, imported only when the
/// daemon does not have it already (then it is the user's and stays).
extension LXDLabBuilder {
    /// The daemon answers, trusts the client, has the storage pool, and has none of the lab's container or
    /// network names; every problem at once. Returns whether it is a cluster member.
    func checkEndpoint(_ endpoint: LXDEndpoint, nodes: [ProviderLabInfo.Node]) throws(LabError) -> Bool {
        let answer = try shell(member: 1).runAllowingFailure(tools.lxc, ["query", "/1.0"])
        guard answer.status.isSuccess else {
            throw LabError(
                .setupFailed,
                "the LXD endpoint \(endpoint.url) does not answer: "
                    + answer.stderrText.trimmingCharacters(in: .whitespacesAndNewlines),
                hint: "check provider.endpoint (the socket path or URL, netns, and the server certificate)")
        }
        let server = (try? JSONSerialization.jsonObject(with: Data(answer.stdout))) as? [String: Any] ?? [:]
        let environment = server["environment"] as? [String: Any] ?? [:]
        var problems: [String] = []
        if server["auth"] as? String != "trusted" {
            problems.append("the daemon does not trust the client certificate (auth: \(server["auth"] ?? "none"))")
        }
        if problems.isEmpty {
            problems += try takenNames(endpoint, nodes: nodes)
        }
        guard problems.isEmpty else {
            throw LabError(
                .setupFailed,
                "the LXD endpoint \(endpoint.url) cannot take lab '\(topology.name)': "
                    + problems.joined(separator: "; "),
                hint: "testbed never takes over an object it did not make: rename the lab, or remove the objects")
        }
        return environment["server_clustered"] as? Bool == true
    }

    /// The lab's names that the daemon has already, and a missing pool.
    private func takenNames(_ endpoint: LXDEndpoint, nodes: [ProviderLabInfo.Node]) throws(LabError) -> [String] {
        let containers = Set(try csvNames(["list", "--format", "csv", "-c", "n"]))
        let networks = Set(try csvNames(["network", "list", "--format", "csv"]))
        let pools = Set(try csvNames(["storage", "list", "--format", "csv"]))
        var problems: [String] = []
        let ours = [managementNetworkName] + segmentsAndLoners().indices.map { networkName(segment: $0) }
        for name in nodes.map(\.instance) where containers.contains(name) {
            problems.append("it has a container \(name) already")
        }
        for name in ours where networks.contains(name) { problems.append("it has a network \(name) already") }
        if !pools.contains(endpoint.storagePool) {
            problems.append(
                "it has no storage pool \(endpoint.storagePool) (it has: \(pools.sorted().joined(separator: ", ")))")
        }
        return problems
    }

    private func csvNames(_ arguments: [String]) throws(LabError) -> [String] {
        try lxc(1, arguments).split(separator: "\n").map { String($0.prefix { $0 != "," }) }
    }

    /// The image's LXD fingerprint (SHA-256 of metadata and root file system together); when the daemon lacks
    /// it, it is recorded and imported without an alias (aliases are the user's), to be deleted at `lab down`.
    func importImageIfAbsent(_ image: String, journal: LabJournal) throws(LabError) -> String {
        let metadata = image + "/metadata.tar.gz"
        let rootfs = image + "/rootfs.tar.gz"
        let sha256sum = try ProviderShell.locate("sha256sum", package: "coreutils")
        let sum = try ProviderShell().run(
            "/bin/sh", ["-c", #"cat -- "$1" "$2" | "$3""#, "fingerprint", metadata, rootfs, sha256sum])
        let fingerprint = String(sum.prefix { $0.isHexDigit })
        guard fingerprint.count == 64 else {
            throw LabError.setup("cannot compute the image's fingerprint", cause: sum)
        }
        if try shell(member: 1).runAllowingFailure(tools.lxc, ["image", "info", fingerprint]).status.isSuccess {
            logger.info("the LXD endpoint has image \(fingerprint.prefix(12)) already; it is used and left there")
            return fingerprint
        }
        journal.record(.intent, [.endpointObject(kind: .image, name: fingerprint)])
        try journal.commit()
        try lxc(1, ["image", "import", metadata, rootfs])
        return fingerprint
    }
}

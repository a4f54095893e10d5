import Foundation

/// The objects a lab made on a user's LXD endpoint: containers, then networks, then an image it imported, each
/// only when the journal records it and (for containers and networks) the daemon still shows it tagged with this
/// lab's id. Anything else on the daemon — and the daemon itself — is left alone.
extension LabTeardown {
    func removeEndpointObjects(_ intents: [LabObject], warnings: inout [String]) {
        guard
            let (directory, netns, tag) = intents.lazy.compactMap({ object -> (String, String?, String)? in
                if case .lxdEndpoint(let directory, let netns, let tag) = object { return (directory, netns, tag) }
                return nil
            }).first
        else { return }
        guard let lxc = ProcessEnvironment.which("lxc") else {
            warnings.append("lxc is missing: the lab's containers and networks on its LXD endpoint were left")
            return
        }
        let shell = ProviderShell(
            environment: ["LXD_CONF=\(directory)"], networkNamespace: netns, timeout: .seconds(60))
        var made: [LabObject.EndpointObjectKind: [String]] = [:]
        for case .endpointObject(let kind, let name) in intents { made[kind, default: []].append(name) }
        let containers = (made[.container] ?? []).filter {
            owned(["config", "get", $0, "user.testbed.lab"], tag: tag, lxc: lxc, shell: shell, warnings: &warnings)
        }
        if !containers.isEmpty {
            remove(["delete", "--force"] + containers, lxc: lxc, shell: shell, warnings: &warnings)
        }
        for network in (made[.network] ?? []).reversed()
        where ownedNetwork(network, tag: tag, lxc: lxc, shell: shell, warnings: &warnings) {
            remove(["network", "delete", network], lxc: lxc, shell: shell, warnings: &warnings)
        }
        for image in made[.image] ?? []
        where (try? shell.runAllowingFailure(lxc, ["image", "info", image]))?.status.isSuccess == true {
            remove(["image", "delete", image], lxc: lxc, shell: shell, warnings: &warnings)
        }
    }

    /// True when the object carries this lab's tag; an object that is not there (never made) is skipped quietly,
    /// one with another tag or none is left with a warning.
    private func owned(
        _ arguments: [String], tag: String, lxc: String, shell: ProviderShell, warnings: inout [String]
    ) -> Bool {
        guard let output = try? shell.runAllowingFailure(lxc, arguments) else {
            warnings.append("cannot run lxc for \(arguments[arguments.count - 2]) on the LXD endpoint")
            return false
        }
        let value = output.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
        if output.status.isSuccess, value == tag { return true }
        if output.stderrText.contains("not found") { return false }
        warnings.append(
            output.status.isSuccess
                ? "\(arguments[arguments.count - 2]) on the LXD endpoint is not this lab's (user.testbed.lab is '\(value)'); left"
                : "cannot ask the LXD endpoint about \(arguments[arguments.count - 2]): \(output.stderrText)")
        return false
    }

    /// A network is the lab's when it carries the tag — or, on a cluster, when it is still only pending on the
    /// members (`--target` takes no user keys, so the tag comes with the cluster-wide step; a crash between the
    /// two leaves it untagged, and the name was checked free right before it was recorded).
    private func ownedNetwork(
        _ name: String, tag: String, lxc: String, shell: ProviderShell, warnings: inout [String]
    ) -> Bool {
        guard let output = try? shell.runAllowingFailure(lxc, ["query", "/1.0/networks/" + name]) else {
            warnings.append("cannot run lxc for \(name) on the LXD endpoint")
            return false
        }
        if !output.status.isSuccess {
            if output.stderrText.contains("not found") { return false }
            warnings.append("cannot ask the LXD endpoint about \(name): \(output.stderrText)")
            return false
        }
        let network = (try? JSONSerialization.jsonObject(with: Data(output.stdout))) as? [String: Any] ?? [:]
        let value = (network["config"] as? [String: Any])?["user.testbed.lab"] as? String ?? ""
        if value == tag || (value.isEmpty && network["status"] as? String == "Pending") { return true }
        warnings.append("\(name) on the LXD endpoint is not this lab's (user.testbed.lab is '\(value)'); left")
        return false
    }

    private func remove(_ arguments: [String], lxc: String, shell: ProviderShell, warnings: inout [String]) {
        let output = try? shell.runAllowingFailure(lxc, arguments)
        if output?.status.isSuccess != true {
            warnings.append(
                "`lxc \(arguments.joined(separator: " "))` on the LXD endpoint failed: "
                    + (output?.stderrText.trimmingCharacters(in: .whitespacesAndNewlines) ?? "lxc did not run"))
        }
    }
}

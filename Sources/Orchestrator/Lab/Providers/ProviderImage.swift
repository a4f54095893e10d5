import Foundation
public import PlanModel

/// The Debian image a provider lab's nodes are made from: the directory `Scripts/build-image KIND` prints
/// (built by mmdebstrap when absent, cached under /var/cache/testbed/images).
public enum ProviderImage {
    /// The files an image directory of each kind holds.
    static func requiredFiles(_ kind: LabProvider.Kind) -> [String] {
        switch kind {
        case .lxd: ["metadata.tar.gz", "rootfs.tar.gz"]
        case .qemu: ["rootfs.qcow2", "vmlinuz", "initrd.img"]
        case .namespaces: []
        }
    }

    /// The image directory: the topology's `provider.image`, else `TESTBED_<KIND>_IMAGE`, else what
    /// `Scripts/build-image` prints (found through `TESTBED_BUILD_IMAGE`, beside the testbed executable's checkout,
    /// or under the current directory).
    /// - Throws: `LabError.setupFailed` when no image can be found or built.
    public static func locate(_ kind: LabProvider.Kind, given: String?) throws(LabError) -> String {
        if let given { return try checked(given, kind: kind) }
        if let fromEnvironment = ProcessEnvironment.value("TESTBED_\(kind.rawValue.uppercased())_IMAGE") {
            return try checked(fromEnvironment, kind: kind)
        }
        guard let script = buildScript() else {
            throw LabError(
                .setupFailed, "no \(kind.rawValue) image: Scripts/build-image was not found",
                hint: "set TESTBED_BUILD_IMAGE to the script, or provider.image to a directory it printed")
        }
        let shell = ProviderShell(timeout: .seconds(3600))
        let output = try shell.run("/bin/bash", [script, kind.rawValue])
        guard let line = output.split(separator: "\n").last.map(String.init) else {
            throw LabError(
                .setupFailed, "\(script) \(kind.rawValue) printed no image directory",
                hint: "run it by hand to see why")
        }
        return try checked(line, kind: kind)
    }

    private static func checked(_ directory: String, kind: LabProvider.Kind) throws(LabError) -> String {
        let missing = requiredFiles(kind).filter { !FileManager.default.fileExists(atPath: directory + "/" + $0) }
        guard missing.isEmpty else {
            throw LabError(
                .setupFailed,
                "\(directory) is not a \(kind.rawValue) image: it lacks \(missing.joined(separator: ", "))",
                hint: "point provider.image at a directory Scripts/build-image \(kind.rawValue) printed")
        }
        return directory
    }

    /// `Scripts/build-image` of the checkout testbed runs from.
    static func buildScript() -> String? {
        if let given = ProcessEnvironment.value("TESTBED_BUILD_IMAGE") { return given }
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? ""
        var candidates: [String] = []
        var directory = (executable as NSString).deletingLastPathComponent
        while directory.count > 1 {
            candidates.append(directory + "/Scripts/build-image")
            directory = (directory as NSString).deletingLastPathComponent
        }
        candidates.append(FileManager.default.currentDirectoryPath + "/Scripts/build-image")
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}

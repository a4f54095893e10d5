import Foundation
import PlanModel

extension QEMULabBuilder {
    /// Records and makes VM `node.member`'s directory, overlay, seed and taps, then starts it in the namespace.
    /// - Returns: Its PID and start time.
    func startVM(
        _ vm: ProviderLabInfo.Node, node: TopologyNode, segments: [[Endpoint]], image: String, accel: String,
        journal: LabJournal
    ) throws(LabError) -> (Int32, UInt64) {
        let index = vm.member
        let directory = vmDirectory(index)
        journal.record(
            .intent, [.directory(path: directory), .daemon(name: "qemu \(vm.instance) of \(topology.name)")])
        try journal.commit()
        do {
            try FileManager.default.createDirectory(
                atPath: directory + "/seed/etc/ssh", withIntermediateDirectories: true)
            try FileManager.default.createDirectory(
                atPath: directory + "/seed/root/.ssh", withIntermediateDirectories: true)
            let keys = paths.hostKey(node.name)
            try FileManager.default.copyItem(atPath: keys, toPath: directory + "/seed/etc/ssh/ssh_host_ed25519_key")
            try FileManager.default.copyItem(
                atPath: keys + ".pub", toPath: directory + "/seed/etc/ssh/ssh_host_ed25519_key.pub")
            try FileManager.default.copyItem(
                atPath: paths.authorizedKeys, toPath: directory + "/seed/root/.ssh/authorized_keys")
            try (node.name.rawValue + "\n").write(
                toFile: directory + "/seed/etc/hostname", atomically: false, encoding: .utf8)
            try FileManager.default.setAttributes(
                [.posixPermissions: 0o700], ofItemAtPath: directory + "/seed/root/.ssh")
        } catch {
            throw LabError.io("cannot make the seed of \(vm.instance)", error)
        }
        let root = ProviderShell()
        try root.run(
            tools.tar,
            ["--owner=0", "--group=0", "-C", directory + "/seed", "-cf", directory + "/seed.tar", "etc", "root"])
        try root.run(
            tools.qemuImg,
            ["create", "-q", "-f", "qcow2", "-F", "qcow2", "-b", image + "/rootfs.qcow2", directory + "/disk.qcow2"])
        var arguments = [
            "-name", "testbed-\(topology.name)-\(vm.instance)", "-machine", "q35", "-accel", accel, "-cpu",
            accel == "kvm" ? "host" : "max", "-smp", "1", "-m", "\(settings.memoryMiB)", "-nodefaults", "-display",
            "none",
            "-no-reboot", "-monitor", "none", "-serial", "file:\(directory)/console.log",
            "-kernel", image + "/vmlinuz", "-initrd", image + "/initrd.img",
            "-append", "root=/dev/vda rw console=ttyS0 net.ifnames=0 quiet systemd.show_status=0",
            "-drive", "file=\(directory)/disk.qcow2,format=qcow2,if=none,id=root,cache=unsafe",
            "-device", "virtio-blk-pci,drive=root,serial=testbed-root",
            "-drive", "file=\(directory)/seed.tar,format=raw,if=none,id=seed,readonly=on",
            "-device", "virtio-blk-pci,drive=seed,serial=testbed-seed",
            "-netdev", "user,id=mgmt,restrict=on,hostfwd=tcp:127.0.0.1:\(vm.port)-:22",
            "-device", String(format: "virtio-net-pci,netdev=mgmt,mac=52:54:00:00:00:%02x", index),
        ]
        let shell = ProviderShell(networkNamespace: vm.networkNamespace)
        for (nic, interface) in node.interfaces.values.enumerated() {
            let endpoint = Endpoint(node: node.name, interface: interface.name)
            guard let segment = segments.firstIndex(where: { $0.contains(endpoint) }) else { continue }
            let tap = "t\(index)n\(nic + 1)"
            // The taps live in the lab's namespace and end with it.
            try root.run(tools.ip, ["-n", namespace, "tuntap", "add", tap, "mode", "tap"])
            try root.run(tools.ip, ["-n", namespace, "link", "set", tap, "master", "tbs\(segment + 1)", "up"])
            arguments += [
                "-netdev", "tap,id=n\(nic + 1),ifname=\(tap),script=no,downscript=no",
                "-device", "virtio-net-pci,netdev=n\(nic + 1),mac=\(Self.mac(of: interface, vm: index, nic: nic + 1))",
            ]
        }
        let (program, argv) = shell.wrapped(tools.qemu, arguments)
        let child: ChildProcess
        do {
            child = try ChildProcess(
                executable: program, arguments: argv,
                options: .init(
                    stdin: .null, stdout: .file(path: directory + "/qemu.out", append: false),
                    stderr: .file(path: directory + "/qemu.out", append: true), newSession: true))
        } catch {
            throw LabError.setup("cannot start QEMU for \(vm.instance)", cause: "\(error)")
        }
        let startTime = ProcFS.startTime(of: child.pid) ?? 0
        journal.recordCreated(
            .daemon(name: "qemu \(vm.instance) of \(topology.name)"), pid: child.pid, startTime: startTime)
        try journal.commit()
        return (child.pid, startTime)
    }
}

import Foundation

#if FUZZING
    // The libFuzzer build (Scripts/fuzz): libFuzzer's own `main` calls these.
    private nonisolated(unsafe) var selectedTarget: FuzzTarget?

    @_cdecl("LLVMFuzzerTestOneInput")
    public func fuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
        let target = selectedTarget ?? FuzzTarget.fromEnvironment(ProcessInfo.processInfo.environment)
        selectedTarget = target
        target.run(size == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: size)))
        return 0
    }
#else
    /// The plain build: replays inputs (files, or every file of a directory) through a target, the way the
    /// fuzzer does, so that a crash artifact can be reproduced and debugged without libFuzzer.
    ///
    ///     testbed-fuzz TARGET PATH…
    ///     testbed-fuzz --write-frame-seeds DIRECTORY
    @main
    struct FuzzReplay {
        static func main() throws {
            let arguments = Array(CommandLine.arguments.dropFirst())
            if arguments.first == "--write-frame-seeds", arguments.count == 2 {
                try FrameSeeds.write(to: arguments[1])
                return
            }
            guard let name = arguments.first, let target = FuzzTarget(rawValue: name), arguments.count > 1 else {
                let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: "|")
                FileHandle.standardError.write(Data("usage: testbed-fuzz \(names) PATH…\n".utf8))
                exit(2)
            }
            var count = 0
            for path in try inputFiles(arguments.dropFirst()) {
                guard let data = FileManager.default.contents(atPath: path) else {
                    FileHandle.standardError.write(Data("cannot read \(path)\n".utf8))
                    exit(1)
                }
                target.run([UInt8](data))
                count += 1
            }
            print("\(target.rawValue): \(count) inputs, no crash")
        }

        static func inputFiles(_ paths: ArraySlice<String>) throws -> [String] {
            var files: [String] = []
            for path in paths {
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                    throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: path])
                }
                if isDirectory.boolValue {
                    files += try FileManager.default.contentsOfDirectory(atPath: path).sorted().map { path + "/" + $0 }
                } else {
                    files.append(path)
                }
            }
            return files
        }
    }
#endif

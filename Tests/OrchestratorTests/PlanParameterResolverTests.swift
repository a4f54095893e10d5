import Foundation
import PlanModel
import Testing

@testable import Orchestrator

/// Where a plan's parameters get their values: --define, the environment, the default, a build program.
@Suite struct PlanParameterResolverTests {
    let directory: String

    init() throws {
        directory = FileManager.default.temporaryDirectory.path + "/testbed-params-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    func plan(_ parameters: String, uses: String = "${Q}") throws -> (String, String) {
        let text = "parameters:\n\(parameters)\nsteps:\n  - {node: beta, run: \"\(uses) --version\"}\n"
        let path = directory + "/plan.yaml"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return (path, text)
    }

    func script(_ name: String, _ body: String) throws {
        let path = directory + "/" + name
        try "#!/bin/sh\n\(body)\n".write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
    }

    func resolve(
        _ path: String, _ text: String, defines: [String: String] = [:], environment: [String: String] = [:]
    ) throws -> [String: String] {
        try PlanParameterResolver(defines: defines, environment: environment).resolve(planAt: path, text: text) {
            _ in
        }
    }

    @Test("--define wins over the environment, the environment over the build program")
    func order() throws {
        try script("build", "echo building >&2; echo /from/build")
        let (path, text) = try plan("  Q: {env: QBIN, build: ./build}")
        #expect(try resolve(path, text, defines: ["Q": "/given"], environment: ["QBIN": "/env"])["Q"] == "/given")
        #expect(try resolve(path, text, environment: ["QBIN": "/env"])["Q"] == "/env")
        let built = try resolve(path, text)
        #expect(built["Q"] == "/from/build")
        #expect(built["PLAN_DIR"] == URL(fileURLWithPath: directory).standardizedFileURL.path)
    }

    @Test("a build program that fails, or prints nothing, is an error naming the parameter")
    func failingBuild() throws {
        try script("fails", "exit 3")
        let (path, text) = try plan("  Q: {build: ./fails}")
        #expect {
            try resolve(path, text)
        } throws: { error in
            (error as? InputErrors)?.errors.map(\.message) == ["parameter Q: ./fails ended with exit status 3"]
        }
        try script("silent", "true")
        let (quiet, quietText) = try plan("  Q: {build: ./silent}")
        #expect {
            try resolve(quiet, quietText)
        } throws: { error in
            (error as? InputErrors)?.errors.map(\.message) == ["parameter Q: ./silent printed nothing"]
        }
    }

    @Test("a used parameter without a value, and a --define of an undeclared name, are refused")
    func missing() throws {
        let (path, text) = try plan("  Q: {env: QBIN, about: the program}")
        #expect {
            try resolve(path, text, defines: ["OTHER": "x"])
        } throws: { error in
            let messages = (error as? InputErrors)?.errors.map(\.message)
            return messages == ["--define OTHER=… names no parameter of this plan", "parameter Q has no value"]
        }
        // Not used: no value needed, nothing run.
        let (unused, unusedText) = try plan("  Q: {build: ./missing}", uses: "true")
        #expect(try resolve(unused, unusedText)["Q"] == nil)
    }
}

import Foundation

/// A private `TESTBED_HOME` for one test: labs built there never meet a user's, and everything left up
/// (after a failure, say) is taken down and the directory removed when the test ends.
final class LabTestHome {
    let path = LabTestSupport.makeStateRoot()

    /// The netsukuku-poc topology of the repository.
    let netsukuku = LabTestSupport.repository + "/topologies/netsukuku-poc/topology.yaml"

    deinit {
        _ = try? LabTestSupport.testbed(["lab", "down", "--all"], home: path)
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Writes `text` to a file in this home and returns its path.
    func write(_ name: String, _ text: String) throws -> String {
        let file = path + "/" + name
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }
}

/// One parser the fuzzer drives, named as `Scripts/fuzz` and `testbed-fuzz` take it.
///
/// Every target gets raw bytes and must either return a value or throw the parser's own located error
/// (`InputErrors`, `FrameError`, `StateParsingError`). Anything else — a trap, a precondition, a loop the
/// fuzzer's timeout catches, memory past its limit — is a finding. Some targets also check a property that
/// must hold for every input (frames decode the same however the stream is split; an imported page renders
/// back into the same plan) and trap when it does not, so that libFuzzer keeps the input.
enum FuzzTarget: String, CaseIterable, Sendable {
    case topology
    case plan
    case scenario
    case page
    case script
    case session
    case sshConfig = "ssh-config"
    case responseFrames = "response-frames"
    case requestFrames = "request-frames"
    case ipJSON = "ip-json"
    case iptablesSave = "iptables-save"
    case knownHosts = "known-hosts"
    case runJournal = "run-journal"

    /// Runs one input through the parser.
    func run(_ bytes: [UInt8]) {
        switch self {
        case .topology: FuzzParsers.topology(bytes)
        case .plan: FuzzParsers.plan(bytes)
        case .scenario: FuzzScenarios.scenario(bytes)
        case .page: FuzzImporters.page(bytes)
        case .script: FuzzImporters.script(bytes)
        case .session: FuzzParsers.session(bytes)
        case .sshConfig: FuzzParsers.sshConfig(bytes)
        case .responseFrames: FuzzFrames.responses(bytes)
        case .requestFrames: FuzzFrames.requests(bytes)
        case .ipJSON: FuzzStateDumps.ipJSON(bytes)
        case .iptablesSave: FuzzStateDumps.iptablesSave(bytes)
        case .knownHosts: FuzzOrchestrator.knownHosts(bytes)
        case .runJournal: FuzzOrchestrator.runJournal(bytes)
        }
    }

    /// The target named by `TESTBED_FUZZ_TARGET`, for the libFuzzer build (whose `main` is libFuzzer's).
    static func fromEnvironment(_ environment: [String: String]) -> FuzzTarget {
        guard let name = environment["TESTBED_FUZZ_TARGET"], let target = FuzzTarget(rawValue: name) else {
            let names = allCases.map(\.rawValue).joined(separator: ", ")
            fatalError("set TESTBED_FUZZ_TARGET to one of: \(names)")
        }
        return target
    }
}

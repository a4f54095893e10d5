public import Foundation
public import PlanModel

/// How one block or check ended, with everything a report needs to explain it.
public struct UnitResult: Sendable, Hashable, Codable {
    public enum Status: String, Sendable, Hashable, Codable {
        case passed, failed, skipped
    }

    public enum Kind: String, Sendable, Hashable, Codable {
        case block, reach, expect, service, conform, fault
    }

    public var unit: Schedule.Unit
    public var stepID: String
    public var kind: Kind
    public var status: Status
    /// Wall time seen by the orchestrator, in seconds.
    public var seconds: Double
    /// Time the node reported for the block itself, in seconds (nil for pings and skipped units).
    public var remoteSeconds: Double?
    public var exitStatus: Int32?
    public var timedOut: Bool
    /// The command that failed, with its plan file:line.
    public var failingCommand: Command?
    /// One line saying what went wrong.
    public var message: String?
    /// The end of the output (at most `tailLimit` bytes each, decoded leniently).
    public var stdoutTail: String
    public var stderrTail: String
    /// Per-address answers of a reach check.
    public var pings: [PingOutcome]
    /// Where the node's kernel state after the block differs from the model's prediction.
    public var stateDifferences: [String] = []
    /// Commands of the block the state model does not know (what they touch became unknown).
    public var notModelled: [String] = []
    /// Attempts made: more than one when a check was retried until it held.
    public var attempts = 1
    /// For a retried check that held: seconds from its first attempt until it held (the convergence time).
    public var convergedAfter: Double?
    /// What the last failing attempt said, when a retried check had failing attempts.
    public var lastFailedAttempt: String?
    /// For a resumed run: how this unit relates to the run it resumes (`done in the run resumed (…)`, or where
    /// its block started again).
    public var resume: String?
    /// What the block changed on its node, namespace by namespace (the model's prediction, corrected by what
    /// the node reported); nil when the run had no state check, and in journals written before it existed.
    public var stateChanges: [StateChange]?
    /// The whole stdout or stderr, relative to the run directory, when it was longer than the tail kept here.
    public var stdoutFile: String?
    public var stderrFile: String?
    /// Why the unit failed, beyond `message`, when something could work it out (the path a failed reach
    /// check's packets took, hop by hop, one per line). Reports show it in their failure section.
    public var explanation: String?
    /// Where the unit's time went (blocks and reach checks; nil in journals written before it existed).
    public var timing: UnitTiming?

    public static let tailLimit = 4096

    public init(
        unit: Schedule.Unit, stepID: String, kind: Kind, status: Status, seconds: Double = 0,
        remoteSeconds: Double? = nil, exitStatus: Int32? = nil, timedOut: Bool = false, failingCommand: Command? = nil,
        message: String? = nil, stdout: [UInt8] = [], stderr: [UInt8] = [], pings: [PingOutcome] = []
    ) {
        self.unit = unit
        self.stepID = stepID
        self.kind = kind
        self.status = status
        self.seconds = seconds
        self.remoteSeconds = remoteSeconds
        self.exitStatus = exitStatus
        self.timedOut = timedOut
        self.failingCommand = failingCommand
        self.message = message
        self.stdoutTail = Self.tail(stdout)
        self.stderrTail = Self.tail(stderr)
        self.pings = pings
    }

    static func tail(_ bytes: [UInt8]) -> String {
        guard bytes.count > tailLimit else { return String(decoding: bytes, as: UTF8.self) }
        return "…" + String(decoding: bytes.suffix(tailLimit), as: UTF8.self)
    }
}

/// One address of a reach check.
public struct PingOutcome: Sendable, Hashable, Codable {
    public var address: String
    public var reachable: Bool
    public var averageMilliseconds: Double?
}

/// Everything about a finished (or stopped) run.
public struct RunReport: Sendable, Codable {
    public var planTitle: String
    public var planPath: String
    public var topologyName: String
    public var schedule: Schedule.Mode
    public var startedAt: Date
    public var seconds: Double
    /// Time to connect to every node (and bring the lab up, if this run did).
    public var setupSeconds: Double
    public var results: [UnitResult]
    public var interrupted: Bool
    public var journalPath: String?
    /// Why the journal could not be kept, when it could not (the run was stopped then).
    public var journalFailure: String?
    /// The services the run started, how each ended, and their logs.
    public var services: [ServiceOutcome] = []
    /// The journal of the run this one resumed, when it was resumed.
    public var resumedFrom: String?
    /// The faults the run left in place when it ended and then healed.
    public var healedFaults: [String] = []

    public var passed: Int { results.filter { $0.status == .passed }.count }
    public var failed: Int { results.filter { $0.status == .failed }.count }
    public var skipped: Int { results.filter { $0.status == .skipped }.count }
    public var succeeded: Bool { failed == 0 && skipped == 0 && !interrupted && journalFailure == nil }

    /// Wall time not spent inside blocks, divided by the units run: what testbed itself costs per step.
    public var overheadPerUnit: Double {
        let ran = results.filter { $0.status != .skipped }
        guard !ran.isEmpty else { return 0 }
        let inside = ran.reduce(0) { $0 + ($1.remoteSeconds ?? $1.seconds) }
        return max(0, seconds - inside) / Double(ran.count)
    }
}

import PlanModel

/// The node agent: a bash program started once per node on a long-lived channel, which reads request frames
/// on stdin and writes response frames on stdout until its stdin ends.
///
/// It needs bash 4.4 or later (5.0+ for microsecond durations; 4.4 falls back to whole seconds), coreutils
/// and iproute2, plus iputils `ping` for ping requests. Design, and why (the figures are in `testbed bench`):
/// - A block is written to a file in the agent's temp dir and `source`d in a background subshell (the only
///   fork of a trivial block): stdin `/dev/null`, stdout and stderr to files, descriptors above 2 closed.
///   Its ERR trap reports the first failing line (`$LINENO` inside a sourced file is the line in that file)
///   and its EXIT trap the status, as lines on a FIFO the agent holds open read-write. The agent waits on
///   that FIFO with `read -t` in 50 ms slices and checks `kill -0`, so a block that `exec`s or replaces the
///   traps is still noticed (`wait` then gives its status; after an EXIT line the status is known and the
///   block is reaped at the next request). No watchdog process per request.
/// - The temp dir is on `/dev/shm` when writable: every block creates and truncates small files, which a disk
///   file system mounted with `discard` makes slow, and tmpfs never does.
/// - `set -m` gives each block its own process group, so a timed-out block is killed as a group
///   (TERM, up to 300 ms grace, KILL), including what it left in the background.
/// - Payloads up to 64 KiB are read with `read -N` under `LC_ALL=C` (bash 5.2 asks `read(2)` for all n bytes
///   at once), larger ones with `head -c` (one fork). Bash before 5.2 may read byte by byte, so it keeps a
///   2 KiB cut-over.
/// - Output sections: an empty file costs nothing (`[[ -s f ]]`); a file of at most 64 KiB without NUL is read
///   into a variable (`read -d '' -n`, cheaper than a fork) and written with `printf`; larger or
///   binary ones get one `stat` for all and `head -c` of exactly the measured length, since a job the block
///   left running may still be appending. A trivial block costs one fork, `echo hello` too.
/// - `$LINENO` is read on the ERR trap's first line: on a later line of the trap text bash reports one more.
public enum AgentScript {
    /// The version of the agent text, reported in `hello`.
    public static let version = "1.0.0"

    /// The bash text of the agent.
    public static let source: String = agentSource

    /// A POSIX `sh` command line that runs the agent, for an SSH exec channel or `/bin/sh -c`:
    /// `exec /bin/bash --noprofile --norc -c '<source>' testbed-agent`.
    ///
    /// Whatever a login shell's rc files print before the `exec` is skipped by `FrameDecoder`, which waits
    /// for the agent's `TBAGENT/2 READY` banner.
    public static let launchCommand: String = launchCommand(through: [])

    /// The launch command with the agent's bash run through `wrapper` (e.g. `sudo -n --`): words already quoted.
    public static func launchCommand(through wrapper: [String]) -> String {
        (["exec"] + wrapper + [
            "/bin/bash", "--noprofile", "--norc", "-c", ShellWords.quote(agentSource), "testbed-agent",
        ])
        .joined(separator: " ")
    }
}

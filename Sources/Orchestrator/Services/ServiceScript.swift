import PlanModel

/// The bash a node runs to start, signal, feed, stop, watch and read a service. Pure text; every value that
/// reaches the shell is a validated name or is quoted.
///
/// A service lives in `/run/testbed/services/RUN/NAME/` on its node: `pid` (the program's PID, written
/// before the start returns), `out` and `err` (its output), `in` (a FIFO for its input, held open so the
/// program never sees end of file), and `status` (its exit status, written when it ends). The program runs
/// in a session of its own under a small bash parent that records that status, so it outlives the block that
/// started it, and a timed-out block never takes it along.
enum ServiceScript {
    static let root = "/run/testbed/services"

    static func directory(run: String, name: ServiceName) -> String { "\(root)/\(run)/\(name)" }

    /// Starts the service and prints its PID; fails when one of that name already runs.
    static func start(_ service: ServiceStep, command: String, environment: [String: String], run: String) -> String {
        let dir = ShellWords.quote(directory(run: run, name: service.name))
        let exports = environment.sorted { $0.key < $1.key }.map { "export \($0.key)=\(ShellWords.quote($0.value))" }
        let program = service.netns.map { "exec ip netns exec \($0) bash -c \(ShellWords.quote(command))" } ?? command
        return """
            d=\(dir)
            if [[ -e $d/pid && ! -e $d/status ]] && kill -0 "$(<"$d/pid")" 2>/dev/null; then
                echo "service \(service.name) already runs (pid $(<"$d/pid"))" >&2; exit 3
            fi
            mkdir -p -- "$d" && rm -f -- "$d/pid" "$d/status" "$d/in" && : >"$d/out" && : >"$d/err" && mkfifo -- "$d/in"
            \(exports.joined(separator: "\n"))
            setsid bash -c '
                d=$1 program=$2
                exec 3<>"$d/in"
                trap "" HUP INT TERM
                (trap - HUP INT TERM; exec bash -c "$program") <&3 >"$d/out" 2>"$d/err" 3>&- &
                echo $! >"$d/pid.new" && mv -- "$d/pid.new" "$d/pid"
                wait $!; echo $? >"$d/status.new"; mv -- "$d/status.new" "$d/status"
            ' testbed-service "$d" \(ShellWords.quote(program)) </dev/null >/dev/null 2>&1 &
            for ((i = 0; i < 500; i++)); do [[ -s $d/pid ]] && break; sleep 0.01; done
            [[ -s $d/pid ]] || { echo "service \(service.name) did not start" >&2; exit 1; }
            cat -- "$d/pid"
            """
    }

    /// Sends a signal to the program.
    static func signal(_ signal: ServiceSignal, name: ServiceName, run: String) -> String {
        let dir = ShellWords.quote(directory(run: run, name: name))
        return """
            d=\(dir)
            [[ -s $d/pid ]] || { echo "service \(name) was never started" >&2; exit 3; }
            [[ -e $d/status ]] && { echo "service \(name) has ended (status $(<"$d/status"))" >&2; exit 3; }
            kill -s \(signal.rawValue) "$(<"$d/pid")"
            """
    }

    /// Writes text to the program's standard input.
    static func input(_ text: String, name: ServiceName, run: String) -> String {
        let dir = ShellWords.quote(directory(run: run, name: name))
        return """
            d=\(dir)
            [[ -p $d/in && ! -e $d/status ]] || { echo "service \(name) is not running" >&2; exit 3; }
            printf '%s' \(ShellWords.quote(text)) >"$d/in"
            """
    }

    /// Sends `signal`, waits up to `grace` for the program to end, then kills its whole session; prints the
    /// exit status (or `killed`), followed by ` already` when the program had ended before it was signalled.
    static func stop(_ signal: ServiceSignal, graceMilliseconds: Int, name: ServiceName, run: String) -> String {
        let dir = ShellWords.quote(directory(run: run, name: name))
        let tries = max(1, graceMilliseconds / 20)
        return """
            d=\(dir)
            [[ -s $d/pid ]] || { echo "service \(name) was never started" >&2; exit 3; }
            p=$(<"$d/pid")
            if [[ -e $d/status ]]; then echo "$(<"$d/status") already"; exit 0; fi
            if [[ ! -e $d/status ]]; then
                kill -s \(signal.rawValue) "$p" 2>/dev/null
                for ((i = 0; i < \(tries); i++)); do [[ -e $d/status ]] && break; sleep 0.02; done
            fi
            if [[ ! -e $d/status ]]; then
                s=$(ps -o sid= -p "$p" 2>/dev/null | tr -d ' ')
                [[ -n $s ]] && kill -KILL -- "-$s" 2>/dev/null
                for ((i = 0; i < 100; i++)); do [[ -e $d/status ]] && break; kill -0 "$p" 2>/dev/null || break; sleep 0.02; done
            fi
            if [[ -e $d/status ]]; then cat -- "$d/status"; else echo killed; fi
            """
    }

    /// One line per service: `NAME running PID`, `NAME exited STATUS`, or `NAME missing`; for an exited one, its
    /// log tails follow as `NAME err: …` / `NAME out: …` lines.
    static func status(_ names: [ServiceName], run: String, tailBytes: Int = 1500) -> String {
        let list = names.map { ShellWords.quote($0.rawValue) }.joined(separator: " ")
        return """
            for n in \(list); do
                d=\(ShellWords.quote(root + "/" + run))/$n
                if [[ -e $d/status ]]; then
                    echo "$n exited $(<"$d/status")"
                    tail -c \(tailBytes) -- "$d/err" 2>/dev/null | sed "s/^/$n err: /"
                    tail -c \(tailBytes) -- "$d/out" 2>/dev/null | sed "s/^/$n out: /"
                elif [[ -s $d/pid ]] && kill -0 "$(<"$d/pid")" 2>/dev/null; then echo "$n running $(<"$d/pid")"
                else echo "$n missing"; fi
            done
            """
    }

    /// The whole log: stdout of the request is the service's stdout, stderr its stderr.
    static func logs(name: ServiceName, run: String) -> String {
        let dir = ShellWords.quote(directory(run: run, name: name))
        return "cat -- \(dir)/out 2>/dev/null; cat -- \(dir)/err >&2 2>/dev/null; true"
    }
}

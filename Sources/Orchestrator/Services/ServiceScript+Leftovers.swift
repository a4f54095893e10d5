import PlanModel

extension ServiceScript {
    /// Stops the services a run left running on a node — after an orchestrator crash, say — by the PIDs their
    /// directories recorded, never by name. `run` limits it to one run's services (reset); nil takes every run's
    /// (preflight). A recorded PID counts only while no status is written for it and its parent is still the
    /// `testbed-service` wrapper of that very directory, so a PID reused by an unrelated process is never
    /// signalled. SIGTERM to the service's session, up to 2 s of grace, then SIGKILL to the session while its
    /// wrapper is still that wrapper. Prints `stopped RUN/NAME PID` per service.
    static func stopLeftovers(run: String?, root: String = ServiceScript.root) -> String {
        let pattern = ShellWords.quote(run.map { root + "/" + $0 } ?? root) + (run == nil ? "/*/*/pid" : "/*/pid")
        return """
            tb_wrapper_of() { # DIR PID: the wrapper of DIR, when it is still there
                local a=()
                [[ -r /proc/$2/cmdline ]] || return 1
                mapfile -d '' -t a </proc/"$2"/cmdline
                [[ ${a[3]-} == testbed-service && ${a[4]-} == "$1" ]]
            }
            found=()
            for f in \(pattern); do
                [[ -s $f ]] || continue
                d=${f%/pid} p=$(<"$f")
                [[ $p =~ ^[0-9]+$ && ! -e $d/status ]] || continue
                w=$(ps -o ppid= -p "$p" 2>/dev/null | tr -d ' ')
                [[ -n $w ]] && tb_wrapper_of "$d" "$w" || continue
                kill -TERM -- "-$w" 2>/dev/null
                found+=("$w $p $d")
            done
            ((${#found[@]})) || exit 0
            for ((i = 0; i < 100; i++)); do
                alive=0
                for e in "${found[@]}"; do read -r w p d <<<"$e"; [[ -e $d/status ]] || alive=1; done
                ((alive)) || break
                sleep 0.02
            done
            for e in "${found[@]}"; do
                read -r w p d <<<"$e"
                if [[ ! -e $d/status ]] && tb_wrapper_of "$d" "$w"; then kill -KILL -- "-$w" 2>/dev/null; fi
                echo "stopped ${d#\(ShellWords.quote(root))/} $p"
            done
            true
            """
    }
}

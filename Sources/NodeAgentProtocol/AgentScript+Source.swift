// The agent's bash text. Keep every name tb_-prefixed: a block runs in a subshell of the agent and sees them.
// The text is indented with the closing delimiter, so Swift strips those four spaces from every line.

/// The bash source of the node agent; see `AgentScript` for the design.
let agentSource = #"""
    # testbed node agent, protocol \#(ProtocolVersion.current.major): framed requests on stdin, framed responses on stdout.
    # Needs bash >= 4.4, coreutils and iproute2; for ping requests fping or iputils ping. Every name is tb_-prefixed.
    if ((BASH_VERSINFO[0] * 100 + BASH_VERSINFO[1] < 404)); then
        echo "testbed agent: bash $BASH_VERSION is too old, 4.4 or later is needed" >&2; exit 3
    fi
    if [[ -v LC_ALL ]]; then tb_lc=$LC_ALL; else tb_lc=-; fi
    export LC_ALL=C
    tb_path=$PATH:/usr/local/sbin:/usr/sbin:/sbin
    if [[ -n ${EPOCHREALTIME-} ]]; then tb_now() { tb_t=${EPOCHREALTIME//[!0-9]/}; }
    else tb_now() { printf -v tb_t '%(%s)T' -1; tb_t+=000000; }; fi
    # tmpfs if there is one: blocks create and truncate small files, which a disk file system mounted with discard makes slow.
    tb_tmp=${TMPDIR:-/tmp}; [[ -d /dev/shm && -w /dev/shm ]] && tb_tmp=/dev/shm
    tb_dir=$(mktemp -d "$tb_tmp/tbagent.XXXXXX") || { echo "testbed agent: mktemp -d in $tb_tmp failed" >&2; exit 3; }
    trap '[[ -n ${tb_cur-} ]] && kill -TERM -- "-$tb_cur" 2>/dev/null; rm -rf -- "$tb_dir"' EXIT
    trap 'exit 129' HUP; trap 'exit 141' PIPE; trap 'exit 143' TERM
    for tb_f in /proc/$$/fd/*; do # close what the launcher leaked, so no block inherits it
        tb_f=${tb_f##*/}; ((tb_f > 2)) && eval "exec $tb_f>&-"
    done
    mkfifo -- "$tb_dir/f" && exec 3<>"$tb_dir/f" || { echo "testbed agent: mkfifo in $tb_dir failed" >&2; exit 3; }
    { read -r tb_ip; read -r tb_pingx; read -r tb_fpingx; read -r tb_nsx; } < <(PATH=$tb_path; type -P ip || echo ip
        type -P ping || echo -; type -P fping || echo -; type -P nsenter || echo -)
    tb_rt=/etc/iproute2/rt_tables
    for tb_f in /usr/share/iproute2/rt_tables /usr/lib/iproute2/rt_tables; do [[ -e $tb_rt ]] || tb_rt=$tb_f; done
    # No bounded repetition ({1,19}) in a regex: bash compiles the regex at every [[ =~ ]], and glibc takes 60-300 us
    # for each such one, which made the header checks a fifth of a trivial request. Globs and lengths instead.
    tb_q_re='^(routes|rules|addresses|links|namespaces|iptables|rtTables|sysctl)(@([A-Za-z0-9_.-]+))?(:([A-Za-z0-9_./+-]+))?$'
    tb_digits() { [[ -n $1 && ${#1} -le $2 && $1 != *[!0-9]* ]]; } # value max: 1 to max ASCII digits (LC_ALL=C)
    tb_name_ok() { [[ -n $1 && ${#1} -le 64 && $1 != *[!A-Za-z0-9_.-]* ]]; } # a namespace name: [A-Za-z0-9_.-]{1,64}

    # Runs in the block's own process: traps report "E req pid line status" (first failing command of this
    # shell, set -e rules) and "X req pid status" to the agent's FIFO; then the agent's locale is undone.
    tb_prepare() { # stop request fifo script saved-LC_ALL
        set +m
        tb_bp=$BASHPID tb_rq=$2 tb_ff=$3 tb_sc=$4
        readonly tb_bp tb_rq tb_ff tb_sc
        # The FIFO is opened read-write: a write-only open would block forever once the agent is gone.
        # $LINENO must be read on the trap's first line: on its second line it is one more.
        trap 'tb_e=$? tb_ln=$LINENO; if [[ $BASHPID == "$tb_bp" && ${BASH_SOURCE[0]-} == "$tb_sc" ]]; then
            printf "E %s %s %s %s\n" "$tb_rq" "$tb_bp" "$tb_ln" "$tb_e" 1<>"$tb_ff"; fi' ERR
        trap 'tb_e=$?; if [[ $BASHPID == "$tb_bp" ]]; then printf "X %s %s %s\n" "$tb_rq" "$tb_bp" "$tb_e" 1<>"$tb_ff"; fi' EXIT
        if [[ $5 == - ]]; then unset LC_ALL; else LC_ALL=$5; fi
        set -E
        if (($1)); then set -e; fi
    }
    # Prints "name = value" per kernel parameter; dotted names map to /proc/sys paths, names with / are paths.
    tb_sysctl() {
        local n p v s=0
        for n; do
            if [[ $n == */* ]]; then p=/proc/sys/$n; else p=/proc/sys/${n//.//}; fi
            v=
            if [[ -f $p ]] && { IFS= read -r -d '' v || :; } <"$p"; then printf '%s = %s\n' "$n" "${v%$'\n'}"
            elif [[ $p == /proc/sys/net/ipv[46]/conf/*/* && ! -d ${p%/*} ]]; then : # no such interface here
            else echo "sysctl: cannot read $n ($p)" >&2; s=1; fi
        done
        return $s
    }
    tb_defs="$(declare -f tb_prepare tb_sysctl)"
    tb_cat() { # file: cat's output without its process (the file is small and has no NUL)
        local v=
        if [[ -f $1 && -r $1 ]] && { IFS= read -r -d '' v || :; } <"$1"; then printf '%s' "$v"
        else echo "cat: $1: cannot read" >&2; return 1; fi
    }

    tb_send_failure() { # id message
        printf 'TBRES/\#(ProtocolVersion.current.major) %s failure %s\n%s' "$1" "${#2}" "$2"
    }
    # The namespace field is `default` or `ns:NAME`: no namespace name stands for "none". Sets tb_ns to the
    # name ('' for the default namespace), or answers with a failure and returns 1.
    tb_check_ns() {
        tb_ns=
        [[ $1 == default ]] && return 0
        if [[ $1 != ns:* ]]; then tb_send_failure "$tb_id" "malformed network namespace field '$1'"; return 1; fi
        tb_ns=${1#ns:}
        if ! tb_name_ok "$tb_ns" || [[ $tb_ns == . || $tb_ns == .. ]]; then
            tb_send_failure "$tb_id" "invalid network namespace name '$tb_ns'"
        elif [[ ! -e /run/netns/$tb_ns ]]; then
            tb_send_failure "$tb_id" "network namespace '$tb_ns' does not exist on this node (no /run/netns/$tb_ns)"
        else return 0; fi
        return 1
    }
    # Sizes the section files "$@" into tb_l. A file of at most 64 KiB without NUL is read into tb_v (no fork:
    # cheaper than a fork); the others get one stat for all and are sent with head -c of exactly
    # the measured length, since a job the block left running may still be appending.
    tb_measure() {
        local f i=0 k
        local -a big=() at=() sizes=()
        tb_f=("$@") tb_l=() tb_v=() tb_m=()
        for f; do
            tb_l[i]=0 tb_v[i]= tb_m[i]=v
            if [[ -s $f ]]; then
                if ! IFS= read -r -d '' -n 65537 "tb_v[$i]" <"$f"; then tb_l[i]=${#tb_v[i]}
                else tb_v[i]= tb_m[i]=f big+=("$f") at+=("$i"); fi
            fi
            ((++i))
        done
        ((${#big[@]})) || return 0
        sizes=($(stat -c %s -- "${big[@]}"))
        for ((k = 0; k < ${#big[@]}; k++)); do tb_l[at[k]]=${sizes[k]:-0}; done
    }
    tb_emit() { # writes the sections measured by tb_measure
        local i
        for ((i = 0; i < ${#tb_f[@]}; i++)); do
            ((tb_l[i])) || continue
            if [[ ${tb_m[i]} == f ]]; then head -c "${tb_l[i]}" -- "${tb_f[i]}"; else printf '%s' "${tb_v[i]}"; fi
        done
    }

    tb_hello() {
        local host=${HOSTNAME-} kern= ipv= ipt=
        read -r kern </proc/sys/kernel/osrelease
        ipv=$("$tb_ip" -V 2>&1); ipv=${ipv%%$'\n'*}
        ipt=$(PATH=$tb_path; command -v iptables >/dev/null && iptables --version 2>&1); ipt=${ipt%%$'\n'*}
        local v=\#(AgentScript.version)
        printf 'TBRES/\#(ProtocolVersion.current.major) %s hello \#(ProtocolVersion.current.major) %s %s %s %s %s %s\n%s%s%s%s%s%s' "$tb_id" ${#v} ${#host} ${#kern} \
            ${#BASH_VERSION} ${#ipv} ${#ipt} "$v" "$host" "$kern" "$BASH_VERSION" "$ipv" "$ipt"
    }

    tb_run() { # netns timeout-us stop queries; the block is in $tb_dir/s
        local ns to=${tb_h[4]} stop=${tb_h[5]} qs=${tb_h[6]} q i
        local -a qi=() qk=() qn=() qa=() qt=() files=() qst=()
        if ! { [[ $to == - ]] || tb_digits "$to" 15; } || [[ $stop != [01] ]]; then
            tb_send_failure "$tb_id" "malformed run request fields: '$to' '$stop'"; return
        fi
        tb_check_ns "${tb_h[3]}" || return
        ns=$tb_ns
        if [[ $qs != - ]]; then
            IFS=, read -r -a qi <<<"$qs"
            for q in "${qi[@]}"; do
                if [[ ! $q =~ $tb_q_re ]] || ((${#BASH_REMATCH[3]} > 64)); then
                    tb_send_failure "$tb_id" "invalid state query '$q'"; return
                fi
                qt+=("$q") qk+=("${BASH_REMATCH[1]}") qn+=("${BASH_REMATCH[3]}") qa+=("${BASH_REMATCH[5]//+/,}")
                if [[ ,${qa[-1]}, =~ [,/]\.\.?[,/] ]]; then tb_send_failure "$tb_id" "invalid sysctl name in '$q'"; return; fi
                if [[ ${qk[-1]} == iptables && ( ${#qa[-1]} -gt 32 || ${qa[-1]} == *[!a-z]* ) ]]; then
                    tb_send_failure "$tb_id" "invalid iptables table in '$q'"; return
                fi
            done
        fi
        if ((++tb_count % 64 == 0 || tb_kept > 4194304)); then rm -f -- "$tb_dir"/[oe].*; tb_kept=0; fi
        local o=$tb_dir/o.$tb_id e=$tb_dir/e.$tb_id t0 pid tag rq bp a b fl=- fs=- st timedout=0 deadline=
        tb_now; t0=$tb_t
        [[ $to != - ]] && deadline=$((t0 + to))
        if [[ -n $tb_reap ]]; then wait "$tb_reap"; tb_reap=; fi
        if [[ -z $ns ]]; then
            (tb_prepare "$stop" "$tb_id" "$tb_dir/f" "$tb_dir/s" "$tb_lc"; unset -f tb_prepare; . "$tb_dir/s") \
                </dev/null >"$o" 2>"$e" 3>&- &
        else
            "$tb_ip" netns exec "$ns" /bin/bash --noprofile --norc -c "$tb_defs"'
                tb_prepare "$@"; unset -f tb_prepare tb_sysctl; . "$4"' tb-block "$stop" "$tb_id" "$tb_dir/f" \
                "$tb_dir/s" "$tb_lc" </dev/null >"$o" 2>"$e" 3>&- &
        fi
        pid=$! tb_cur=$!
        printf '%s\n' "$pid" >"$tb_dir/busy" # for a resumed run, which waits until no other agent's block runs
        while :; do
            if [[ -n $deadline ]]; then
                tb_now
                if ((tb_t >= deadline)); then tb_kill_group "$pid"; timedout=1; break; fi
            fi
            if read -r -t 0.05 -u 3 tag rq bp a b; then
                [[ $rq == "$tb_id" && $bp == "$pid" ]] || continue
                if [[ $tag == X ]]; then st=$a tb_reap=$pid; break; fi
                if [[ $fl == - ]]; then fl=$a fs=$b; fi
            elif ! kill -0 "$pid" 2>/dev/null; then break
            elif tb_orphaned; then tb_kill_group "$pid"; exit 129; fi # the orchestrator is gone: stop the block
        done
        if [[ -z $st ]]; then wait "$pid"; st=$?; fi # after X the exit status is known; reap it next time
        : >"$tb_dir/busy" # emptied, not removed: rm is a process per request, and an empty file reads as idle
        tb_cur=
        tb_now
        local hdr="$st $fl $fs $((tb_t - t0)) $timedout"
        tb_batch_queries
        for ((i = 0; i < ${#qk[@]}; i++)); do
            [[ -n ${qst[i]-} ]] && continue
            tb_query "${qk[i]}" "${qn[i]}" "${qa[i]}" >"$tb_dir/q$i.o" 2>"$tb_dir/q$i.e" </dev/null 3>&-
            qst[i]=$?
        done
        for ((i = 0; i < ${#qk[@]}; i++)); do files+=("$tb_dir/q$i.o" "$tb_dir/q$i.e"); done
        tb_measure "$o" "$e" "${files[@]}"
        hdr+=" ${tb_l[0]} ${tb_l[1]} ${#qk[@]}"
        for ((i = 0; i < ${#qk[@]}; i++)); do hdr+=" ${qt[i]} ${qst[i]} ${tb_l[2 * i + 2]} ${tb_l[2 * i + 3]}"; done
        ((tb_kept += tb_l[0] + tb_l[1]))
        printf 'TBRES/\#(ProtocolVersion.current.major) %s run %s\n' "$tb_id" "$hdr"
        tb_emit
    }
    # True once the process that started the agent (sshd's session, nsenter) is gone: its connection is lost,
    # so a block still running would change the node behind a resumed run's back. /proc/$$/stat's 4th field.
    tb_parent=$PPID
    tb_orphaned() {
        local _a _b _c pp
        read -r _a _b _c pp _ </proc/$$/stat 2>/dev/null || return 1
        [[ $pp != "$tb_parent" ]]
    }
    tb_kill_group() { # pgid: TERM, a short grace, then KILL
        local i
        kill -TERM -- "-$1" 2>/dev/null
        for ((i = 0; i < 10; i++)); do
            kill -0 -- "-$1" 2>/dev/null || return 0
            read -r -t 0.03 -u 3 _ _ _ _ _
        done
        kill -KILL -- "-$1" 2>/dev/null
    }
    # The ip dumps of one namespace (route, rule, address, link) run as one `ip -j -batch`, which prints one
    # JSON line per command: one process instead of one per kind. Anything unexpected (a failed batch, another line count) leaves those queries to tb_query.
    tb_batch_queries() { # uses qk qn from tb_run, fills qst and the q$i.o/q$i.e files
        local -A groups=()
        local i ns key cmds line
        local -a members=() lines=() pre=()
        for ((i = 0; i < ${#qk[@]}; i++)); do
            case ${qk[i]} in routes | rules | addresses | links) groups[@${qn[i]}]+="$i " ;; esac
        done
        for key in "${!groups[@]}"; do # keys are @NAME, @ alone for the default namespace
            ns=${key#@}
            read -r -a members <<<"${groups[$key]}"
            ((${#members[@]} >= 2)) || continue
            cmds=
            for i in "${members[@]}"; do cmds+=${tb_dump[${qk[i]}]}$'\n'; done
            pre=()
            [[ -n $ns ]] && pre=(-n "$ns")
            # stdin is the here-string alone (a later </dev/null would replace it and leave the batch empty).
            "$tb_ip" "${pre[@]}" -j -batch - <<<"$cmds" >"$tb_dir/qb.o" 2>"$tb_dir/qb.e" 3>&- || continue
            mapfile -t lines <"$tb_dir/qb.o"
            ((${#lines[@]} == ${#members[@]})) || continue
            for ((line = 0; line < ${#members[@]}; line++)); do
                i=${members[line]}
                printf '%s\n' "${lines[line]}" >"$tb_dir/q$i.o"
                : >"$tb_dir/q$i.e"
                qst[i]=0
            done
        done
    }
    declare -A tb_dump=([routes]="route show table all" [rules]="rule show" [addresses]="address show" [links]="link show")

    tb_query() { # kind netns ('' for the default one) comma-separated-names (sysctls, or one iptables table)
        local -a pre=() net=()
        [[ -n $2 ]] && pre=("$tb_ip" netns exec "$2") net=("$tb_ip" netns exec "$2")
        # iptables-save and /proc/sys read no /etc/netns file, so they need the network namespace alone: nsenter
        # is one exec and no mount namespace, where ip netns exec is two and a remount of /sys.
        [[ -n $2 && $tb_nsx != - ]] && net=("$tb_nsx" "--net=/run/netns/$2")
        local PATH=$tb_path IFS=,
        local -a ipns=("$tb_ip")
        [[ -n $2 ]] && ipns=("$tb_ip" -n "$2") # ip -n: one process, where ip netns exec ip is two
        case $1 in
        routes) "${ipns[@]}" -j route show table all ;;
        rules) "${ipns[@]}" -j rule show ;;
        addresses) "${ipns[@]}" -j address show ;;
        links) "${ipns[@]}" -j link show ;;
        namespaces) if [[ -z $2 && -d /run/netns ]]; then tb_netns; else "${pre[@]}" ip -j netns list; fi ;;
        iptables) if [[ -n $3 ]]; then "${net[@]}" iptables-save -t "$3"; else "${net[@]}" iptables-save; fi ;;
        rtTables) if ((${#pre[@]})); then "${pre[@]}" cat -- "$tb_rt"; else tb_cat "$tb_rt"; fi ;;
        sysctl) if ((${#net[@]})); then "${net[@]}" /bin/bash --noprofile --norc -c "$tb_defs"'
                    tb_sysctl "$@"' tb-sysctl $3; else tb_sysctl $3; fi ;;
        esac
    }

    # `ip -j netns list` without its process: every entry of /run/netns (dot files too, as ip lists them), as
    # ip's JSON without the ids, which nothing reads; a name JSON would need escaped is left to ip itself.
    tb_netns() {
        local f n out= sep=
        for f in /run/netns/* /run/netns/.[!.]* /run/netns/..?*; do
            [[ -e $f || -L $f ]] || continue
            n=${f#/run/netns/}
            if [[ ! $n =~ ^[A-Za-z0-9_.:@+-]+$ ]]; then ip -j netns list; return; fi
            out+=$sep'{"name":"'$n'"}' sep=,
        done
        printf '[%s]\n' "$out"
    }

    # Pings every address: with fping all of them in one process, else (or for what fping left out) one ping each.
    tb_ping() { # netns count timeout-ms addresses
        local ns count=${tb_h[4]} ms=${tb_h[5]} i w hdr st tx rx avg line a
        local -a addrs=() pids=() pre=() fp=()
        local -A got=()
        if ! tb_digits "$count" 6 || ! tb_digits "$ms" 9 || [[ -z ${tb_h[6]} || ${tb_h[6]} == *[!0-9A-Za-z:.%,_-]* ]]; then
            tb_send_failure "$tb_id" "malformed ping request fields"; return
        fi
        tb_check_ns "${tb_h[3]}" || return
        ns=$tb_ns
        if [[ $tb_pingx == - && $tb_fpingx == - ]]; then
            tb_send_failure "$tb_id" "neither ping (iputils) nor fping is installed on this node"; return
        fi
        # ping and fping take numeric addresses and read no /etc/netns file: the network namespace alone will do.
        if [[ -n $ns && $tb_nsx != - ]]; then pre=("$tb_nsx" "--net=/run/netns/$ns")
        elif [[ -n $ns ]]; then pre=("$tb_ip" netns exec "$ns"); fi
        printf -v w '%d.%03d' $((ms / 1000)) $((ms % 1000))
        IFS=, read -r -a addrs <<<"${tb_h[6]}"
        if [[ $tb_fpingx != - ]]; then
            for a in "${addrs[@]}"; do [[ $a == *%* ]] || fp+=("$a"); done # a zone (fe80::1%eth1) is left to ping
            ((${#fp[@]})) && tb_fping
        fi
        for ((i = 0; i < ${#addrs[@]}; i++)); do
            [[ -n ${got[${addrs[i]}]-} ]] && continue
            if [[ $tb_pingx == - ]]; then got[${addrs[i]}]="2 - - -"; continue; fi
            "${pre[@]}" "$tb_pingx" -q -n -c "$count" -W "$w" -- "${addrs[i]}" >"$tb_dir/p$i" 2>&1 </dev/null 3>&- &
            pids[i]=$!
        done
        hdr="${#addrs[@]}"
        for ((i = 0; i < ${#addrs[@]}; i++)); do
            if [[ -z ${pids[i]-} ]]; then hdr+=" ${addrs[i]} ${got[${addrs[i]}]}"; continue; fi
            wait "${pids[i]}"; st=$?
            tx=- rx=- avg=-
            while IFS= read -r line; do
                if [[ $line =~ ^([0-9]+)\ packets\ transmitted,\ ([0-9]+)\ (packets\ )?received ]]; then
                    tx=${BASH_REMATCH[1]} rx=${BASH_REMATCH[2]}
                elif [[ $line =~ ^(rtt|round-trip)\ [^=]*=\ [0-9.]+/([0-9.]+)/ ]]; then avg=${BASH_REMATCH[2]}; fi
            done <"$tb_dir/p$i"
            hdr+=" ${addrs[i]} $st $tx $rx $avg"
        done
        printf 'TBRES/\#(ProtocolVersion.current.major) %s ping %s\n' "$tb_id" "$hdr"
    }
    # fping prints "ADDR : xmt/rcv/%loss = T/R/L%[, min/avg/max = A/B/C]" per address it could ping; got[ADDR]
    # becomes "status transmitted received average" with ping's statuses: 0 a reply, 1 none, 2 no route (ping
    # fails to connect there; fping only counts the loss, so one `ip route get` per silent address tells).
    tb_fping() { # uses pre ns count ms fp got of tb_ping
        local -a opts=(-q -c "$count" -t "$ms" -i 1 -r 0) silent=() rpre=()
        local line n=0 k
        ((count > 1)) && opts+=(-p 1000) # ping's interval: what a check of several echoes waits between them
        "${pre[@]}" "$tb_fpingx" "${opts[@]}" -- "${fp[@]}" >"$tb_dir/pf" 2>&1 </dev/null 3>&-
        while IFS= read -r line; do
            [[ $line =~ $tb_fping_re ]] || continue
            if ((BASH_REMATCH[3] > 0)); then got[${BASH_REMATCH[1]}]="0 ${BASH_REMATCH[2]} ${BASH_REMATCH[3]} ${BASH_REMATCH[5]:--}"
            else got[${BASH_REMATCH[1]}]="1 ${BASH_REMATCH[2]} 0 -" silent+=("${BASH_REMATCH[1]}"); fi
        done <"$tb_dir/pf"
        ((${#silent[@]})) || return 0
        [[ -n $ns ]] && rpre=(-n "$ns")
        local cmds
        printf -v cmds 'route get %s\n' "${silent[@]}" # a here-string, not a pipe: no subshell for printf
        "$tb_ip" "${rpre[@]}" -force -batch - <<<"$cmds" >/dev/null 2>"$tb_dir/pr" 3>&-
        while IFS= read -r line; do
            [[ $line =~ ^Command\ failed\ -:([0-9]+) ]] || continue
            k=${silent[BASH_REMATCH[1] - 1]-}
            [[ -n $k ]] && got[$k]="2 - - -"
        done <"$tb_dir/pr"
    }
    tb_fping_re='^([^ ]+) +: xmt/rcv/%loss = ([0-9]+)/([0-9]+)/[0-9]+%(, min/avg/max = [0-9.]+/([0-9.]+)/)?'

    # bash >= 5.2 reads -N n with one read(2) of n bytes; older ones may go byte by byte.
    tb_small=2048
    ((BASH_VERSINFO[0] * 100 + BASH_VERSINFO[1] >= 502)) && tb_small=65536
    exec 2>/dev/null
    tb_count=0 tb_kept=0 tb_reap=
    set -m
    printf 'TBAGENT/\#(ProtocolVersion.current.major) READY\n'
    while IFS=' ' read -r -a tb_h; do
        tb_id=${tb_h[1]-0} tb_n=${#tb_h[@]}
        if ((tb_n < 4)) || [[ ${tb_h[0]} != TBREQ/\#(ProtocolVersion.current.major) ]] || ! tb_digits "$tb_id" 19 \
            || ! tb_digits "${tb_h[tb_n - 1]}" 10; then
            tb_send_failure 0 "not a protocol \#(ProtocolVersion.current.major) request header: '${tb_h[*]:0:6}'; the stream is out of step, agent stops"
            exit 2
        fi
        tb_len=${tb_h[tb_n - 1]}
        if ((tb_len == 0)); then :
        elif ((tb_len <= tb_small)); then
            IFS= read -r -N "$tb_len" tb_p || exit 2
            printf '%s' "$tb_p" >"$tb_dir/s"
        else
            head -c "$tb_len" >"$tb_dir/s" || exit 2
        fi
        case ${tb_h[2]}:$tb_n in
        hello:4) tb_hello ;;
        run:8) tb_run ;;
        ping:8) tb_ping ;;
        *) tb_send_failure "$tb_id" "unknown request '${tb_h[2]}' with $tb_n fields; this agent speaks protocol \#(ProtocolVersion.current.major)" ;;
        esac
    done
    exit 0
    """#

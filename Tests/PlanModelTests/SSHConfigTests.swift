import Foundation
import Testing

@testable import PlanModel

@Suite struct SSHConfigTests {
    let context = SSHConfigDocument.Context(homeDirectory: "/home/ana", localUser: "ana")

    func parse(_ text: String, files: [String: String] = [:]) throws -> SSHConfigDocument {
        try SSHConfigDocument.parse(
            text, path: "/home/ana/.ssh/config", context: context, source: SSHConfigMemorySource(files))
    }

    func errors(_ text: String, files: [String: String] = [:]) -> String {
        do {
            _ = try parse(text, files: files)
            return "no error"
        } catch let error as InputErrors {
            return error.description
        } catch {
            return "\(error)"
        }
    }

    @Test("the first value wins, later Host * blocks only fill in what is missing")
    func firstMatchWins() throws {
        let document = try parse(
            """
            # lab machines
            Host web1
                HostName 203.0.113.10
                User deploy
                Port 2222

            Host web*
                User nobody
                Port 22
                IdentityFile ~/.ssh/web_ed25519

            Host *
                User root
                ServerAliveInterval 30
                ConnectTimeout 10
            """)
        let web1 = document.resolve(host: "web1")
        #expect(web1.hostName == "203.0.113.10")
        #expect(web1.user == "deploy")
        #expect(web1.port == 2222)
        #expect(web1.identityFiles == ["/home/ana/.ssh/web_ed25519"])
        #expect(web1.serverAliveInterval == 30)
        #expect(web1.connectTimeout == 10)
        let other = document.resolve(host: "db1")
        #expect(other.hostName == "db1")
        #expect(other.user == "root")
        #expect(other.port == nil)
        #expect(other.identityFiles.isEmpty)
    }

    @Test("negated patterns exclude a host from a list, patterns ignore case, ? matches one character")
    func negation() throws {
        let document = try parse(
            """
            Host *.lab !gw.lab
              ProxyJump gw.lab
            Host node?
              User n
            """)
        #expect(document.resolve(host: "a.lab").proxy == .jump([.init(host: "gw.lab")]))
        #expect(document.resolve(host: "GW.LAB").proxy == .direct)
        #expect(document.resolve(host: "Node7").user == "n")
        #expect(document.resolve(host: "node17").user == nil)
        #expect(SSHHostPattern.listMatches([SSHHostPattern("!x")], "y") == false)
    }

    @Test("IdentityFile accumulates, with ~ and the %d %h %u %r %p %n %% tokens expanded")
    func identityTokens() throws {
        let document = try parse(
            """
            Host bastion
              HostName bastion.example.org
              User ops
              IdentityFile ~/.ssh/%h_%r
              IdentityFile %d/keys/%u@%n-%p
              IdentityFile "/keys/with space/100%%"
              IdentitiesOnly yes
            """)
        let config = document.resolve(host: "bastion")
        #expect(
            config.identityFiles == [
                "/home/ana/.ssh/bastion.example.org_ops", "/home/ana/keys/ana@bastion-22", "/keys/with space/100%",
            ])
        #expect(config.identitiesOnly == true)
    }

    @Test("ProxyJump takes several hops with users, ports, IPv6 brackets and ssh:// URIs; none turns it off")
    func proxyJump() throws {
        let document = try parse(
            """
            Host direct
              ProxyJump none
            Host inner
              ProxyJump ops@gw1.example.org:2200,ssh://admin@[2001:db8::1]:22,gw3
            Host *
              ProxyJump fallback
            """)
        #expect(
            document.resolve(host: "inner").proxy
                == .jump([
                    .init(user: "ops", host: "gw1.example.org", port: 2200),
                    .init(user: "admin", host: "2001:db8::1", port: 22), .init(host: "gw3"),
                ]))
        #expect(document.resolve(host: "direct").proxy == .direct)
        #expect(document.resolve(host: "other").proxy == .jump([.init(host: "fallback")]))
        #expect(SSHHostConfig.JumpHop(user: "a", host: "::1", port: 2).description == "a@[::1]:2")
    }

    @Test("ProxyCommand keeps the rest of the line, expands %h %p %r, and shares first-wins with ProxyJump")
    func proxyCommand() throws {
        let document = try parse(
            """
            Host vm*
              HostName 127.0.0.1
              Port 2201
              ProxyCommand nsenter --net=/run/netns/tb-qemu nc %h %p # not a comment for ssh
              ProxyJump ignored-because-second
            Host plain
              ProxyCommand none
              ProxyCommand ssh -W %h:%p never
            """)
        #expect(
            document.resolve(host: "vm1").proxy
                == .command("nsenter --net=/run/netns/tb-qemu nc 127.0.0.1 2201 # not a comment for ssh"))
        #expect(document.resolve(host: "plain").proxy == .direct)
    }

    @Test("UserKnownHostsFile takes several files or none; StrictHostKeyChecking and times are read")
    func hostKeys() throws {
        let document = try parse(
            """
            Host a
              UserKnownHostsFile ~/.ssh/known_hosts.d/%h /etc/ssh/lab_known_hosts
              StrictHostKeyChecking accept-new
              ServerAliveInterval 1m30s
              ServerAliveCountMax 3
              ConnectTimeout=5
              HostKeyAlias a-key
            Host b
              UserKnownHostsFile none
              StrictHostKeyChecking no
            """)
        let a = document.resolve(host: "a")
        #expect(a.userKnownHostsFiles == ["/home/ana/.ssh/known_hosts.d/a", "/etc/ssh/lab_known_hosts"])
        #expect(a.hostKeyChecking == .acceptNew)
        #expect(a.serverAliveInterval == 90)
        #expect(a.serverAliveCountMax == 3)
        #expect(a.connectTimeout == 5)
        #expect(a.hostKeyAlias == "a-key")
        let b = document.resolve(host: "b")
        #expect(b.userKnownHostsFiles == [])
        #expect(b.hostKeyChecking == .off)
    }

    @Test("Include reads files relative to ~/.ssh with globs in sorted order, inside the block it appears in")
    func include() throws {
        let files = [
            "/home/ana/.ssh/config.d/10-lab": "Host lab1\n  User labuser\n",
            "/home/ana/.ssh/config.d/20-other": "Host *\n  Port 2022\n",
            "/home/ana/.ssh/conditional": "User fromcond\n",
        ]
        let document = try parse(
            """
            Include config.d/*
            Host only-this
              Include ~/.ssh/conditional
            Host *
              User fallback
            """, files: files)
        #expect(document.resolve(host: "lab1").user == "labuser")
        #expect(document.resolve(host: "lab1").port == 2022)
        #expect(document.resolve(host: "only-this").user == "fromcond")
        #expect(document.resolve(host: "elsewhere").user == "fallback")
    }

    @Test("Match host, originalhost, user and all are evaluated; Match exec is skipped and reported")
    func match() throws {
        let document = try parse(
            """
            Host short
              HostName long.example.org
            Match host *.example.org !originalhost other
              User matched
            Match exec "test -e /tmp/x"
              Port 9
            Match all
              Port 22
              ForwardAgent yes
              FancyOption 1
            """)
        let config = document.resolve(host: "short")
        #expect(config.user == "matched")
        #expect(config.port == 22)
        #expect(
            config.ignored.map(\.description) == [
                "/home/ana/.ssh/config:5:1: Match ignored: testbed does not evaluate 'Match exec'; the block is skipped",
                "/home/ana/.ssh/config:9:3: ForwardAgent ignored: testbed does not use it",
                "/home/ana/.ssh/config:10:3: FancyOption ignored: not an OpenSSH option testbed knows",
            ])
        #expect(document.resolve(host: "x.example.org").user == "matched")
    }

    @Test("malformed lines are reported all at once, located, with the line and a caret")
    func malformed() {
        let text = """
            Host
            Port 70000
            IdentityFile "~/.ssh/unterminated
            ProxyJump ok@gw,bad host
            StrictHostKeyChecking maybe
            IdentityFile ~/.ssh/%C
            Match nonsense
            """
        #expect(
            errors(text) == """
                /home/ana/.ssh/config:1:1: error: Host needs a value
                    Host
                    ^
                hint: write one or more patterns, e.g. Host web* !web-old

                /home/ana/.ssh/config:2:6: error: Port must be a port (1…65535), not '70000'
                    Port 70000
                         ^
                hint: write a whole number

                /home/ana/.ssh/config:3:14: error: unterminated double quote
                    IdentityFile "~/.ssh/unterminated
                                 ^
                hint: close the quote on the same line; ssh_config values cannot span lines

                /home/ana/.ssh/config:4:21: error: ProxyJump takes one value, found 2
                    ProxyJump ok@gw,bad host
                                        ^
                hint: quote a value that contains spaces: ProxyJump "ok@gw,bad host"

                /home/ana/.ssh/config:5:23: error: StrictHostKeyChecking must be yes, accept-new, no, off or ask, not 'maybe'
                    StrictHostKeyChecking maybe
                                          ^
                hint: write yes (testbed's default) or accept-new

                /home/ana/.ssh/config:6:21: error: IdentityFile uses the token '%C', which testbed does not expand here
                    IdentityFile ~/.ssh/%C
                                        ^
                hint: use only %% %d %h %n %p %r %u here, and %% for a literal %

                /home/ana/.ssh/config:7:7: error: unknown Match criterion 'nonsense'
                    Match nonsense
                          ^
                hint: OpenSSH knows all, canonical, final, exec, localnetwork, host, originalhost, tagged, user and localuser

                7 errors
                """)
    }

    @Test("a bad jump hop is located at the hop; errors in included files name that file")
    func locatedInIncludes() {
        let files = ["/home/ana/.ssh/inc": "Host x\n  ConnectTimeout soon\n"]
        #expect(
            errors("ProxyJump gw1,user@:22\nInclude inc\n", files: files) == """
                /home/ana/.ssh/config:1:15: error: 'user@:22' is not a jump host
                    ProxyJump gw1,user@:22
                                  ^
                hint: write [user@]host[:port] hops separated by commas, or none

                /home/ana/.ssh/inc:2:18: error: ConnectTimeout must be a time, not 'soon'
                      ConnectTimeout soon
                                     ^
                hint: write seconds, or a time such as 30s, 5m or 1h30m

                2 errors
                """)
    }

    @Test("an Include loop stops at OpenSSH's depth limit with an error")
    func includeLoop() {
        let files = ["/home/ana/.ssh/loop": "Include loop\n"]
        #expect(errors("Include loop\n", files: files).contains("error: Include is nested more than 16 deep"))
    }

    @Test("from disk: Include globs are expanded by glob(3) relative to the include directory, in sorted order")
    func fileSystemIncludes() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("testbed-sshconfig-\(getpid())")
        try FileManager.default.createDirectory(
            at: directory.appendingPathComponent("config.d"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try "Host b\n  Port 2\n".write(
            to: directory.appendingPathComponent("config.d/20-b"), atomically: true, encoding: .utf8)
        try "Host *\n  Port 1\n".write(
            to: directory.appendingPathComponent("config.d/10-all"), atomically: true, encoding: .utf8)
        try "Include config.d/*\nHost b\n  User late\n".write(
            to: directory.appendingPathComponent("config"), atomically: true, encoding: .utf8)
        let document = try SSHConfigDocument.load(
            path: directory.appendingPathComponent("config").path,
            context: .init(homeDirectory: "/home/ana", localUser: "ana", includeDirectory: directory.path))
        #expect(document.resolve(host: "b").port == 1)
        #expect(document.resolve(host: "b").user == "late")
    }
}

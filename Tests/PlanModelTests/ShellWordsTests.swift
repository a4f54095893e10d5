import Testing

@testable import PlanModel

@Suite struct ShellWordsTests {
    @Test("splits words, quotes and operators like sh")
    func splitting() {
        #expect(
            ShellWords.split("ip route add 10.0.0.0/29 table ntk") == [
                "ip", "route", "add", "10.0.0.0/29", "table", "ntk",
            ])
        #expect(
            ShellWords.split(#"(echo; echo "251 ntk # xxx_table_ntk_xxx") | tee -a /etc/iproute2/rt_tables >/dev/null"#)
                == [
                    "(", "echo", ";", "echo", "251 ntk # xxx_table_ntk_xxx", ")", "|", "tee", "-a",
                    "/etc/iproute2/rt_tables", ">", "/dev/null",
                ])
        #expect(
            ShellWords.split("sed -i '/xxx_table_ntk_from_00:16:3E:EC:A3:E1_xxx/d' /etc/iproute2/rt_tables")
                == ["sed", "-i", "/xxx_table_ntk_from_00:16:3E:EC:A3:E1_xxx/d", "/etc/iproute2/rt_tables"])
        #expect(
            ShellWords.split("sysctl net.ipv4.ip_forward=1 &>/dev/null") == [
                "sysctl", "net.ipv4.ip_forward=1", "&>", "/dev/null",
            ])
        #expect(
            ShellWords.split("ping -q -n -c 1 10.0.0.1 -W 1 || (echo \"x\"; exit 1)")
                == [
                    "ping", "-q", "-n", "-c", "1", "10.0.0.1", "-W", "1", "||", "(", "echo", "x", ";", "exit", "1", ")",
                ])
        #expect(ShellWords.split(#"a\ b "c\"d" 'e\f' # comment"#) == ["a b", "c\"d", "e\\f"])
        #expect(ShellWords.split("echo 'unbalanced") == nil)
    }

    @Test("quote round-trips through split")
    func quoting() {
        for word in ["plain", "two words", "it's", "", "$HOME", "a\"b", "𝛽"] {
            #expect(ShellWords.split(ShellWords.quote(word)) == [word], "\(word)")
        }
    }

    @Test("a quote followed by a combining mark is still escaped (one Character, but the shell sees the quote)")
    func quotingCombiningMark() {
        let word = "x'\u{301}; reboot"
        #expect(Array(ShellWords.quote(word).utf8) == Array("'x'\\''\u{301}; reboot'".utf8))
    }
}

/// The checked value of one directive. Paths and commands keep their `%` tokens; they are expanded per host.
enum SSHConfigValue: Sendable, Hashable {
    case hostName(String)
    case port(Int)
    case user(String)
    case identityFile(String)
    case identitiesOnly(Bool)
    /// nil for `ProxyJump none`.
    case proxyJump([SSHHostConfig.JumpHop]?)
    /// nil for `ProxyCommand none`.
    case proxyCommand(String?)
    /// Empty for `UserKnownHostsFile none`.
    case userKnownHostsFiles([String])
    case hostKeyChecking(SSHHostConfig.HostKeyChecking)
    case hostKeyAlias(String)
    case serverAliveInterval(Int)
    case serverAliveCountMax(Int)
    case connectTimeout(Int)
    /// A keyword testbed does not act on, and why.
    case ignored(String)

    /// OpenSSH keywords testbed reads but does not act on (a known keyword is ignored quietly apart from being
    /// reported; anything else is reported as unknown).
    static let knownUnused: Set<String> = [
        "addkeystoagent", "addressfamily", "batchmode", "bindaddress", "bindinterface", "canonicaldomains",
        "canonicalizefallbacklocal", "canonicalizehostname", "canonicalizemaxdots", "canonicalizepermittedcnames",
        "casignaturealgorithms", "certificatefile", "checkhostip", "ciphers", "clearallforwardings", "compression",
        "connectionattempts", "controlmaster", "controlpath", "controlpersist", "dynamicforward",
        "enableescapecommandline",
        "enablesshkeysign", "escapechar", "exitonforwardfailure", "fingerprinthash", "forkafterauthentication",
        "forwardagent", "forwardx11", "forwardx11timeout", "forwardx11trusted", "gatewayports",
        "globalknownhostsfile", "gssapiauthentication", "gssapidelegatecredentials", "hashknownhosts",
        "hostbasedacceptedalgorithms", "hostbasedauthentication", "hostkeyalgorithms", "identityagent",
        "ignoreunknown", "ipqos", "kbdinteractiveauthentication", "kbdinteractivedevices", "kexalgorithms",
        "knownhostscommand", "localcommand", "localforward", "loglevel", "logverbose", "macs",
        "nohostauthenticationforlocalhost",
        "numberofpasswordprompts", "passwordauthentication", "permitlocalcommand", "permitremoteopen",
        "pkcs11provider", "preferredauthentications", "proxyusefdpass", "pubkeyacceptedalgorithms",
        "pubkeyacceptedkeytypes", "pubkeyauthentication", "rekeylimit", "remotecommand", "remoteforward",
        "requesttty", "requiredrsasize", "revokedhostkeys", "securitykeyprovider", "sendenv", "sessiontype",
        "setenv", "stdinnull", "streamlocalbindmask", "streamlocalbindunlink", "tag", "tcpkeepalive", "tunnel",
        "tunneldevice", "updatehostkeys", "usekeychain", "verifyhostkeydns", "visualhostkey", "xauthlocation",
    ]
}

import Netsukuku
import PlanModel
import Testing

/// Bad scenarios: every problem at once, located, with a hint; the exact text users see.
@Suite struct ScenarioErrorTests {
    func errors(_ text: String) -> String {
        do {
            _ = try ScenarioCompiler.compile(
                text: text, path: "bad.yaml", topology: NetsukukuTestSupport.pointOfConcept)
            return "compiled"
        } catch {
            return error.description
        }
    }

    @Test("arcs, entries and dismissals that make no sense are all reported, in file order")
    func operations() {
        let text = """
            scenario:
              systems:
                alfa: {address: 3·0·1·0}
                beta: {address: 1·0·1·0}
                gamma: {address: 2·1·1·0}
                delta: {address: 3·1·0·9}
              operations:
                - init: [alfa, beta, gamma]
                - add_real_arc: [beta, beta]
                - add_real_arc: [beta, gamma]
                - add_real_arc: [gamma, beta]
                - add_real_arc: [beta, omega]
                - enter_net: {id: entr02, gnode: [beta], into: gamma, address: 2·1·1·0, real: 2·1·1·1}
                - enter_net: {id: entr07, gnode: [gamma], into: gamma, address: 2·1·1·2, real: 2·1·1·1}
                - enter_net_phase_2: entr09
                - dismiss: gamma
            """
        #expect(
            errors(text) == """
                bad.yaml:6:22: error: address '3·1·0·9' is outside the scheme 4·2·2·2: id 9 at level 0 is not below its gsize 2
                        delta: {address: 3·1·0·9}
                                         ^
                hint: an initial address has 4 real ids, top level first, each below its level's gsize (3·1·1·1 is the highest)

                bad.yaml:9:28: error: an arc from 'beta' to itself
                        - add_real_arc: [beta, beta]
                                               ^
                hint: an arc joins two different systems

                bad.yaml:11:22: error: an arc between 'gamma' and 'beta' already exists
                        - add_real_arc: [gamma, beta]
                                         ^
                hint: each pair of systems has at most one arc; use remove_arc first to make it again

                bad.yaml:12:28: error: unknown system 'omega'
                        - add_real_arc: [beta, omega]
                                               ^
                hint: systems of this scenario: alfa, beta, gamma, delta

                bad.yaml:13:68: error: address 2·1·1·0 is already taken in gamma's network (by gamma)
                        - enter_net: {id: entr02, gnode: [beta], into: gamma, address: 2·1·1·0, real: 2·1·1·1}
                                                                                       ^
                hint: choose a position no identity of that network holds (a virtual id above the gsize is free)

                bad.yaml:14:53: error: 'gamma' is in gamma's network already: the g-node 2·1·1·0 cannot enter its own network
                        - enter_net: {id: entr07, gnode: [gamma], into: gamma, address: 2·1·1·2, real: 2·1·1·1}
                                                                        ^
                hint: name a system of another network with 'into:'

                bad.yaml:15:26: error: phase 2 of 'entr09' without its phase 1
                        - enter_net_phase_2: entr09
                                             ^
                hint: put the 'enter_net' with 'id: entr09' before its 'enter_net_phase_2'

                bad.yaml:16:16: error: cannot dismiss 'gamma': it is the principal identity of 'gamma'
                        - dismiss: gamma
                                   ^
                hint: only connectivity identities (system/namespace) can be dismissed

                8 errors
                """)
    }

    @Test("positions already taken, a migration path to an occupied slot, an address outside the scheme")
    func positions() {
        let text = """
            scenario:
              systems:
                beta: {address: 1·0·1·0}
                gamma: {address: 2·1·1·0}
                delta: {address: 3·1·0·1}
              operations:
                - init: [beta, gamma, delta]
                - arc: [beta, gamma]
                - arc: {between: [delta, gamma], cost: 2}
                - enter_net: {id: entr02, gnode: [beta], into: gamma, address: 2·1·1·2, real: 2·1·1·1}
                - enter_net: {id: entr03, gnode: [delta], into: gamma, address: 2·1·1·3, real: 2·1·1·1}
                - migrate: {id: migr01, gnode: 2·1·1·1, network: gamma, address: 2·0·1·2, real: 2·1·1·0}
                - enter_net: {id: entr04, gnode: [delta], into: gamma, address: 2·1·1, real: 2·1·0·1}
            """
        #expect(
            errors(text) == """
                bad.yaml:11:84: error: real position 2·1·1·1 is already taken in gamma's network (by beta)
                        - enter_net: {id: entr03, gnode: [delta], into: gamma, address: 2·1·1·3, real: 2·1·1·1}
                                                                                                       ^
                hint: choose a free position, or wait for the migrations that free it with 'waits_for:'

                bad.yaml:12:85: error: migration target 2·1·1·0 is already taken in gamma's network (by gamma)
                        - migrate: {id: migr01, gnode: 2·1·1·1, network: gamma, address: 2·0·1·2, real: 2·1·1·0}
                                                                                                        ^
                hint: a migration path ends in a free position; move its occupant first

                bad.yaml:13:69: error: 'address' '2·1·1' is outside the scheme 4·2·2·2
                        - enter_net: {id: entr04, gnode: [delta], into: gamma, address: 2·1·1, real: 2·1·0·1}
                                                                                        ^
                hint: write a g-node top level first with a trailing '·' (2·1·), or a full address (4 ids) for a single node

                3 errors
                """)
    }

    @Test("a broken scheme stops at the scheme; unknown operations suggest the right name")
    func schemeAndNames() {
        let text = """
            scenario:
              scheme: [2, 3, 2]
              systems:
                zeta: {address: 1·1·1}
              operations:
                - init: [zeta]
                - entr_net: {id: x}
            """
        let output = errors(text)
        #expect(
            output.hasPrefix(
                "bad.yaml:2:11: error: the address scheme 2·3·2 cannot be used: gsize 3 at level 1 is not a power of two "
                    + "of at least 2; the top level has gsize 2, fewer than the 3 levels; internal addresses store the "
                    + "level number in the top level's bits"))
        #expect(output.contains("bad.yaml:7:7: error: unknown operation 'entr_net'"))
        #expect(output.contains("hint: did you mean 'enter_net'? operations: init, add_real_arc, arc,"))
        #expect(output.hasSuffix("2 errors"))
    }

    @Test("a system that is no topology node, and phase 2 before its migration")
    func topologyAndPhase2() {
        let text = """
            scenario:
              systems:
                zeta: {address: 1·1·1·1}
                beta: {address: 1·0·1·0}
                gamma: {address: 2·1·1·0}
              operations:
                - init: [beta, gamma]
                - arc: [beta, gamma]
                - enter_net: {id: entr02, gnode: [beta], into: gamma, address: 2·1·1·2, waits_for: migr01, real: 2·1·1·1}
                - enter_net_phase_2: entr02
                - migrate: {id: migr01, gnode: 2·1·1·0, network: gamma, address: 2·1·0·2, real: 2·1·0·0}
            """
        #expect(
            errors(text) == """
                bad.yaml:3:5: error: system 'zeta' is not a node of topology 'netsukuku-poc'
                        zeta: {address: 1·1·1·1}
                        ^
                hint: nodes of the topology: alfa, beta, gamma, delta, epsilon, mu, lambda, rho

                bad.yaml:10:26: error: phase 2 of 'entr02' comes before migration 'migr01' of its path
                        - enter_net_phase_2: entr02
                                             ^
                hint: phase 2 runs only after the last address change of its migration path

                2 errors
                """)
    }

    @Test("a g-node that still holds a system's connectivity identity cannot move as a whole")
    func twoIdentitiesOfOneSystem() {
        let text = """
            scenario:
              systems:
                beta: {address: 1·0·1·0}
                gamma: {address: 2·1·1·0}
              operations:
                - init: [beta, gamma]
                - arc: [beta, gamma]
                - enter_net: {id: entr02, gnode: [beta], into: gamma, address: 2·1·1·2, real: 2·1·1·1}
                - migrate: {id: migr01, gnode: 2·1·1·1, network: gamma, address: 2·1·0·2, real: 2·1·0·0}
                - migrate: {id: migr02, gnode: 2·1·, network: gamma, address: 4·1·, real: 3·1·}
            """
        #expect(
            errors(text) == """
                bad.yaml:10:21: error: 'beta' has two identities in the moving g-node: beta and beta/migr01
                        - migrate: {id: migr02, gnode: 2·1·, network: gamma, address: 4·1·, real: 3·1·}
                                        ^
                hint: one identity per system moves with a g-node; dismiss 'beta/migr01' first
                """)
    }
}

import PlanModel
import Testing

/// Plan parameters: declarations, the values that may go into commands, and where they go.
@Suite struct PlanParameterTests {
    static let plan = """
        title: p
        parameters:
          QSPNCLIENT:
            about: the binary
            env: QSPNCLIENT
            build: ../../Scripts/build-sut
          SEEDS: {default: /work/shared/seeds}
        steps:
          - {node: beta, run: "${QSPNCLIENT} show_local_identities; echo ${HOME}"}
        """

    @Test("declarations are read with where each comes from")
    func declarations() throws {
        let declared = try PlanParameters.declarations(text: Self.plan, path: "p.yaml")
        #expect(declared.map(\.name) == ["QSPNCLIENT", "SEEDS"])
        #expect(declared[0].environment == "QSPNCLIENT")
        #expect(declared[0].build == "../../Scripts/build-sut")
        #expect(declared[0].about == "the binary")
        #expect(declared[0].location.line == 3)
        #expect(declared[1].defaultValue == "/work/shared/seeds")
    }

    @Test("a declaration that cannot work is refused, every problem at once")
    func badDeclarations() {
        let text = """
            parameters:
              PLAN_DIR: {}
              9X: {}
              A: {env: "not a name", default: "a b"}
              B: {default: x, build: ./b}
              C: {path: x}
            steps:
              - {node: beta, run: "true"}
            """
        #expect {
            try PlanParameters.declarations(text: text, path: "p.yaml")
        } throws: { error in
            guard let errors = error as? InputErrors else { return false }
            return errors.errors.map(\.message) == [
                "'PLAN_DIR' is given by testbed and cannot be declared",
                "'9X' is not a parameter name",
                "'not a name' is not an environment variable name",
                "the default of A cannot go into commands: it contains a space",
                "parameter B has both 'default' and 'build'",
                "unknown key 'path' in 'C'",
            ]
        }
    }

    @Test("only values that need no quoting anywhere go into commands")
    func values() {
        #expect(PlanParameters.problem(with: "/var/cache/testbed/sut/c019/prefix/bin/qspnclient") == nil)
        #expect(PlanParameters.problem(with: "a-b_c.d+e=f") == nil)
        #expect(PlanParameters.problem(with: "/a b") == "it contains a space")
        #expect(PlanParameters.problem(with: "/a;rm") == "it contains ';'")
        #expect(PlanParameters.problem(with: "$(id)") == "it contains '$'")
        #expect(PlanParameters.problem(with: "it's") == "it contains '''")
        #expect(PlanParameters.problem(with: "x\ny") == "it contains white space")
        #expect(PlanParameters.problem(with: "-rf") == "it starts with '-'")
        #expect(PlanParameters.problem(with: "") == "it is empty")
    }

    @Test("values replace their ${NAME}; other ${…} stay for bash")
    func substitution() {
        let text = "a ${X} b ${HOME} c ${X}${Y} ${ d ${X"
        #expect(
            PlanParameters.substitute(text, values: ["X": "/x", "Y": "y"]) == "a /x b ${HOME} c /xy ${ d ${X")
        #expect(PlanParameters.references(in: text) == ["X", "HOME", "Y"])
    }

    @Test("a value that cannot go into a command is refused at its first use")
    func unsafeValue() {
        #expect {
            try PlanParameters.apply(["QSPNCLIENT": "/tmp/a b", "UNUSED": "x y"], to: Self.plan, path: "p.yaml")
        } throws: { error in
            guard let first = (error as? InputErrors)?.errors.first else { return false }
            return (error as? InputErrors)?.errors.count == 1
                && first.message == "the value of QSPNCLIENT ('/tmp/a b') cannot go into commands: it contains a space"
                && first.location.line == 9 && first.location.column == 24
        }
    }

    @Test("a plan read with values runs them; without, the text stays as written")
    func loading() throws {
        let topology = try TopologyLoader.parse(
            text: "name: t\nnodes:\n  beta: {interfaces: {eth1: {}}}\n", path: "t.yaml")
        let given = try PlanSource.parse(
            text: Self.plan, path: "p.yaml", topology: topology, parameters: ["QSPNCLIENT": "/opt/q"])
        #expect(given.plan.steps[0].blocks[0].script == "/opt/q show_local_identities; echo ${HOME}")
        let offline = try PlanSource.parse(text: Self.plan, path: "p.yaml", topology: topology)
        #expect(offline.plan.steps[0].blocks[0].script == "${QSPNCLIENT} show_local_identities; echo ${HOME}")
    }
}

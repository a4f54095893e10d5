/// A value a plan takes from outside, written `${NAME}` in its text: the path of the program under test, the
/// directory of the documentation pages. Declared in a YAML plan's `parameters:`; resolved before the plan is
/// read, from `--define NAME=VALUE`, then the environment variable it names, then its default, then the program
/// it names (run on this machine, its last line of output is the value).
///
/// ```yaml
/// parameters:
///   QSPNCLIENT:
///     about: the qspnclient binary, as the nodes see it
///     env: QSPNCLIENT
///     build: ../../Scripts/build-sut     # relative to the plan; run without a shell, no arguments
/// ```
public struct PlanParameter: Sendable, Hashable {
    public var name: String
    public var about: String?
    /// The environment variable of testbed's own process that gives the value.
    public var environment: String?
    /// The value when neither `--define` nor the environment gives one.
    public var defaultValue: String?
    /// A program on the controller, relative to the plan (or absolute), whose last line of stdout is the value.
    public var build: String?
    public var location: InputLocation

    public init(
        name: String, about: String? = nil, environment: String? = nil, defaultValue: String? = nil,
        build: String? = nil, location: InputLocation
    ) {
        self.name = name
        self.about = about
        self.environment = environment
        self.defaultValue = defaultValue
        self.build = build
        self.location = location
    }

    /// Parameters testbed gives every plan: `PLAN_DIR`, the absolute directory of the plan file (what a local
    /// lab node sees, since it shares the controller's file system).
    public static let builtins = ["PLAN_DIR"]
}

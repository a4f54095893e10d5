import Testing

/// Every suite that builds labs or compares the machine's state before and after nests here, so they run one
/// at a time: a lab of one suite must never appear as a "leftover" in another suite's snapshot.
@Suite(.serialized) enum RealKernelTests {}

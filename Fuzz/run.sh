#!/usr/bin/env bash
# Fuzzes the page and script importers, the encoding repair and the page round trip with libFuzzer, for a
# bounded time. Usage: Fuzz/run.sh [SECONDS] (default 60). Crashes land in .build/fuzz/artifacts/.
#
# How it is built, and why:
# - `swift build -Xswiftc -sanitize=fuzzer` fails to link executables with this toolchain (undefined
#   <target>_main), so swiftc builds the fuzzer directly with -sanitize=fuzzer,address -parse-as-library.
# - Only the sources the parsers need are compiled (Plan model, diagnostics, topology types, addresses, Import,
#   Render, and the shell structure the script importer checks producers with). PlanSource.swift is left out: it dispatches to the YAML loader, which needs Yams.
# - OrderedCollections (Topology's node order) is not instrumented: its objects come from the package's own
#   debug build, which this script asks SwiftPM for.
# - SWIFT_BACKTRACE=enable=no: otherwise Swift's backtracer spends a long time on every crash.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-60}
scratch=${FUZZ_SCRATCH:-$root/.build}
work=$scratch/fuzz
mkdir -p "$work/corpus" "$work/artifacts"

swift build --package-path "$root" --scratch-path "$scratch" --target OrderedCollections >/dev/null
bin=$(swift build --package-path "$root" --scratch-path "$scratch" --show-bin-path)

plan=$root/Sources/PlanModel
sources=(
    "$plan"/Plan/{Plan,Step,NodeBlock,Checks,ShellLines,ShellWords}.swift
    "$plan"/Diagnostics/*.swift "$plan"/Topology/*.swift "$plan"/Network/*.swift
    "$plan"/Render/*.swift "$plan"/State/Commands/ShellStructure.swift
)
for file in "$plan"/Import/*.swift; do
    [ "$(basename "$file")" = PlanSource.swift ] || sources+=("$file")
done

swiftc -sanitize=fuzzer,address -parse-as-library -O -g -swift-version 6 \
    -enable-upcoming-feature ExistentialAny -enable-upcoming-feature InternalImportsByDefault \
    -module-name PlanFuzz -I "$bin/Modules" \
    "${sources[@]}" "$root/Fuzz/FuzzPlanImport.swift" \
    "$bin"/OrderedCollections.build/*.swift.o "$bin"/InternalCollectionsUtilities.build/*.swift.o \
    -o "$work/fuzz-plan-import"

# Start from the fixtures (and the seed pages, when shared/ is beside the repository).
cp -f "$root"/Tests/PlanModelTests/Fixtures/pages/* "$root"/Tests/PlanModelTests/Fixtures/scripts/* "$work/corpus/"
if [ -d "$root/../shared/seeds" ]; then cp -f "$root"/../shared/seeds/* "$work/corpus/"; fi

SWIFT_BACKTRACE=enable=no "$work/fuzz-plan-import" -max_total_time="$seconds" -max_len=8192 -timeout=10 \
    -rss_limit_mb=4096 -print_final_stats=1 -artifact_prefix="$work/artifacts/" "$work/corpus"

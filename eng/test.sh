#!/usr/bin/env bash
# Runs every test suite (unit, generator, registry, state, build, end-to-end against a private dockerd) and prints
# "N passed, M failed" from the real results. Usage: eng/test.sh [extra dotnet test args]
#
# The order keeps both cores busy: the suite needs about 20 CPU-minutes on this kind of machine, and a fresh clone with
# an empty NuGet cache took 13-15.5 minutes on 2 cores (December 2026); NativeAOT compiles are the largest part. Alone,
# the projects would take far less (Mooring.Push.Tests: 2-4 minutes); together they wait for the two cores. Splitting
# Mooring.Push.Tests into two collections with a consumer project each made the whole run slower (15 min 50 s against
# 13 min 23 s): its second NativeAOT compile competes for the same cores.
# Where the CPU goes (ci37, 2026-12-02: the "CPU" of each project line, user + sys with every process it waited for):
# Push 293 s, Templates 267, Build 197, EndToEnd 104, Reliability 77, State 42, Generators 39, Roslyn411 31, Oci 22,
# CodeFixes 17, Mooring.Tests 16, the samples' publish 19, Samples 9; about 19 CPU-minutes, plus about 2.5 for the
# solution build. So the run cannot end much before 10.5 min of tests on two cores however it is ordered. A sample's
# NativeAOT publish costs about 10 CPU-s; each `dotnet publish` a test runs costs 4-5 CPU-s even when nothing changed
# (1 of them restore: measured with `--no-restore`), so the consumers' many CLI runs are most of the total.
#   1. build the solution (this also restores the NativeAOT compiler and runtime packs into the NuGet cache);
#   2. while the quick test projects run: publish samples/LocalVolume and samples/TmpfsVolume with NativeAOT from that
#      build, one after the other (eng/publish-test-samples.sh), and pack the four packages from that build, without
#      compiling again, at one version for the run (eng/pack.sh --no-build); the tests that only run a published
#      sample find it through MOORING_PUBLISHED_SAMPLES (tests/Mooring.TestFixtures/PublishedSamples.cs), the package
#      consumers the packages through MOORING_TEST_PACKAGES (tests/Mooring.TestFixtures/LocalPackages.cs);
#   3. the test projects that publish, push or drive a dockerd, each as soon as what it needs is ready: the package
#      consumers MOORING_TEST_JOBS (default 4) at a time, and beside them the sample runners one after the other.
set -uo pipefail
cd "$(dirname "$0")/.."
bash eng/install-prereqs.sh || exit 1

results="$PWD/artifacts/test-results"
samples="$PWD/artifacts/test-samples"
packages="$PWD/artifacts/test-packages"
logs="$results/logs"
rm -rf "$results" "$samples" "$packages"
mkdir -p "$results" "$logs"
export MSBUILDDISABLENODEREUSE=1 DOTNET_CLI_DO_NOT_USE_MSBUILD_SERVER=1
# The C# compiler server, as on a developer's machine: this machine's environment sets UseSharedCompilation=false (an
# environment variable is an MSBuild property), and then every compile of every test's build starts and JITs its own
# csc (a one-file change: 3.2 CPU-s cold against 1.2 with the server, measured 2026-12-02). The server is shared by
# concurrent builds and stopped when the run ends (below).
export UseSharedCompilation=true
trap 'dotnet build-server shutdown >/dev/null 2>&1' EXIT

dotnet build Sdk.sln -c Release -v minimal -nologo
build_rc=$?
if [ $build_rc -ne 0 ]; then
  echo "build failed"
  echo "0 passed, 1 failed"
  exit $build_rc
fi

# Longest first (CPU in ci46: Generators 44 s, State 39, Roslyn411 38, Mooring.Tests 20, Oci 16, CodeFixes 14).
quick=(Mooring.Generators.Tests Mooring.State.Tests Mooring.Generators.Roslyn411.Tests Mooring.Tests Mooring.Oci.Tests Mooring.CodeFixes.Tests)
# The projects that consume the packed packages, longest first, MOORING_TEST_JOBS (default 4) at a time as soon as the
# packages are packed; beside them, as soon as the samples are published, the projects that run the published samples.
consumers=(Mooring.Push.Tests Mooring.Templates.Tests Mooring.EndToEnd.Tests Mooring.Build.Tests)
runners=(Mooring.Reliability.Tests Mooring.Samples.Tests)
jobs="${MOORING_TEST_JOBS:-4}"

# A test project in none of the lists above would never run: refuse to start instead.
for dir in tests/*.Tests; do
  name=$(basename "$dir")
  if [[ ! " ${quick[*]} ${consumers[*]} ${runners[*]} " == *" $name "* ]]; then
    echo "eng/test.sh does not schedule $name: add it to quick, consumers or runners"
    echo "0 passed, 1 failed"
    exit 1
  fi
done

# run_project PROJECT [dotnet test args]: one test project; its output goes to logs/<project>.log and is printed in
# one piece when it ends (parallel projects would otherwise interleave line by line). MooringTestResults makes it write
# <project>.trx into $results (see Directory.Build.targets). Returns dotnet test's exit code.
# cpu_of LOG COMMAND...: runs COMMAND with its output in LOG and prints its CPU time, user + sys with every process it
# waited for (test host, dotnet publish, ilc): the suite is bound by two cores, so this says where the wall time goes.
# Returns COMMAND's exit code.
cpu_of() {
  local log="$1"
  shift
  { TIMEFORMAT='%U s user + %S s sys'; time "$@" >"$log" 2>&1; } 2>&1
}

# The projects whose tests run longest one after the other decide when the run ends (Push.Tests' pushes, Templates.Tests'
# publish-install-upgrade test): every other project, and everything it starts, yields to them (nice 5: about a quarter
# of a core against one of them, so its own timeouts still hold) and fills the cores they leave idle.
run_project() {
  local project="$1" start rc cpu niceness=5
  shift
  [[ " $first " == *" $project "* ]] && niceness=0
  start=$(date +%s)
  cpu=$(cpu_of "$logs/$project.log" nice -n "$niceness" dotnet test "tests/$project/$project.csproj" -c Release --no-build -nologo \
    -p:MooringTestResults="$results" "$@")
  rc=$?
  { echo "=== $project: exit $rc after $(( $(date +%s) - start )) s, CPU $cpu"; cat "$logs/$project.log"; } | sed 's/^/  /'
  echo "$rc" >"$logs/$project.rc"
  return $rc
}
export -f cpu_of run_project
first="Mooring.Push.Tests Mooring.Templates.Tests"
export results logs first

start=$(date +%s)
# Every NativeAOT publish maps the ILCompiler and NativeAOT runtime packages from the NuGet cache. The solution build
# restores them (the samples set PublishAot); make sure of it, so no publish below ever extracts them while another
# one runs the compiler.
cache="${NUGET_PACKAGES:-$HOME/.nuget/packages}"
for id in runtime.linux-x64.microsoft.dotnet.ilcompiler microsoft.netcore.app.runtime.nativeaot.linux-x64; do
  if ! compgen -G "$cache/$id/*/.nupkg.metadata" >/dev/null; then
    echo "$id is not in $cache after the build; restoring it now"
    dotnet restore samples/LocalVolume/LocalVolume.csproj -v minimal -nologo || exit 1
  fi
done

# The quick projects build nothing and publish nothing, so they run beside everything else, two at a time: at nice 5,
# one after the other, they were the last to end (610 s, ci46).
( printf '%s\n' "${quick[@]}" | xargs -P 2 -I{} bash -c 'run_project "$@"' _ {} "$@" ) &
quick_pid=$!

# The packages are the solution's Release build, packed without building again at a version of this run's own
# (eng/pack.sh --no-build): packing with a new version would recompile every SDK project, minutes of CPU on two cores.
version_suffix="test.$(date -u +%Y%m%d%H%M%S)"
export MOORING_PUBLISHED_SAMPLES="$samples" MOORING_TEST_PACKAGES="$packages/packages"
(
  MOORING_PACKAGES_OUTPUT="$packages/packages" bash eng/pack.sh --no-build "$version_suffix" >"$logs/pack.log" 2>&1
  rc=$?
  echo $rc >"$logs/pack.rc"
  echo "packages packed after $(( $(date +%s) - start )) s (exit $rc)"
  [ $rc = 0 ] || tail -n 40 "$logs/pack.log"
  # xargs runs at most $jobs projects at once and starts the next as soon as one ends.
  printf '%s\n' "${consumers[@]}" | xargs -P "$jobs" -I{} bash -c 'run_project "$@"' _ {} "$@"
) &
consumers_pid=$!

# At normal priority: short (two NativeAOT compiles), and Reliability.Tests and Samples.Tests wait for it.
publish_cpu=$(cpu_of "$logs/publish-samples.log" bash eng/publish-test-samples.sh "$samples" LocalVolume TmpfsVolume)
publish_rc=$?
echo "samples published after $(( $(date +%s) - start )) s (exit $publish_rc), CPU $publish_cpu"
[ $publish_rc = 0 ] || tail -n 40 "$logs/publish-samples.log"
for p in "${runners[@]}"; do run_project "$p" "$@"; done
wait "$consumers_pid" "$quick_pid"
echo "tests finished after $(( $(date +%s) - start )) s"

pack_rc=$(cat "$logs/pack.rc" 2>/dev/null || echo 1)
test_rc=$(( publish_rc || pack_rc ))
for p in "${quick[@]}" "${consumers[@]}" "${runners[@]}"; do
  rc=$(cat "$logs/$p.rc" 2>/dev/null || echo 1)
  if [ "$rc" != 0 ]; then
    echo "$p: dotnet test exit $rc (see $logs/$p.log)"
    test_rc=1
  fi
done

# The run's packages in the NuGet cache would only pile up (each run has its own version).
for id in mooring mooring.sdk mooring.testing mooring.templates; do
  rm -rf "${cache:?}/$id/"*"-$version_suffix"
done

# Naming every project makes one that wrote no results (a crashed test host) count as a failure.
bash eng/summarize-tests.sh "$results" "${quick[@]}" "${consumers[@]}" "${runners[@]}"
exit $test_rc

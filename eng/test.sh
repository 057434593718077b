#!/usr/bin/env bash
# Runs every test suite (unit, generator, registry, state, build, end-to-end against a private dockerd) and prints
# "N passed, M failed" from the real results. Usage: eng/test.sh [extra dotnet test args]
#
# The suite is bound by this machine's two cores. A fresh clone with an empty NuGet cache took 16 min 48 s on
# 2026-12-02 (ci43: 24 CPU-minutes, the machine's first run, with the apt installs) and 11 min 7 s to 12 min 52 s after
# three changes (ci46 and ci48-ci50: about 18-21 CPU-minutes; in ci46, 2.3 of them the compiler server's); later the
# same evening the machine was faster and two consecutive runs took 9 min 56 s and 9 min 51 s (ci52, ci53: 14.3-14.5
# CPU-minutes for the same 1737 tests), so read these times as this machine's range, not as one figure:
# - the C# compiler server (UseSharedCompilation, below): without it every compile of every test's build started and
#   JITted its own csc;
# - Mooring.Push.Tests' runs after its shared publish skip the restore it already did (2.2 of the 5.7 CPU-s of an
#   up-to-date `dotnet publish`; ComputeManagedAssemblies, 1.8 s, is most of the rest);
# - priorities instead of order alone: the projects whose tests run longest one after the other (Push.Tests,
#   Templates.Tests) run at normal priority, the others at nice 5, so those chains end early and the rest fill the gaps.
# Tried and dropped: the MSBuild server (an up-to-date publish cost client and server together 5.9-7.4 CPU-s against
# 5.5-6.5 without it, measured beside a CI run), splitting Mooring.Push.Tests into two collections (a second NativeAOT
# compile: 15 min 50 s against 13 min 23 s) and running the quick projects two at a time (ci47, 12 min 22 s). Where the
# CPU goes (ci46, the "CPU" of each project line, user + sys with every process it waited for, the compiler server not
# included): Push 219 s, Templates 184, Build 140, EndToEnd 98, Reliability 72, Generators 44, State 39, Roslyn411 38,
# the samples' publish 21, Mooring.Tests 20, Oci 16, CodeFixes 14, Samples 8; the compiler server 138 s for the whole
# run. More processes at once make the same work cost more CPU time here (the samples' publish: 20 CPU-s in ci46, 52 in
# ci47).
#   1. build the solution (this also restores the NativeAOT compiler and runtime packs into the NuGet cache);
#   2. while the quick test projects run: publish samples/LocalVolume and samples/TmpfsVolume with NativeAOT from that
#      build, one after the other (eng/publish-test-samples.sh), then LocalVolume again as a static executable (its
#      native compile reused, only the link again), and pack the four packages from that build, without
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

quick=(Mooring.Tests Mooring.Generators.Tests Mooring.Generators.Roslyn411.Tests Mooring.CodeFixes.Tests Mooring.Oci.Tests Mooring.State.Tests)
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

# The projects whose tests run longest one after the other decide when the run ends (Push.Tests' pushes,
# Templates.Tests' publish-install-upgrade test): every other project, and everything it starts, yields to them (nice 5:
# about a quarter of a core against one of them, so its own timeouts still hold) and fills the cores they leave idle.
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
first="${consumers[*]:0:2}" # Push.Tests and Templates.Tests: consumers is ordered longest first
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

# The quick projects build nothing and publish nothing, so they run beside everything else, one after the other. Two at
# a time was slower (ci47: 12 min 22 s against 11 min 7 s): on two cores more processes at once only cost more CPU
# time (the same samples' publish took 52 CPU-s instead of 20).
( for p in "${quick[@]}"; do run_project "$p" "$@"; done ) &
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

# At normal priority: short (two NativeAOT compiles and one more link: LocalVolume as a static executable), and
# Reliability.Tests and Samples.Tests wait for it.
publish_cpu=$(cpu_of "$logs/publish-samples.log" bash eng/publish-test-samples.sh "$samples" LocalVolume TmpfsVolume LocalVolume:static)
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

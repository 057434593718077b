#!/usr/bin/env bash
# Applies the packed code fixes the way a user's tooling does: a consumer project on the packed Mooring.Sdk with a
# non-partial driver, a misspelt capability and a 'required' option fails to build (MOOR0001, MOOR0009, MOOR0004);
# `dotnet format analyzers` with the fixes from the Mooring package repairs it; the result builds with -warnaserror.
# Usage: eng/packaging/check-code-fixes.sh <folder with the packed packages>   (e.g. artifacts/packages after eng/pack.sh dev.1)
set -euo pipefail
feed=$(realpath "${1:?usage: $0 <packages folder>}")
sdk=$(ls "$feed"/Mooring.Sdk.*.nupkg | head -n 1)
version=$(basename "$sdk" .nupkg); version=${version#Mooring.Sdk.}
work=$(mktemp -d /tmp/mooring-codefixes-XXXXXX)
trap 'rm -rf "$work"; rm -rf "${NUGET_PACKAGES:-$HOME/.nuget/packages}"/{mooring,mooring.sdk}/"$version"' EXIT
export MSBUILDDISABLENODEREUSE=1 DOTNET_CLI_DO_NOT_USE_MSBUILD_SERVER=1
cd "$work"
cat >nuget.config <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="mooring" value="$feed" />
    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" protocolVersion="3" />
  </packageSources>
</configuration>
XML
echo '<Project />' >Directory.Build.props
echo '<Project />' >Directory.Build.targets
echo "<Project Sdk=\"Mooring.Sdk/$version\" />" >Consumer.csproj
cat >Program.cs <<'CS'
using Mooring;
using Mooring.Hosting;
return await VolumePluginHost.RunAsync<Driver>(args);

[VolumePlugin(LinuxCapabilities = new[] { "sys_admin" })]
public sealed class Driver : IManagedVolumeDriver<Options>
{
    public ValueTask ProvisionAsync(ManagedVolume<Options> volume, CancellationToken cancellationToken) => default;
}

public sealed class Options
{
    [VolumeOption("path")]
    public required string Path { get; set; }
}
CS
before=$(dotnet build -warnaserror -nologo -v quiet 2>&1 || true)
for id in MOOR0001 MOOR0004 MOOR0009; do
  grep -q "error $id" <<<"$before" || { echo "FAIL: the build before the fixes did not report $id"; echo "$before"; exit 1; }
done
# dotnet format applies one diagnostic ID after another to the file it changed, and gives up ("Unable to fix …") on
# diagnostics computed before an earlier fix moved the text: a further pass fixes those.
expected=('public sealed partial class Driver' '"CAP_SYS_ADMIN"' '[VolumeOption("path", Required = true)]' 'public string Path { get; set; } = null!;')
fixed() { for e in "${expected[@]}"; do grep -qF "$e" Program.cs || return 1; done; }
for pass in 1 2 3; do
  fixed && break
  echo "dotnet format, pass $pass"
  dotnet format analyzers Consumer.csproj --diagnostics MOOR0001 MOOR0004 MOOR0009 --severity error -v normal 2>&1 | grep -v '^\s*$' || true
done
fixed || { echo "FAIL: after dotnet format Program.cs lacks one of: ${expected[*]}"; cat Program.cs; exit 1; }
dotnet build -warnaserror -nologo -v quiet || { echo "FAIL: the fixed project does not build"; cat Program.cs; exit 1; }
echo "OK: MOOR0001, MOOR0004 and MOOR0009 fixed by the code fixes in Mooring.$version.nupkg; the project builds with -warnaserror"

using System.Diagnostics;
using Mooring.Hosting.Metadata;
using Mooring.State;
using Mooring.Validation;

namespace Mooring.Testing;

/// <summary>The checks of <see cref="VolumeDriverConformance"/>: each replays one dockerd scenario and fails with what
/// dockerd would do with the driver's answer.</summary>
internal static class ConformanceChecks
{
    private const string DataFile = "conformance.txt";

    public static async Task GetBeforeCreateAsync<TDriver>(ConformanceRun<TDriver> run, CancellationToken cancellationToken)
        where TDriver : class, IVolumePlugin<TDriver>
    {
        const string Name = "conformance-new";

        // `docker volume create` and `docker run -v` ask Get first; any answer but a volume means "absent".
        var before = await run.Client.GetAsync(Name, cancellationToken).ConfigureAwait(false);
        if (before.IsSuccess && before.Value is not null)
        {
            throw run.Fail($"dockerd will skip Create because Get returned a volume for an unknown name '{Name}': `docker volume create {Name}` would report success with nothing created, and `docker volume inspect {Name}` would show a volume that does not exist", before);
        }

        await run.RequireCreatedAsync(Name, cancellationToken).ConfigureAwait(false);
        var after = await run.Client.GetAsync(Name, cancellationToken).ConfigureAwait(false);
        if (!after.IsSuccess || after.Value is null || after.Value.Name != Name)
        {
            throw run.Fail($"dockerd would answer 'no such volume' for the volume it just created: Get of '{Name}' after a successful Create did not return it, so `docker volume inspect {Name}` and `docker run -v {Name}:/data` fail", after);
        }

        await run.RequireRemovedAsync(Name, "right after it was created", cancellationToken).ConfigureAwait(false);
        var removed = await run.Client.GetAsync(Name, cancellationToken).ConfigureAwait(false);
        if (removed.IsSuccess && removed.Value is not null)
        {
            throw run.Fail($"dockerd would bring back the removed volume '{Name}': Get still returns it after Remove succeeded, so `docker volume inspect` shows it and a later `docker volume create {Name}` skips Create", removed);
        }
    }

    public static async Task IdempotentCreateAsync<TDriver>(ConformanceRun<TDriver> run, CancellationToken cancellationToken)
        where TDriver : class, IVolumePlugin<TDriver>
    {
        const string Name = "conformance-twice";
        await run.RequireCreatedAsync(Name, cancellationToken).ConfigureAwait(false);
        var mountpoint = await run.RequireMountedAsync(Name, ConformanceRun<TDriver>.FirstContainer, cancellationToken).ConfigureAwait(false);
        await WriteDataAsync(run, Name, mountpoint, cancellationToken).ConfigureAwait(false);
        await run.RequireUnmountedAsync(Name, ConformanceRun<TDriver>.FirstContainer, cancellationToken).ConfigureAwait(false);

        // dockerd sends Create for a volume the driver already has whenever its own cache lacks it: `docker volume
        // create` of a name another client created, `docker run -v` after dockerd restarted, another swarm node.
        var again = await run.CreateAsync(Name, cancellationToken).ConfigureAwait(false);
        if (!again.IsSuccess)
        {
            throw run.Fail($"dockerd sends Create again for a volume that already exists (a second `docker volume create {Name}`, `docker run -v {Name}:/data` after dockerd restarted) and shows this error to the user: \"{again.Error}\"; Create must be idempotent", again);
        }

        var remounted = await run.RequireMountedAsync(Name, ConformanceRun<TDriver>.SecondContainer, cancellationToken).ConfigureAwait(false);
        if (!File.Exists(Path.Combine(remounted, DataFile)))
        {
            throw run.Fail($"a second Create of existing volume '{Name}' lost its data: '{DataFile}', written through the first Mount, is not in '{remounted}' any more; dockerd sends such Creates without warning, so users would lose files");
        }

        await run.RequireUnmountedAsync(Name, ConformanceRun<TDriver>.SecondContainer, cancellationToken).ConfigureAwait(false);
        await run.RequireRemovedAsync(Name, "after its containers stopped", cancellationToken).ConfigureAwait(false);
    }

    public static async Task TwoMountIdsAsync<TDriver>(ConformanceRun<TDriver> run, CancellationToken cancellationToken)
        where TDriver : class, IVolumePlugin<TDriver>
    {
        const string Name = "conformance-shared";
        var first = ConformanceRun<TDriver>.FirstContainer;
        var second = ConformanceRun<TDriver>.SecondContainer;
        await run.RequireCreatedAsync(Name, cancellationToken).ConfigureAwait(false);
        await run.RequireMountedAsync(Name, first, cancellationToken).ConfigureAwait(false);
        await run.RequireMountedAsync(Name, second, cancellationToken).ConfigureAwait(false);
        await run.RequireUnmountedAsync(Name, first, cancellationToken).ConfigureAwait(false);

        var remove = await run.Client.RemoveAsync(Name, cancellationToken).ConfigureAwait(false);
        if (remove.IsSuccess)
        {
            throw run.Fail($"two containers mounted volume '{Name}' (two IDs) and one stopped (one Unmount), and Remove then succeeded: the driver no longer counts the second container's mount, so it would release the volume (or delete it) under that running container; count each mount ID separately", remove);
        }

        await run.RequireUnmountedAsync(Name, second, cancellationToken).ConfigureAwait(false);
        await run.RequireRemovedAsync(Name, "after both containers stopped", cancellationToken).ConfigureAwait(false);
    }

    public static async Task SameMountIdTwiceAsync<TDriver>(ConformanceRun<TDriver> run, CancellationToken cancellationToken)
        where TDriver : class, IVolumePlugin<TDriver>
    {
        const string Name = "conformance-cp";
        var id = ConformanceRun<TDriver>.FirstContainer;
        await run.RequireCreatedAsync(Name, cancellationToken).ConfigureAwait(false);
        await run.RequireMountedAsync(Name, id, cancellationToken).ConfigureAwait(false);

        // `docker cp` into a running container mounts again with the container's own mount ID and unmounts once.
        await run.RequireMountedAsync(Name, id, cancellationToken).ConfigureAwait(false);
        await run.RequireUnmountedAsync(Name, id, cancellationToken).ConfigureAwait(false);

        var remove = await run.Client.RemoveAsync(Name, cancellationToken).ConfigureAwait(false);
        if (remove.IsSuccess)
        {
            throw run.Fail($"dockerd would remove volume '{Name}' while its container still runs: `docker cp` mounted it a second time with the container's mount ID and unmounted once, and Remove then succeeded; count mounts per ID (a number, not a set of IDs)", remove);
        }

        await run.RequireUnmountedAsync(Name, id, cancellationToken).ConfigureAwait(false);
        await run.RequireRemovedAsync(Name, "after the container stopped", cancellationToken).ConfigureAwait(false);
    }

    public static async Task FailedMountWithoutUnmountAsync<TDriver>(ConformanceRun<TDriver> run, CancellationToken cancellationToken)
        where TDriver : class, IVolumePlugin<TDriver>
    {
        const string Name = "conformance-late";
        var id = ConformanceRun<TDriver>.FirstContainer;
        var mount = await run.Client.MountAsync(Name, id, cancellationToken).ConfigureAwait(false);
        if (mount.IsSuccess)
        {
            throw run.Fail($"dockerd would start a container on volume '{Name}', which was never created: Mount of an unknown volume succeeded", mount);
        }

        // dockerd never sends Unmount after a failed Mount: whatever that Mount counted stays counted.
        await run.RequireCreatedAsync(Name, cancellationToken).ConfigureAwait(false);
        await run.RequireMountedAsync(Name, id, cancellationToken).ConfigureAwait(false);
        await run.RequireUnmountedAsync(Name, id, cancellationToken).ConfigureAwait(false);
        await run.RequireRemovedAsync(Name, $"although no container uses it: dockerd never sends Unmount after a failed Mount, so a Mount of '{Name}' that failed (before it existed) must not have been counted", cancellationToken).ConfigureAwait(false);
    }

    public static async Task RemoveWhileMountedAsync<TDriver>(ConformanceRun<TDriver> run, CancellationToken cancellationToken)
        where TDriver : class, IVolumePlugin<TDriver>
    {
        const string Name = "conformance-busy";
        var id = ConformanceRun<TDriver>.FirstContainer;
        await run.RequireCreatedAsync(Name, cancellationToken).ConfigureAwait(false);
        var mountpoint = await run.RequireMountedAsync(Name, id, cancellationToken).ConfigureAwait(false);
        await WriteDataAsync(run, Name, mountpoint, cancellationToken).ConfigureAwait(false);

        var remove = await run.Client.RemoveAsync(Name, cancellationToken).ConfigureAwait(false);
        if (remove.IsSuccess)
        {
            throw run.Fail($"dockerd would delete volume '{Name}' under the running container that mounted it whenever its own reference count does not stop the Remove (after a dockerd crash, with a second daemon or swarm node on the same backend): Remove while mounted succeeded; refuse it while any mount is counted", remove);
        }

        if (!File.Exists(Path.Combine(mountpoint, DataFile)))
        {
            throw run.Fail($"a refused Remove of '{Name}' still deleted its data: '{DataFile}' is gone from '{mountpoint}' while the container uses it", remove);
        }

        var get = await run.Client.GetAsync(Name, cancellationToken).ConfigureAwait(false);
        if (!get.IsSuccess || get.Value is null)
        {
            throw run.Fail($"after a refused Remove, dockerd would report 'no such volume' for '{Name}', which its container still uses: Get no longer finds it", get);
        }

        await run.RequireUnmountedAsync(Name, id, cancellationToken).ConfigureAwait(false);
        await run.RequireRemovedAsync(Name, "after the container stopped", cancellationToken).ConfigureAwait(false);
    }

    public static async Task ListAfterRestartAsync<TDriver>(ConformanceRun<TDriver> run, CancellationToken cancellationToken)
        where TDriver : class, IVolumePlugin<TDriver>
    {
        const string Name = "conformance-kept";
        var id = ConformanceRun<TDriver>.FirstContainer;
        await run.RequireCreatedAsync(Name, cancellationToken).ConfigureAwait(false);
        await run.RequireMountedAsync(Name, id, cancellationToken).ConfigureAwait(false);

        // `docker plugin disable/enable`, an upgrade or a crash: same data root, and dockerd does not Mount again.
        await run.Harness.RestartAsync(cancellationToken).ConfigureAwait(false);

        var list = await run.Client.ListAsync(cancellationToken).ConfigureAwait(false);
        if (!list.IsSuccess || list.Value is null || !list.Value.Any(v => v.Name == Name))
        {
            throw run.Fail($"after a plugin restart (disable/enable, upgrade, crash) `docker volume ls` would no longer show '{Name}' and dockerd would treat it as gone; keep volumes under the data root, not only in memory", list);
        }

        var get = await run.Client.GetAsync(Name, cancellationToken).ConfigureAwait(false);
        if (!get.IsSuccess || get.Value is null)
        {
            throw run.Fail($"after a plugin restart `docker volume inspect {Name}` would fail although List shows it: Get does not find it", get);
        }

        var remove = await run.Client.RemoveAsync(Name, cancellationToken).ConfigureAwait(false);
        if (remove.IsSuccess)
        {
            throw run.Fail($"dockerd would remove volume '{Name}' under the container that mounted it before the plugin restarted (dockerd does not Mount again after a restart): Remove succeeded; keep mount counts across restarts", remove);
        }

        await run.RequireUnmountedAsync(Name, id, cancellationToken).ConfigureAwait(false);
        await run.RequireRemovedAsync(Name, "after the container that mounted it before the restart stopped", cancellationToken).ConfigureAwait(false);
    }

    public static async Task CreatedAtFormatAsync<TDriver>(ConformanceRun<TDriver> run, CancellationToken cancellationToken)
        where TDriver : class, IVolumePlugin<TDriver>
    {
        const string Name = "conformance-dated";
        await run.RequireCreatedAsync(Name, cancellationToken).ConfigureAwait(false);

        // The client decodes as dockerd does (GoJsonDecoder): a CreatedAt Go's time.Parse(time.RFC3339) rejects fails
        // the whole answer. An absent CreatedAt is allowed: docker then shows no creation time.
        var get = await run.Client.GetAsync(Name, cancellationToken).ConfigureAwait(false);
        if (get.DecodeError is not null)
        {
            throw run.Fail($"dockerd cannot decode Get's answer ({get.DecodeError}): CreatedAt must be RFC 3339 (e.g. 2006-01-02T15:04:05Z), so `docker volume inspect {Name}` fails and dockerd treats the volume as missing", get);
        }

        if (!get.IsSuccess || get.Value is null)
        {
            throw run.Fail($"dockerd would answer 'no such volume' for the volume it just created: Get of '{Name}' failed", get);
        }

        var list = await run.Client.ListAsync(cancellationToken).ConfigureAwait(false);
        if (list.DecodeError is not null)
        {
            throw run.Fail($"dockerd cannot decode List's answer ({list.DecodeError}): CreatedAt must be RFC 3339, so `docker volume ls` shows none of this driver's volumes", list);
        }

        if (!list.IsSuccess)
        {
            throw run.Fail($"`docker volume ls` would show none of this driver's volumes: List failed with \"{list.Error}\"", list);
        }
    }

    public static async Task MountpointUnderDataRootAsync<TDriver>(ConformanceRun<TDriver> run, CancellationToken cancellationToken)
        where TDriver : class, IVolumePlugin<TDriver>
    {
        const string Name = "conformance-where";
        var id = ConformanceRun<TDriver>.FirstContainer;
        await run.RequireCreatedAsync(Name, cancellationToken).ConfigureAwait(false);
        var mount = await run.Client.MountAsync(Name, id, cancellationToken).ConfigureAwait(false);
        if (!mount.IsSuccess)
        {
            throw run.Fail($"dockerd could not start a container with volume '{Name}': Mount failed with \"{mount.Error}\"", mount);
        }

        CheckMountpoint(run, Name, "Mount", mount.Value, mount, emptyAllowed: false);
        if (!Directory.Exists(mount.Value))
        {
            throw run.Fail($"dockerd would fail to start the container: the Mountpoint '{mount.Value}' that Mount of '{Name}' returned is not a directory", mount);
        }

        // Path and Get may leave the Mountpoint empty; when they give one it must be as good as Mount's.
        var path = await run.Client.PathAsync(Name, cancellationToken).ConfigureAwait(false);
        CheckMountpoint(run, Name, "Path", path.Value, path, emptyAllowed: true);
        var get = await run.Client.GetAsync(Name, cancellationToken).ConfigureAwait(false);
        CheckMountpoint(run, Name, "Get", get.Value?.Mountpoint, get, emptyAllowed: true);

        await run.RequireUnmountedAsync(Name, id, cancellationToken).ConfigureAwait(false);
        await run.RequireRemovedAsync(Name, "after the container stopped", cancellationToken).ConfigureAwait(false);
    }

    public static async Task CapabilitiesCheapAndStableAsync<TDriver>(ConformanceRun<TDriver> run, CancellationToken cancellationToken)
        where TDriver : class, IVolumePlugin<TDriver>
    {
        var limit = run.Options.CapabilitiesTimeLimit;
        var calls = Math.Max(3, run.Options.CapabilitiesCalls);
        var timings = new List<TimeSpan>(calls);
        string? first = null;
        PluginCallResult<string>? last = null;
        for (var call = 1; call <= calls; call++)
        {
            var clock = Stopwatch.StartNew();
            var capabilities = await run.Client.CapabilitiesAsync(cancellationToken).ConfigureAwait(false);
            var elapsed = clock.Elapsed;
            last = capabilities;
            if (!capabilities.IsSuccess)
            {
                throw run.Fail($"dockerd would log \"{capabilities.Error}\" and fall back to local scope on call {call}: a global driver then behaves as a local one; Capabilities must not fail", capabilities);
            }

            // The first call is not timed: it also pays for the fresh host's first request (JIT, a new connection).
            if (call > 1)
            {
                timings.Add(elapsed);
            }

            // dockerd lower-cases the scope and treats anything but "global" as local.
            var scope = capabilities.Value?.ToLowerInvariant() == "global" ? "global" : "local";
            first ??= scope;
            if (scope != first)
            {
                throw run.Fail($"dockerd caches the scope from whichever lookup came first, so whether volumes are local or cluster-wide (global) would depend on timing: call 1 answered '{first}', call {call} answered '{scope}'", capabilities);
            }
        }

        // The median, not the slowest call: a driver that does work in Capabilities is slow on every call, while a
        // loaded test machine stalls a few calls of any driver. The check must not fail a correct driver on a busy CI.
        timings.Sort();
        var median = timings[timings.Count / 2];
        if (median > limit)
        {
            throw run.Fail($"dockerd asks Capabilities whenever it looks the driver up, before volume operations, so every `docker volume` and `docker run -v` command would wait: the median of {timings.Count} calls took {median.TotalMilliseconds:0} ms (slowest {timings[^1].TotalMilliseconds:0} ms, limit {limit.TotalMilliseconds:0} ms); answer from memory", last!);
        }
    }

    public static async Task HostileNamesAsync<TDriver>(ConformanceRun<TDriver> run, CancellationToken cancellationToken)
        where TDriver : class, IVolumePlugin<TDriver>
    {
        // dockerd checks no volume name it passes to a plugin: `docker volume create -d plugin ../x` arrives as is.
        (string Name, string Danger)[] hostile =
        [
            ("..", "its directory would be the data root's parent"),
            (".", "its directory would be the data root itself"),
            ("../conformance-escape", "its directory would be outside the data root"),
            ("a/b", "its directory would be nested in another volume's"),
            ("nul\0byte", "a NUL ends the name at the C library: it names another path than the one checked"),
            (new string('x', VolumeName.MaxLengthInBytes + 1), $"it is longer than a file name may be ({VolumeName.MaxLengthInBytes} bytes)"),
            (StateDirectory.RootName, "it is the folder where the SDK keeps its state under the data root"),
            (string.Empty, "its directory would be the data root itself"),
        ];

        // A volume that must come through untouched, and everything outside the data root, watched throughout.
        const string Canary = "conformance-canary";
        await run.RequireCreatedAsync(Canary, cancellationToken).ConfigureAwait(false);
        var canaryMount = await run.RequireMountedAsync(Canary, ConformanceRun<TDriver>.FirstContainer, cancellationToken).ConfigureAwait(false);
        await WriteDataAsync(run, Canary, canaryMount, cancellationToken).ConfigureAwait(false);
        var before = SnapshotOutsideDataRoot(run.Harness);

        foreach (var (name, danger) in hostile)
        {
            var shown = ConformanceRun<TDriver>.Show(name);
            var create = await run.CreateAsync(name, cancellationToken).ConfigureAwait(false);
            if (create.IsSuccess)
            {
                throw run.Fail($"dockerd passes volume names to the plugin unchecked, so `docker volume create` with the name '{shown}' would succeed although {danger}; refuse it (VolumeName.Validate)", create);
            }

            var mount = await run.Client.MountAsync(name, ConformanceRun<TDriver>.SecondContainer, cancellationToken).ConfigureAwait(false);
            if (mount.IsSuccess)
            {
                throw run.Fail($"dockerd would bind-mount '{mount.Value}' into a container that asked for volume '{shown}', a name that must be refused because {danger}", mount);
            }

            var get = await run.Client.GetAsync(name, cancellationToken).ConfigureAwait(false);
            if (get.IsSuccess && get.Value is not null)
            {
                throw run.Fail($"dockerd would show a volume named '{shown}' (and skip Create for it) although the name must be refused because {danger}: Get returned it", get);
            }

            // Remove of such a name must not delete anything; the canary and the snapshot below tell.
            await run.Client.RemoveAsync(name, cancellationToken).ConfigureAwait(false);
            await run.Client.UnmountAsync(name, ConformanceRun<TDriver>.SecondContainer, cancellationToken).ConfigureAwait(false);
        }

        var after = SnapshotOutsideDataRoot(run.Harness);
        var changed = before.Except(after).Select(p => "-" + p).Concat(after.Except(before).Select(p => "+" + p)).ToArray();
        if (changed.Length > 0)
        {
            throw run.Fail($"requests for hostile volume names changed files outside the data root ({string.Join(", ", changed.Select(ConformanceRun<TDriver>.Show))}): anyone allowed to run `docker volume create` could make the plugin, which runs as root, write or delete there");
        }

        if (!File.Exists(Path.Combine(canaryMount, DataFile)))
        {
            throw run.Fail($"requests for hostile volume names destroyed data: '{DataFile}' of the mounted volume '{Canary}' is gone from '{canaryMount}'");
        }

        var list = await run.Client.ListAsync(cancellationToken).ConfigureAwait(false);
        if (list.Value?.FirstOrDefault(v => !VolumeName.IsValid(v.Name)) is { } listed)
        {
            throw run.Fail($"`docker volume ls` would show a volume named '{ConformanceRun<TDriver>.Show(listed.Name)}', a name that must be refused", list);
        }

        await run.RequireUnmountedAsync(Canary, ConformanceRun<TDriver>.FirstContainer, cancellationToken).ConfigureAwait(false);
        await run.RequireRemovedAsync(Canary, "after the hostile requests", cancellationToken).ConfigureAwait(false);
    }

    private static void CheckMountpoint<TDriver>(ConformanceRun<TDriver> run, string name, string endpoint, string? mountpoint, PluginCallResult answer, bool emptyAllowed)
        where TDriver : class, IVolumePlugin<TDriver>
    {
        if (emptyAllowed && string.IsNullOrEmpty(mountpoint))
        {
            return;
        }

        // One owner of the rule: the same check the host applies to a driver's answers.
        if (MountpointRules.GetProblem(mountpoint ?? string.Empty, run.Harness.DataRoot) is { } problem)
        {
            throw run.Fail($"dockerd bind-mounts a managed plugin's Mountpoint from the plugin's root file system, and only the propagated mount (here the data root '{run.Harness.DataRoot}') is shared with the host, so a container would get an empty or wrong directory instead of volume '{name}': {endpoint} returned '{mountpoint}', which {problem}", answer);
        }
    }

    private static async Task WriteDataAsync<TDriver>(ConformanceRun<TDriver> run, string name, string mountpoint, CancellationToken cancellationToken)
        where TDriver : class, IVolumePlugin<TDriver>
    {
        try
        {
            await File.WriteAllTextAsync(Path.Combine(mountpoint, DataFile), "written by the conformance kit", cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw run.Fail($"a container could not write to volume '{name}': the Mountpoint '{mountpoint}' is not a writable directory ({ex.Message})", innerException: ex);
        }
    }

    /// <summary>Every path under the harness folder except the data root's subtree.</summary>
    private static HashSet<string> SnapshotOutsideDataRoot<TDriver>(PluginHarness<TDriver> harness)
        where TDriver : class, IVolumePlugin<TDriver>
    {
        var paths = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([harness.Root]);
        var options = new EnumerationOptions { RecurseSubdirectories = false, AttributesToSkip = 0, IgnoreInaccessible = true };
        while (pending.TryPop(out var directory))
        {
            foreach (var entry in new DirectoryInfo(directory).EnumerateFileSystemInfos("*", options))
            {
                if (entry.FullName == harness.DataRoot)
                {
                    continue;
                }

                paths.Add(Path.GetRelativePath(harness.Root, entry.FullName));
                if (entry is DirectoryInfo { LinkTarget: null })
                {
                    pending.Push(entry.FullName);
                }
            }
        }

        return paths;
    }
}

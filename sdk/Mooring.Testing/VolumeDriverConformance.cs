using Mooring.Hosting;
using Mooring.Hosting.Metadata;

namespace Mooring.Testing;

/// <summary>
/// The dockerd scenarios every volume driver must get right at protocol level, as theory data: run each of
/// <see cref="Checks"/> with <see cref="RunAsync{TDriver}(string, ConformanceOptions?, CancellationToken)"/>. Each
/// check starts the plugin in a fresh <see cref="PluginHarness{TDriver}"/>, talks to it exactly as dockerd does, and
/// throws <see cref="ConformanceException"/> saying what dockerd would do with a wrong answer. No test framework is
/// assumed.
/// </summary>
/// <example>
/// With xunit:
/// <code>
/// public static TheoryData&lt;string&gt; Checks =&gt; new(VolumeDriverConformance.Checks);
///
/// [Theory, MemberData(nameof(Checks))]
/// public Task Behaves_as_dockerd_expects(string check) =&gt; VolumeDriverConformance.RunAsync&lt;MyDriver&gt;(check);
/// </code>
/// </example>
public static class VolumeDriverConformance
{
    /// <summary>Get of an unknown name fails (dockerd only calls Create after that); Get finds a created volume and no
    /// longer finds a removed one.</summary>
    public const string GetBeforeCreate = "get-before-create";

    /// <summary>Create of an existing volume succeeds and keeps its data.</summary>
    public const string IdempotentCreate = "idempotent-create";

    /// <summary>Two mount IDs are two mounts: after one Unmount the volume is still in use (Remove refused).</summary>
    public const string TwoMountIds = "two-mount-ids";

    /// <summary>The same mount ID twice (<c>docker cp</c>) needs two Unmounts.</summary>
    public const string SameMountIdTwice = "same-mount-id-twice";

    /// <summary>A failed Mount (the volume does not exist) is never followed by Unmount, so it must count nothing.</summary>
    public const string FailedMountWithoutUnmount = "failed-mount-without-unmount";

    /// <summary>Remove while mounted is refused and the data stays.</summary>
    public const string RemoveWhileMounted = "remove-while-mounted";

    /// <summary>After a restart over the same data root, List still lists the volume and its mount still counts.</summary>
    public const string ListAfterRestart = "list-after-restart";

    /// <summary><c>CreatedAt</c> in Get and List is RFC 3339, as Go's <c>time.Parse(time.RFC3339, …)</c> reads it.</summary>
    public const string CreatedAtFormat = "created-at-format";

    /// <summary>Mount, Path and Get return an absolute, existing Mountpoint under the data root (the propagated mount).</summary>
    public const string MountpointUnderDataRoot = "mountpoint-under-data-root";

    /// <summary>Capabilities answers the same every time, the median call within
    /// <see cref="ConformanceOptions.CapabilitiesTimeLimit"/>.</summary>
    public const string CapabilitiesCheapAndStable = "capabilities-cheap-and-stable";

    /// <summary>Names such as <c>..</c>, <c>a/b</c>, a NUL, 256 bytes or <c>.mooring</c> are refused by every call, and
    /// nothing outside the data root changes.</summary>
    public const string HostileNames = "hostile-names";

    /// <summary>Every check, in a stable order (use them as theory data).</summary>
    public static IReadOnlyList<string> Checks { get; } =
    [
        GetBeforeCreate,
        IdempotentCreate,
        TwoMountIds,
        SameMountIdTwice,
        FailedMountWithoutUnmount,
        RemoveWhileMounted,
        ListAfterRestart,
        CreatedAtFormat,
        MountpointUnderDataRoot,
        CapabilitiesCheapAndStable,
        HostileNames,
    ];

    /// <summary>Runs one check against a fresh instance of the plugin, constructed as the host constructs it.</summary>
    /// <typeparam name="TDriver">The driver class.</typeparam>
    /// <param name="check">One of <see cref="Checks"/>.</param>
    /// <param name="options">Create options and limits; default <see cref="ConformanceOptions"/>.</param>
    /// <param name="cancellationToken">Abandons the check.</param>
    /// <returns>A task that completes when the check passed.</returns>
    /// <exception cref="ConformanceException">The driver answered something dockerd would mishandle.</exception>
    /// <exception cref="ArgumentException"><paramref name="check"/> is not one of <see cref="Checks"/>.</exception>
    public static Task RunAsync<TDriver>(string check, ConformanceOptions? options = null, CancellationToken cancellationToken = default)
        where TDriver : class, IVolumePlugin<TDriver> =>
        RunAsync<TDriver>(check, createDriver: null, options, cancellationToken);

    /// <summary>Runs one check against a fresh instance of the plugin, with drivers from <paramref name="createDriver"/>.</summary>
    /// <typeparam name="TDriver">The driver class.</typeparam>
    /// <param name="check">One of <see cref="Checks"/>.</param>
    /// <param name="createDriver">Constructs the driver, at start and again after the restart of
    /// <see cref="ListAfterRestart"/>; <see langword="null"/> for <see cref="IVolumePlugin{TSelf}.CreateDriver"/>.</param>
    /// <param name="options">Create options and limits; default <see cref="ConformanceOptions"/>.</param>
    /// <param name="cancellationToken">Abandons the check.</param>
    /// <returns>A task that completes when the check passed.</returns>
    /// <exception cref="ConformanceException">The driver answered something dockerd would mishandle.</exception>
    /// <exception cref="ArgumentException"><paramref name="check"/> is not one of <see cref="Checks"/>.</exception>
    public static async Task RunAsync<TDriver>(string check, Func<PluginContext, TDriver>? createDriver, ConformanceOptions? options = null, CancellationToken cancellationToken = default)
        where TDriver : class, IVolumePlugin<TDriver>
    {
        Func<ConformanceRun<TDriver>, CancellationToken, Task> run = check switch
        {
            GetBeforeCreate => ConformanceChecks.GetBeforeCreateAsync,
            IdempotentCreate => ConformanceChecks.IdempotentCreateAsync,
            TwoMountIds => ConformanceChecks.TwoMountIdsAsync,
            SameMountIdTwice => ConformanceChecks.SameMountIdTwiceAsync,
            FailedMountWithoutUnmount => ConformanceChecks.FailedMountWithoutUnmountAsync,
            RemoveWhileMounted => ConformanceChecks.RemoveWhileMountedAsync,
            ListAfterRestart => ConformanceChecks.ListAfterRestartAsync,
            CreatedAtFormat => ConformanceChecks.CreatedAtFormatAsync,
            MountpointUnderDataRoot => ConformanceChecks.MountpointUnderDataRootAsync,
            CapabilitiesCheapAndStable => ConformanceChecks.CapabilitiesCheapAndStableAsync,
            HostileNames => ConformanceChecks.HostileNamesAsync,
            _ => throw new ArgumentException($"unknown conformance check '{check}' (known: {string.Join(", ", Checks)})", nameof(check)),
        };

        options ??= new ConformanceOptions();
        await using var harness = await PluginHarness<TDriver>.StartAsync(createDriver, options.ConfigureHost, cancellationToken).ConfigureAwait(false);
        try
        {
            await run(new ConformanceRun<TDriver>(check, harness, options), cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException ex)
        {
            throw new ConformanceException(check, $"dockerd would give up on the request and show the user an error: {ex.Message}", ex);
        }
    }
}

using Mooring.Hosting.Metadata;

namespace Mooring.Testing;

/// <summary>One check in progress: the plugin under test and the steps every check shares, each failing with what
/// dockerd would do.</summary>
/// <typeparam name="TDriver">The driver class.</typeparam>
internal sealed class ConformanceRun<TDriver>(string check, PluginHarness<TDriver> harness, ConformanceOptions options)
    where TDriver : class, IVolumePlugin<TDriver>
{
    /// <summary>dockerd sends 64 hex digits per mount point of a container.</summary>
    public static readonly string FirstContainer = new('a', 64);

    /// <summary>The mount ID of a second container.</summary>
    public static readonly string SecondContainer = new('b', 64);

    public PluginHarness<TDriver> Harness { get; } = harness;

    public ConformanceOptions Options { get; } = options;

    public DockerPluginClient Client => Harness.Client;

    public Task<PluginCallResult> CreateAsync(string name, CancellationToken cancellationToken) =>
        Client.CreateAsync(name, Options.CreateOptions, cancellationToken);

    public async Task RequireCreatedAsync(string name, CancellationToken cancellationToken)
    {
        var create = await CreateAsync(name, cancellationToken).ConfigureAwait(false);
        if (!create.IsSuccess)
        {
            var hint = Options.CreateOptions is null ? " (if the driver needs options, set ConformanceOptions.CreateOptions)" : string.Empty;
            throw Fail($"`docker volume create {name}` would fail with \"{create.Error}\", so the check cannot go on{hint}", create);
        }
    }

    public async Task<string> RequireMountedAsync(string name, string id, CancellationToken cancellationToken)
    {
        var mount = await Client.MountAsync(name, id, cancellationToken).ConfigureAwait(false);
        if (!mount.IsSuccess || string.IsNullOrEmpty(mount.Value))
        {
            throw Fail($"dockerd could not start a container with volume '{name}': Mount failed with \"{mount.Error ?? "an empty Mountpoint"}\"", mount);
        }

        return mount.Value;
    }

    public async Task RequireUnmountedAsync(string name, string id, CancellationToken cancellationToken)
    {
        var unmount = await Client.UnmountAsync(name, id, cancellationToken).ConfigureAwait(false);
        if (!unmount.IsSuccess)
        {
            throw Fail($"when the container stops, dockerd sends Unmount of '{name}' with the ID it mounted; it failed (\"{unmount.Error}\"), dockerd only logs that and the mount stays counted, so `docker volume rm {name}` would fail for ever", unmount);
        }
    }

    public async Task RequireRemovedAsync(string name, string situation, CancellationToken cancellationToken)
    {
        var remove = await Client.RemoveAsync(name, cancellationToken).ConfigureAwait(false);
        if (!remove.IsSuccess)
        {
            throw Fail($"`docker volume rm {name}` would fail {situation}: \"{remove.Error}\"", remove);
        }
    }

    /// <summary>Builds the failure: the dockerd consequence, then the answer that caused it.</summary>
    public ConformanceException Fail(string consequence, PluginCallResult? evidence = null, Exception? innerException = null) =>
        new(check, evidence is null ? consequence : $"{consequence} [{evidence}]", innerException);

    /// <summary>A name as a message shows it: NUL visible, long names shortened.</summary>
    public static string Show(string name)
    {
        const int MaxChars = 40;
        var shown = name.Length > MaxChars ? string.Concat(name.AsSpan(0, MaxChars), $"… ({name.Length} characters)") : name;
        return shown.Replace("\0", "\\0", StringComparison.Ordinal);
    }
}

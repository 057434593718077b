using Mooring.Protocol;

namespace Mooring.Hosting.Metadata;

// The eight VolumeDriver endpoints, each as what it reads, what it calls and what it answers. What they share (reading
// and checking the request, catching the driver's failures, logging) is VolumeProtocol.HandleAsync, the one shape.

/// <summary><c>/VolumeDriver.Create</c>: binds the <c>-o</c> options, then creates.</summary>
internal readonly struct CreateEndpoint<TOptions>(IVolumeDriver<TOptions> driver, Func<string, IReadOnlyDictionary<string, string>?, TOptions> bindOptions) : IVolumeEndpoint<NoAnswer>
    where TOptions : class
{
    public static string Name => "VolumeDriver.Create";

    public static RequestFields Fields => RequestFields.NameAndOptions;

    public ValueTask<NoAnswer> CallAsync(in VolumeRequest request, CancellationToken cancellationToken)
    {
        // Binding throws VolumeOptionException for bad input; the shared shape answers it like a driver failure.
        var options = bindOptions(request.Name!, VolumeProtocol.ToOptions(request.Options));
        return NoAnswer.When(driver.CreateAsync(request.Name!, options, cancellationToken));
    }

    public PluginResponse Answer(NoAnswer answer, string? volume, PluginContext context) => Replies.Empty;
}

/// <summary><c>/VolumeDriver.Remove</c>.</summary>
internal readonly struct RemoveEndpoint(IVolumeDriver driver) : IVolumeEndpoint<NoAnswer>
{
    public static string Name => "VolumeDriver.Remove";

    public static RequestFields Fields => RequestFields.Name;

    public ValueTask<NoAnswer> CallAsync(in VolumeRequest request, CancellationToken cancellationToken) =>
        NoAnswer.When(driver.RemoveAsync(request.Name!, cancellationToken));

    public PluginResponse Answer(NoAnswer answer, string? volume, PluginContext context) => Replies.Empty;
}

/// <summary><c>/VolumeDriver.Mount</c>: the answer must be a mountpoint under the data root.</summary>
internal readonly struct MountEndpoint(IVolumeDriver driver) : IVolumeEndpoint<string>
{
    public static string Name => "VolumeDriver.Mount";

    public static RequestFields Fields => RequestFields.NameAndId;

    public ValueTask<string> CallAsync(in VolumeRequest request, CancellationToken cancellationToken) =>
        driver.MountAsync(request.Name!, request.Id!, cancellationToken);

    public PluginResponse Answer(string answer, string? volume, PluginContext context) =>
        VolumeProtocol.CheckMountpoint(answer ?? string.Empty, volume!, Name, context)
        ?? VolumeAnswers.Mountpoint(answer!);
}

/// <summary><c>/VolumeDriver.Unmount</c>.</summary>
internal readonly struct UnmountEndpoint(IVolumeDriver driver) : IVolumeEndpoint<NoAnswer>
{
    public static string Name => "VolumeDriver.Unmount";

    public static RequestFields Fields => RequestFields.NameAndId;

    public ValueTask<NoAnswer> CallAsync(in VolumeRequest request, CancellationToken cancellationToken) =>
        NoAnswer.When(driver.UnmountAsync(request.Name!, request.Id!, cancellationToken));

    public PluginResponse Answer(NoAnswer answer, string? volume, PluginContext context) => Replies.Empty;
}

/// <summary><c>/VolumeDriver.Path</c>: <c>{}</c> when the volume is not mounted (dockerd allows an empty Mountpoint
/// here), else a mountpoint under the data root.</summary>
internal readonly struct PathEndpoint(IVolumeDriver driver) : IVolumeEndpoint<string?>
{
    public static string Name => "VolumeDriver.Path";

    public static RequestFields Fields => RequestFields.Name;

    public ValueTask<string?> CallAsync(in VolumeRequest request, CancellationToken cancellationToken) =>
        driver.PathAsync(request.Name!, cancellationToken);

    public PluginResponse Answer(string? answer, string? volume, PluginContext context) =>
        string.IsNullOrEmpty(answer)
            ? Replies.Empty
            : VolumeProtocol.CheckMountpoint(answer, volume!, Name, context)
              ?? VolumeAnswers.Mountpoint(answer!);
}

/// <summary><c>/VolumeDriver.Get</c>.</summary>
internal readonly struct GetEndpoint(IVolumeDriver driver) : IVolumeEndpoint<VolumeInfo?>
{
    public static string Name => "VolumeDriver.Get";

    public static RequestFields Fields => RequestFields.Name;

    public ValueTask<VolumeInfo?> CallAsync(in VolumeRequest request, CancellationToken cancellationToken) =>
        driver.GetAsync(request.Name!, cancellationToken);

    public PluginResponse Answer(VolumeInfo? answer, string? volume, PluginContext context)
    {
        if (answer is null)
        {
            // Not found is answered as 200 + Err, not {"Volume":null}. dockerd reads both as "no such volume" (any Get
            // error that is not a transport error counts as absent, docs/protocol.md §2.2), and the observed plugins
            // answer Get → Err (§11; the moby test plugin uses 200 + Err for "no such volume", §1.7). The Err lands in
            // dockerd's debug log, which says why a volume vanished; 200 rather than 500 keeps "the volume does not
            // exist" apart from "the driver failed".
            return Replies.Error(Replies.Ok, VolumeDriverException.NotFound(volume!).Message);
        }

        if (!string.Equals(answer.Name, volume, StringComparison.Ordinal))
        {
            // dockerd keeps the name the driver returns; a different one would create a second, phantom volume.
            return VolumeProtocol.InvalidAnswer(Name, $"volume '{volume}': the driver returned a volume named '{answer.Name}' for it", context);
        }

        return VolumeProtocol.CheckVolume(answer, Name, context) ?? VolumeAnswers.Volume(answer);
    }
}

/// <summary><c>/VolumeDriver.List</c>: every entry needs a name and a valid mountpoint, or none.</summary>
internal readonly struct ListEndpoint(IVolumeDriver driver) : IVolumeEndpoint<IReadOnlyList<VolumeInfo>?>
{
    public static string Name => "VolumeDriver.List";

    public static RequestFields Fields => RequestFields.None;

    public ValueTask<IReadOnlyList<VolumeInfo>?> CallAsync(in VolumeRequest request, CancellationToken cancellationToken) =>
        driver.ListAsync(cancellationToken)!;

    public PluginResponse Answer(IReadOnlyList<VolumeInfo>? answer, string? volume, PluginContext context)
    {
        var volumes = answer ?? [];
        for (var i = 0; i < volumes.Count; i++)
        {
            var entry = volumes[i];
            if (entry is null || string.IsNullOrEmpty(entry.Name))
            {
                return VolumeProtocol.InvalidAnswer(Name, $"the driver listed a volume without a name (entry {i})", context);
            }

            if (VolumeProtocol.CheckVolume(entry, Name, context) is { } invalid)
            {
                return invalid;
            }
        }

        return VolumeAnswers.Volumes(volumes);
    }
}

/// <summary><c>/VolumeDriver.Capabilities</c>: the two possible answers are serialised once (this call precedes almost
/// every other).</summary>
internal readonly struct CapabilitiesEndpoint(IVolumeDriver driver) : IVolumeEndpoint<VolumeCapabilities?>
{
    public static string Name => "VolumeDriver.Capabilities";

    public static RequestFields Fields => RequestFields.None;

    public ValueTask<VolumeCapabilities?> CallAsync(in VolumeRequest request, CancellationToken cancellationToken) =>
        driver.CapabilitiesAsync(cancellationToken)!;

    public PluginResponse Answer(VolumeCapabilities? answer, string? volume, PluginContext context) =>
        answer?.Scope == VolumeScope.Global ? Replies.GlobalScope : Replies.LocalScope;
}

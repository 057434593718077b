using System.ComponentModel;
using Mooring.Logging;
using Mooring.Protocol;
using Mooring.Validation;

namespace Mooring.Hosting.Metadata;

/// <summary>
/// The VolumeDriver wire protocol: parses a request body, validates the volume name, calls the driver, validates and
/// serialises its answer, and turns failures into <c>{"Err": …}</c>. Called by generated dispatchers.
/// </summary>
/// <remarks>
/// Status codes: 200 on success; 400 when the request itself is wrong (bad JSON, missing field, invalid volume name);
/// 404 for an unknown endpoint; 500 when the driver fails (its <see cref="VolumeDriverException"/> message is the
/// <c>Err</c>), throws anything else (a generic <c>Err</c>; the exception goes to the log), or answers something dockerd
/// would misuse (a Mountpoint outside the data root). dockerd shows every <c>Err</c> to the user.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class VolumeProtocol
{
    /// <summary><c>/Plugin.Activate</c>: <c>{"Implements":["VolumeDriver"]}</c>.</summary>
    /// <returns>The constant answer; managed plugins never receive this call, legacy ones do first.</returns>
    public static ValueTask<PluginResponse> ActivateAsync() => new(Replies.Activate);

    /// <summary><c>/VolumeDriver.Create</c>.</summary>
    /// <param name="driver">The driver.</param>
    /// <param name="bindOptions">The generated binder: (volume name, Opts) → options, throwing
    /// <see cref="VolumeOptionException"/> for bad input.</param>
    /// <param name="body">The raw request body.</param>
    /// <param name="context">The plugin context.</param>
    /// <param name="cancellationToken">Cancelled when dockerd gives up or the plugin stops.</param>
    /// <returns>The response.</returns>
    public static ValueTask<PluginResponse> CreateAsync<TOptions>(IVolumeDriver<TOptions> driver, Func<string, IReadOnlyDictionary<string, string>?, TOptions> bindOptions, ReadOnlyMemory<byte> body, PluginContext context, CancellationToken cancellationToken)
        where TOptions : class =>
        HandleAsync<CreateEndpoint<TOptions>, NoAnswer>(new(driver, bindOptions), body, context, cancellationToken);

    /// <summary><c>/VolumeDriver.Remove</c>.</summary>
    /// <param name="driver">The driver.</param>
    /// <param name="body">The raw request body.</param>
    /// <param name="context">The plugin context.</param>
    /// <param name="cancellationToken">Cancelled when dockerd gives up or the plugin stops.</param>
    /// <returns>The response.</returns>
    public static ValueTask<PluginResponse> RemoveAsync(IVolumeDriver driver, ReadOnlyMemory<byte> body, PluginContext context, CancellationToken cancellationToken) =>
        HandleAsync<RemoveEndpoint, NoAnswer>(new(driver), body, context, cancellationToken);

    /// <summary><c>/VolumeDriver.Mount</c>.</summary>
    /// <param name="driver">The driver.</param>
    /// <param name="body">The raw request body.</param>
    /// <param name="context">The plugin context.</param>
    /// <param name="cancellationToken">Cancelled when dockerd gives up or the plugin stops.</param>
    /// <returns>The response.</returns>
    public static ValueTask<PluginResponse> MountAsync(IVolumeDriver driver, ReadOnlyMemory<byte> body, PluginContext context, CancellationToken cancellationToken) =>
        HandleAsync<MountEndpoint, string>(new(driver), body, context, cancellationToken);

    /// <summary><c>/VolumeDriver.Unmount</c>.</summary>
    /// <param name="driver">The driver.</param>
    /// <param name="body">The raw request body.</param>
    /// <param name="context">The plugin context.</param>
    /// <param name="cancellationToken">Cancelled when dockerd gives up or the plugin stops.</param>
    /// <returns>The response.</returns>
    public static ValueTask<PluginResponse> UnmountAsync(IVolumeDriver driver, ReadOnlyMemory<byte> body, PluginContext context, CancellationToken cancellationToken) =>
        HandleAsync<UnmountEndpoint, NoAnswer>(new(driver), body, context, cancellationToken);

    /// <summary><c>/VolumeDriver.Path</c>.</summary>
    /// <param name="driver">The driver.</param>
    /// <param name="body">The raw request body.</param>
    /// <param name="context">The plugin context.</param>
    /// <param name="cancellationToken">Cancelled when dockerd gives up or the plugin stops.</param>
    /// <returns>The response; <c>{}</c> when the volume is not mounted (dockerd allows an empty Mountpoint here).</returns>
    public static ValueTask<PluginResponse> PathAsync(IVolumeDriver driver, ReadOnlyMemory<byte> body, PluginContext context, CancellationToken cancellationToken) =>
        HandleAsync<PathEndpoint, string?>(new(driver), body, context, cancellationToken);

    /// <summary><c>/VolumeDriver.Get</c>.</summary>
    /// <param name="driver">The driver.</param>
    /// <param name="body">The raw request body.</param>
    /// <param name="context">The plugin context.</param>
    /// <param name="cancellationToken">Cancelled when dockerd gives up or the plugin stops.</param>
    /// <returns>The response.</returns>
    public static ValueTask<PluginResponse> GetAsync(IVolumeDriver driver, ReadOnlyMemory<byte> body, PluginContext context, CancellationToken cancellationToken) =>
        HandleAsync<GetEndpoint, VolumeInfo?>(new(driver), body, context, cancellationToken);

    /// <summary><c>/VolumeDriver.List</c>.</summary>
    /// <param name="driver">The driver.</param>
    /// <param name="body">The raw request body (<c>{}</c>; empty is accepted).</param>
    /// <param name="context">The plugin context.</param>
    /// <param name="cancellationToken">Cancelled when dockerd gives up or the plugin stops.</param>
    /// <returns>The response.</returns>
    public static ValueTask<PluginResponse> ListAsync(IVolumeDriver driver, ReadOnlyMemory<byte> body, PluginContext context, CancellationToken cancellationToken) =>
        HandleAsync<ListEndpoint, IReadOnlyList<VolumeInfo>?>(new(driver), body, context, cancellationToken);

    /// <summary><c>/VolumeDriver.Capabilities</c>.</summary>
    /// <param name="driver">The driver.</param>
    /// <param name="body">The raw request body (<c>{}</c>; empty is accepted).</param>
    /// <param name="context">The plugin context.</param>
    /// <param name="cancellationToken">Cancelled when dockerd gives up or the plugin stops.</param>
    /// <returns>The response; the two possible answers are serialised once (this call precedes almost every other).</returns>
    public static ValueTask<PluginResponse> CapabilitiesAsync(IVolumeDriver driver, ReadOnlyMemory<byte> body, PluginContext context, CancellationToken cancellationToken) =>
        HandleAsync<CapabilitiesEndpoint, VolumeCapabilities?>(new(driver), body, context, cancellationToken);

    // The one shape of every endpoint: read and check the request, call the driver, check and write its answer, and
    // turn any failure into {"Err": …}. TEndpoint is a struct, so each endpoint gets its own compiled copy: no delegate
    // and no boxing per request.
    private static async ValueTask<PluginResponse> HandleAsync<TEndpoint, TAnswer>(TEndpoint endpoint, ReadOnlyMemory<byte> body, PluginContext context, CancellationToken cancellationToken)
        where TEndpoint : struct, IVolumeEndpoint<TAnswer>
    {
        if (!TryRead(TEndpoint.Fields, body, context, TEndpoint.Name, out var request, out var rejection))
        {
            return rejection;
        }

        try
        {
            var answer = await endpoint.CallAsync(request, cancellationToken).ConfigureAwait(false);
            return endpoint.Answer(answer, request.Name, context);
        }
        catch (Exception ex)
        {
            return Failure(ex, TEndpoint.Name, request.Name, context, cancellationToken);
        }
    }

    /// <summary>Any other path: 404 + <c>{"Err": …}</c>.</summary>
    /// <param name="path">The request path.</param>
    /// <returns>The response.</returns>
    public static ValueTask<PluginResponse> UnknownEndpointAsync(string path) => new(Replies.Error(
        Replies.NotFound,
        $"unknown endpoint '{path}': this plugin answers /Plugin.Activate and /VolumeDriver.{{Create,Remove,Mount,Unmount,Path,Get,List,Capabilities}}"));

    private static bool TryRead(RequestFields fields, ReadOnlyMemory<byte> body, PluginContext context, string endpoint, out VolumeRequest request, out PluginResponse rejection)
    {
        rejection = default;
        // List and Capabilities carry no fields: {} (what dockerd sends) or an empty body are both fine; a body that is
        // not a JSON object is still a malformed request.
        if (fields == RequestFields.None && RequestReader.IsBlankOrEmptyObject(body.Span))
        {
            request = default;
            return true; // the hot path: Capabilities precedes almost every call
        }

        if (!VolumeRequestReader.TryRead(body.Span, fields, out request, out var error))
        {
            rejection = Reject(error, endpoint, context);
            return false;
        }

        if (fields == RequestFields.None)
        {
            return true;
        }

        var name = request.Name;
        if (name is null)
        {
            rejection = Reject("field 'Name' is required", endpoint, context);
            return false;
        }

        if (!VolumeName.TryValidate(name, out error))
        {
            rejection = Reject(error, endpoint, context);
            return false;
        }

        if (fields == RequestFields.NameAndId)
        {
            // dockerd has sent an ID since 1.12; without one a mount cannot be matched with its Unmount.
            if (request.Id is null)
            {
                rejection = Reject($"volume '{name}': field 'ID' is required", endpoint, context);
                return false;
            }

            if (request.Id.Length == 0)
            {
                rejection = Reject($"volume '{name}': field 'ID' must not be empty", endpoint, context);
                return false;
            }
        }

        return true;
    }

    internal static PluginResponse Reject(string message, string endpoint, PluginContext context)
    {
        MooringLog.BadRequest(context.LoggerFactory.CreateLogger(MooringLog.ProtocolCategory), endpoint, message);
        return Replies.Error(Replies.BadRequest, message);
    }

    internal static IReadOnlyDictionary<string, string>? ToOptions(Dictionary<string, string?>? opts)
    {
        if (opts is null)
        {
            return null;
        }

        foreach (var pair in opts)
        {
            if (pair.Value is null)
            {
                // Go decodes "k":null into a string as "": do the same so binders never see null.
                var copy = new Dictionary<string, string>(opts.Count, StringComparer.Ordinal);
                foreach (var (key, value) in opts)
                {
                    copy[key] = value ?? string.Empty;
                }

                return copy;
            }
        }

        return opts!;
    }

    internal static PluginResponse? CheckMountpoint(string mountpoint, string name, string endpoint, PluginContext context)
    {
        var problem = MountpointRules.GetProblem(mountpoint, context.DataRoot);
        return problem is null
            ? null
            : InvalidAnswer(endpoint, $"volume '{name}': the driver returned mountpoint '{mountpoint}', which {problem}", context);
    }

    internal static PluginResponse? CheckVolume(VolumeInfo volume, string endpoint, PluginContext context) =>
        // An empty Mountpoint from Get/List means "not mounted" (dockerd then asks Path when it needs one).
        string.IsNullOrEmpty(volume.Mountpoint) ? null : CheckMountpoint(volume.Mountpoint, volume.Name, endpoint, context);

    internal static PluginResponse InvalidAnswer(string endpoint, string message, PluginContext context)
    {
        MooringLog.InvalidDriverAnswer(context.LoggerFactory.CreateLogger(MooringLog.ProtocolCategory), endpoint, message);
        return Replies.Error(Replies.InternalError, message);
    }

    internal static PluginResponse Failure(Exception exception, string endpoint, string? volume, PluginContext context, CancellationToken cancellationToken)
    {
        var logger = context.LoggerFactory.CreateLogger(MooringLog.ProtocolCategory);
        switch (exception)
        {
            case VolumeDriverException driverError:
                // An expected failure the user sees verbatim; the plugin log need not repeat it at a visible level.
                MooringLog.DriverError(logger, endpoint, driverError.Message);
                return Replies.Error(Replies.InternalError, driverError.Message);

            case OperationCanceledException when cancellationToken.IsCancellationRequested:
                // dockerd gave up (its deadline passed) or the plugin is stopping: nobody reads this answer.
                MooringLog.Cancelled(logger, endpoint, volume ?? "(all)");
                return Replies.Error(Replies.InternalError, volume is null
                    ? $"{endpoint} was cancelled"
                    : $"volume '{volume}': {endpoint} was cancelled");

            default:
                if (volume is null)
                {
                    MooringLog.UnexpectedErrorNoVolume(logger, exception, endpoint);
                    return Replies.Error(Replies.InternalError, "internal error in the driver (see the plugin log)");
                }

                MooringLog.UnexpectedError(logger, exception, endpoint, volume);
                return Replies.Error(Replies.InternalError, $"volume '{volume}': internal error in the driver (see the plugin log)");
        }
    }
}

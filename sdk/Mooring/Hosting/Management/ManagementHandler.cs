using System.Diagnostics;
using System.Reflection;
using System.Text;
using Mooring.Hosting.Http;
using Mooring.Hosting.Metadata;
using Mooring.Logging;
using Mooring.Protocol;
using Mooring.State;

namespace Mooring.Hosting.Management;

/// <summary>
/// Answers every endpoint of the management socket (docs/troubleshooting.md, "Management socket"). The body has already
/// been read and bounded by <see cref="PluginApplication"/>; this class validates it and routes by method and path.
/// </summary>
/// <remarks>Nothing here waits for the driver: while the plugin is starting, <c>/health</c> answers <c>starting</c> and
/// the endpoints that need the driver answer 503 at once, so an operator sees a slow start instead of a hang.</remarks>
internal sealed class ManagementHandler
{
    /// <summary>The largest body accepted on the management socket.</summary>
    public const int MaxBodySize = 64 * 1024;

    private const int Conflict = 409;
    private const string OperationsPrefix = "/operations/";

    private readonly Task<PluginDispatcher> _dispatcher;
    private readonly LogLevelSwitch? _logLevel;
    private readonly MetricsCollector _metrics;
    private readonly Type _driverType;
    // Uptime counts from the host's start (the handler is made before anything is served): a few milliseconds after the
    // process's, and System.Diagnostics.Process, which could tell the process's, costs a NativeAOT plugin about 20 KB.
    private readonly long _started = Stopwatch.GetTimestamp();
    private string? _version;

    /// <param name="dispatcher">Completes when the plugin has started.</param>
    /// <param name="logLevel">The default logger factory's level; <see langword="null"/> with a custom logger factory.</param>
    /// <param name="metrics">The plugin's metrics.</param>
    /// <param name="driverType">The driver class (its name and its assembly's version are shown by <c>/health</c>).</param>
    public ManagementHandler(Task<PluginDispatcher> dispatcher, LogLevelSwitch? logLevel, MetricsCollector metrics, Type driverType)
    {
        _dispatcher = dispatcher;
        _logLevel = logLevel;
        _metrics = metrics;
        _driverType = driverType;
    }

    private PluginDispatcher? Ready => _dispatcher.IsCompletedSuccessfully ? _dispatcher.Result : null;

    public async ValueTask<HttpAnswer> HandleAsync(string method, string path, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        switch (path)
        {
            case "/health":
                return HttpIs(method, "GET") ?? Health();
            case "/volumes":
                return HttpIs(method, "GET") ?? Volumes();
            case "/reconcile":
                return HttpIs(method, "POST") ?? await ReconcileAsync(cancellationToken).ConfigureAwait(false);
            case "/forget":
                return HttpIs(method, "POST") ?? await ForgetAsync(body, cancellationToken).ConfigureAwait(false);
            case "/prepare-downgrade":
                return HttpIs(method, "POST") ?? await PrepareDowngradeAsync(cancellationToken).ConfigureAwait(false);
            case "/log-level":
                return method switch
                {
                    "GET" => GetLogLevel(),
                    "PUT" => SetLogLevel(body),
                    _ => NotAllowed(method, "GET, PUT"),
                };
            case "/metrics":
                return HttpIs(method, "GET") ?? new HttpAnswer(new PluginResponse(Replies.Ok, Encoding.UTF8.GetBytes(_metrics.Render())), HttpAnswer.PrometheusText);
            case "/operations":
                return HttpIs(method, "GET") ?? Operations();
            default:
                if (path.StartsWith(OperationsPrefix, StringComparison.Ordinal))
                {
                    return HttpIs(method, "POST") ?? await InvokeAsync(path[OperationsPrefix.Length..], body, cancellationToken).ConfigureAwait(false);
                }

                return Replies.Error(Replies.NotFound, $"unknown path '{Shorten(path)}': the management socket serves /health, /volumes, /reconcile, /forget, /prepare-downgrade, /log-level, /metrics, /operations and /operations/<name>");
        }
    }

    private static HttpAnswer? HttpIs(string method, string allowed)
        => string.Equals(method, allowed, StringComparison.Ordinal) ? null : NotAllowed(method, allowed);

    private static HttpAnswer NotAllowed(string method, string allowed)
        => new(Replies.Error(Replies.MethodNotAllowed, $"method {Shorten(method)} is not allowed here: use {allowed}"), Allow: allowed);

    private HttpAnswer Health()
    {
        var dispatcher = Ready;
        var answer = new HealthAnswer
        {
            Status = dispatcher is null ? "starting" : "ready",
            Version = _version ??= VersionOf(_driverType.Assembly),
            UptimeSeconds = Math.Round(Stopwatch.GetElapsedTime(_started).TotalSeconds, 3),
            Driver = _driverType.FullName ?? _driverType.Name,
            Model = dispatcher is null ? null : dispatcher.ManagedState is null ? "low-level" : "managed",
        };
        return Replies.Json(answer, ManagementJson.Write);
    }

    private HttpAnswer Volumes()
    {
        if (RequireState(out var state) is { } refusal)
        {
            return refusal;
        }

        var snapshot = state!.GetSnapshot();
        var answer = new VolumesAnswer
        {
            Volumes = snapshot.Volumes.ConvertAll(v => new VolumeEntry
            {
                Name = v.Name,
                Phase = v.Removing ? "removing" : "ready",
                CreatedAt = Rfc3339.FormatUtc(v.CreatedAt),
                Options = v.Options,
                Mounts = v.Mounts,
                TotalMounts = v.TotalMounts,
            }),
            Unavailable = snapshot.Unavailable.ConvertAll(u => new UnavailableEntry { Name = u.Name, Path = u.Path, Reason = u.Reason }),
        };
        return Replies.Json(answer, ManagementJson.Write);
    }

    private async ValueTask<HttpAnswer> ReconcileAsync(CancellationToken cancellationToken)
    {
        if (RequireState(out var state) is { } refusal)
        {
            return refusal;
        }

        MountReconcileResult result;
        try
        {
            result = await state!.ReconcileNowAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsStateFailure(ex))
        {
            return StateFailed("reconcile", ex);
        }

        var answer = new ReconcileAnswer
        {
            Cleared = result.Cleared.ConvertAll(c => new ClearedEntry { Volume = c.Volume, Mounts = c.Mounts.Total() }),
            Confirmed = result.Confirmed,
            Unverified = result.Unverified,
            Orphans = result.Orphans.ConvertAll(o => o.MountPoint),
        };
        return Replies.Json(answer, ManagementJson.Write);
    }

    private async ValueTask<HttpAnswer> ForgetAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        if (RequireState(out var state) is { } refusal)
        {
            return refusal;
        }

        var request = new ForgetRequest();
        if (!RequestReader.TryRead(body.Span, "'volume' (and optionally 'id')", request, ManagementJson.ReadForgetRequest, out var error))
        {
            return Replies.Error(Replies.BadRequest, error);
        }

        if (!VolumeName.TryValidate(request.Volume, out error))
        {
            return Replies.Error(Replies.BadRequest, error);
        }

        if (request.Id is { Length: 0 })
        {
            return Replies.Error(Replies.BadRequest, $"volume '{request.Volume}': field 'id' must not be empty (omit it to forget all of the volume's mounts)");
        }

        ForgetResult result;
        try
        {
            result = await state!.ForgetAsync(request.Volume, request.Id, cancellationToken).ConfigureAwait(false);
        }
        catch (KeyNotFoundException ex)
        {
            return Replies.Error(Replies.NotFound, ex.Message);
        }
        catch (VolumeDriverException ex)
        {
            return Replies.Error(Conflict, ex.Message);
        }

        return Replies.Json(new ForgetAnswer { Volume = result.Volume, Released = result.Released, TotalMounts = result.TotalMounts }, ManagementJson.Write);
    }

    private async ValueTask<HttpAnswer> PrepareDowngradeAsync(CancellationToken cancellationToken)
    {
        if (RequireState(out var state) is { } refusal)
        {
            return refusal;
        }

        DowngradeResult result;
        try
        {
            result = await state!.PrepareDowngradeAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsStateFailure(ex))
        {
            return StateFailed("prepare-downgrade", ex);
        }

        var answer = new DowngradeAnswer { Format = result.Format, VolumeFiles = result.VolumeFiles, MountFiles = result.MountFiles, Unavailable = result.Unavailable, Mounted = result.Mounted };
        return Replies.Json(answer, ManagementJson.Write);
    }

    private static bool IsStateFailure(Exception ex) => ex is VolumeDriverException or IOException or UnauthorizedAccessException;

    // One wording for the endpoints that change the whole state: a file-system failure in words (an IOException's own
    // message is a resource key under UseSystemResourceKeys, an SDK default), the SDK's own refusals as they are written.
    private static HttpAnswer StateFailed(string endpoint, Exception ex)
        => Replies.Error(Replies.InternalError, $"{endpoint} failed: {FileSystemErrors.TryGetCause(ex) ?? ex.Message}");

    private HttpAnswer GetLogLevel()
        => _logLevel is null
            ? CustomLoggerFactory()
            : Replies.Json(new LogLevelBody { Level = LogLevelNames.Name(_logLevel.Level) }, ManagementJson.Write);

    private HttpAnswer SetLogLevel(ReadOnlyMemory<byte> body)
    {
        if (_logLevel is null)
        {
            return CustomLoggerFactory();
        }

        var request = new LogLevelBody();
        if (!RequestReader.TryRead(body.Span, "'level'", request, ManagementJson.ReadLogLevelBody, out var error))
        {
            return Replies.Error(Replies.BadRequest, error);
        }

        if (!LogLevelNames.TryParse(request.Level, out var level))
        {
            return Replies.Error(Replies.BadRequest, request.Level is null
                ? $"field 'level' is missing: expected one of {LogLevelNames.Accepted}"
                : $"field 'level' must be one of {LogLevelNames.Accepted}, got '{Shorten(request.Level)}'");
        }

        _logLevel.Level = level;
        return Replies.Json(new LogLevelBody { Level = LogLevelNames.Name(level) }, ManagementJson.Write);
    }

    private static HttpAnswer CustomLoggerFactory()
        => Replies.Error(Conflict, "the log level is set by the custom logger factory");

    private HttpAnswer Operations()
    {
        if (Ready is not { } dispatcher)
        {
            return StillStarting();
        }

        var answer = new OperationsAnswer
        {
            Operations = dispatcher.Operations.ConvertAll(o => new OperationEntry
            {
                Name = o.Name,
                Description = o.Description,
                Volume = o.TakesVolume,
                Arguments = o.Arguments.ConvertAll(a => new ArgumentEntry { Name = a.Name, Type = a.Type, Required = a.Required, Description = a.Description }),
            }),
        };
        return Replies.Json(answer, ManagementJson.Write);
    }

    private async ValueTask<HttpAnswer> InvokeAsync(string name, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        if (Ready is not { } dispatcher)
        {
            return StillStarting();
        }

        return await dispatcher.InvokeOperationAsync(name, body, cancellationToken).ConfigureAwait(false);
    }

    private HttpAnswer? RequireState(out IManagedState? state)
    {
        state = null;
        if (Ready is not { } dispatcher)
        {
            return StillStarting();
        }

        state = dispatcher.ManagedState;
        return state is null
            ? Replies.Error(Replies.NotFound, "the driver manages its own volumes (IVolumeDriver); volumes, reconcile, forget and prepare-downgrade need an IManagedVolumeDriver")
            : null;
    }

    private HttpAnswer StillStarting()
        => Replies.Error(Replies.ServiceUnavailable, _dispatcher.IsFaulted
            ? "the plugin failed to start (see the plugin log)"
            : "the plugin is still starting (loading state, reconciling mounts); try again");

    // The informational version without the "+commit" that SourceLink appends.
    private static string VersionOf(Assembly assembly)
    {
        var version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? assembly.GetName().Version?.ToString()
            ?? "unknown";
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? version : version[..plus];
    }

    // A hostile path or value must not make an error message huge.
    private static string Shorten(string text) => text.Length <= 80 ? text : string.Concat(text.AsSpan(0, 80), "…");
}

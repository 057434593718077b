using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using Mooring.Hosting.Metadata;
using Mooring.Protocol;

namespace Mooring.Hosting.Management;

/// <summary>
/// The management socket's driver-defined operations (<c>POST /operations/&lt;name&gt;</c>): parses
/// <c>{"volume":"v","arguments":{"k":"v"}}</c>, validates the volume name, binds the arguments with the generated
/// binder, calls the driver's <c>[ManagementOperation]</c> method and answers <c>{"result":…}</c>. Called by generated
/// dispatchers, whose <c>switch</c> on the operation name picks the binder and the method without reflection.
/// </summary>
/// <remarks>
/// Status codes: 200 on success; 400 when the request is wrong (bad JSON, a missing or invalid volume name, a volume
/// for an operation that takes none, arguments that do not bind, or a <see cref="VolumeOptionException"/> from the
/// method); 404 for an unknown operation; 500 when the method fails (its <see cref="VolumeDriverException"/> message is
/// the <c>Err</c>) or throws anything else (a generic <c>Err</c> naming the volume; the exception goes to the log).
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class OperationProtocol
{
    // Untrusted operation names come from the request path; a long one is cut in the message, never echoed whole.
    private const int MaxNameInMessage = 64;

    /// <summary>Runs an operation that acts on a volume: <c>{"volume"}</c> is required and validated like a volume
    /// driver request's <c>Name</c>.</summary>
    /// <typeparam name="TDriver">The driver class.</typeparam>
    /// <typeparam name="TArguments">The operation's arguments class.</typeparam>
    /// <param name="driver">The author's driver.</param>
    /// <param name="operation">The operation's name, for messages.</param>
    /// <param name="body">The raw request body; empty is read as <c>{}</c>.</param>
    /// <param name="bindArguments">The generated binder of the arguments class; throws <see cref="VolumeOptionException"/>.</param>
    /// <param name="invoke">Calls the driver's method.</param>
    /// <param name="context">The plugin context (logging).</param>
    /// <param name="cancellationToken">Cancelled when the client goes away or the plugin stops.</param>
    /// <returns>The response.</returns>
    public static async ValueTask<PluginResponse> InvokeOnVolumeAsync<TDriver, TArguments>(
        TDriver driver,
        string operation,
        ReadOnlyMemory<byte> body,
        Func<IReadOnlyDictionary<string, string>?, TArguments> bindArguments,
        Func<TDriver, string, TArguments, CancellationToken, ValueTask<IReadOnlyDictionary<string, string>?>> invoke,
        PluginContext context,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bindArguments);
        ArgumentNullException.ThrowIfNull(invoke);
        ArgumentNullException.ThrowIfNull(context);
        if (!TryRead(operation, body, context, out var request, out var rejection))
        {
            return rejection;
        }

        var volume = request.Volume;
        if (volume is null)
        {
            return Reject(operation, $"operation '{operation}': field 'volume' is required", context);
        }

        if (!VolumeName.TryValidate(volume, out var error))
        {
            return Reject(operation, $"operation '{operation}': {error}", context);
        }

        if (!TryBind(operation, request, bindArguments, context, out var arguments, out rejection))
        {
            return rejection;
        }

        try
        {
            return Answer(await invoke(driver, volume, arguments, cancellationToken).ConfigureAwait(false));
        }
        catch (VolumeOptionException ex)
        {
            return Reject(operation, ex.Message, context);
        }
        catch (Exception ex)
        {
            return VolumeProtocol.Failure(ex, Endpoint(operation), volume, context, cancellationToken);
        }
    }

    /// <summary>Runs an operation that acts on the plugin as a whole: a <c>volume</c> in the request is refused, so an
    /// operator never believes an operation was limited to one volume when it was not.</summary>
    /// <typeparam name="TDriver">The driver class.</typeparam>
    /// <typeparam name="TArguments">The operation's arguments class.</typeparam>
    /// <param name="driver">The author's driver.</param>
    /// <param name="operation">The operation's name, for messages.</param>
    /// <param name="body">The raw request body; empty is read as <c>{}</c>.</param>
    /// <param name="bindArguments">The generated binder of the arguments class; throws <see cref="VolumeOptionException"/>.</param>
    /// <param name="invoke">Calls the driver's method.</param>
    /// <param name="context">The plugin context (logging).</param>
    /// <param name="cancellationToken">Cancelled when the client goes away or the plugin stops.</param>
    /// <returns>The response.</returns>
    public static async ValueTask<PluginResponse> InvokeAsync<TDriver, TArguments>(
        TDriver driver,
        string operation,
        ReadOnlyMemory<byte> body,
        Func<IReadOnlyDictionary<string, string>?, TArguments> bindArguments,
        Func<TDriver, TArguments, CancellationToken, ValueTask<IReadOnlyDictionary<string, string>?>> invoke,
        PluginContext context,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bindArguments);
        ArgumentNullException.ThrowIfNull(invoke);
        ArgumentNullException.ThrowIfNull(context);
        if (!TryRead(operation, body, context, out var request, out var rejection))
        {
            return rejection;
        }

        if (request.Volume is not null)
        {
            return Reject(operation, $"operation '{operation}' does not act on a volume: leave out field 'volume'", context);
        }

        if (!TryBind(operation, request, bindArguments, context, out var arguments, out rejection))
        {
            return rejection;
        }

        try
        {
            return Answer(await invoke(driver, arguments, cancellationToken).ConfigureAwait(false));
        }
        catch (VolumeOptionException ex)
        {
            return Reject(operation, ex.Message, context);
        }
        catch (Exception ex)
        {
            return VolumeProtocol.Failure(ex, Endpoint(operation), volume: null, context, cancellationToken);
        }
    }

    /// <summary>404 + <c>{"Err"}</c> for a name no operation has.</summary>
    /// <param name="name">The requested name (untrusted; shortened in the message when long).</param>
    /// <param name="known">The plugin's operation names, comma-separated; empty when it defines none.</param>
    /// <returns>The response.</returns>
    public static ValueTask<PluginResponse> UnknownOperationAsync(string name, string known)
    {
        ArgumentNullException.ThrowIfNull(name);
        var shown = name.Length > MaxNameInMessage ? name[..MaxNameInMessage] + "…" : name;
        return new(Replies.Error(
            Replies.NotFound,
            string.IsNullOrEmpty(known)
                ? $"unknown operation '{shown}': this plugin defines no operations"
                : $"unknown operation '{shown}' (known: {known})"));
    }

    private static bool TryRead(string operation, ReadOnlyMemory<byte> body, PluginContext context, [NotNullWhen(true)] out OperationRequest? request, out PluginResponse rejection)
    {
        rejection = default;
        request = new OperationRequest();
        if (RequestReader.IsBlank(body.Span))
        {
            return true; // curl -X POST without -d: an operation without volume or arguments needs no body
        }

        if (!RequestReader.TryRead(body.Span, "fields 'volume' and 'arguments'", request, ManagementJson.ReadOperationRequest, out var error))
        {
            rejection = Reject(operation, $"operation '{operation}': {error}", context);
            return false;
        }

        return true;
    }

    private static bool TryBind<TArguments>(string operation, OperationRequest request, Func<IReadOnlyDictionary<string, string>?, TArguments> bind, PluginContext context, [MaybeNullWhen(false)] out TArguments arguments, out PluginResponse rejection)
    {
        rejection = default;
        try
        {
            arguments = bind(VolumeProtocol.ToOptions(request.Arguments));
            return true;
        }
        catch (VolumeOptionException ex)
        {
            // The generated binder's message names the operation and the argument: "operation 'x': argument 'y' …".
            arguments = default;
            rejection = Reject(operation, ex.Message, context);
            return false;
        }
    }

    private static PluginResponse Answer(IReadOnlyDictionary<string, string>? result) =>
        Replies.Json(new OperationAnswer { Result = result }, ManagementJson.Write);

    private static PluginResponse Reject(string operation, string message, PluginContext context) =>
        VolumeProtocol.Reject(message, Endpoint(operation), context);

    // Built on the failure paths only; the success path allocates nothing for it.
    private static string Endpoint(string operation) => $"operation '{operation}'";
}

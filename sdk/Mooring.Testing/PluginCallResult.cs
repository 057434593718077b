namespace Mooring.Testing;

/// <summary>
/// The outcome of one VolumeDriver call as dockerd would see it: the raw answer, the plugin's <c>Err</c>, and the error
/// message dockerd would report (which the docker CLI shows the user).
/// </summary>
public class PluginCallResult
{
    /// <summary>Creates a result.</summary>
    /// <param name="endpoint">The endpoint, e.g. <c>VolumeDriver.Mount</c>.</param>
    /// <param name="response">The raw response.</param>
    /// <param name="err">The <c>Err</c> field, if the body had one.</param>
    /// <param name="decodeError">Why dockerd could not decode a 200 answer, if it could not.</param>
    public PluginCallResult(string endpoint, PluginHttpResponse response, string? err, string? decodeError)
    {
        ArgumentNullException.ThrowIfNull(response);
        Endpoint = endpoint;
        Response = response;
        Err = err;
        DecodeError = decodeError;
    }

    /// <summary>The endpoint called, e.g. <c>VolumeDriver.Mount</c>.</summary>
    public string Endpoint { get; }

    /// <summary>The raw response.</summary>
    public PluginHttpResponse Response { get; }

    /// <summary>The HTTP status code.</summary>
    public int StatusCode => Response.StatusCode;

    /// <summary>The raw body as text.</summary>
    public string Body => Response.BodyText;

    /// <summary>The <c>Err</c> field of the answer, or <see langword="null"/>.</summary>
    public string? Err { get; }

    /// <summary>Why a 200 answer could not be decoded the way dockerd decodes it (Go's encoding/json), e.g. a
    /// <c>CreatedAt</c> that is not RFC 3339. dockerd treats that as a failed call.</summary>
    public string? DecodeError { get; }

    /// <summary>
    /// The error dockerd reports for this call, or <see langword="null"/> on success: for a non-200 status
    /// <c>Endpoint: Err</c> (or the raw body when it has no <c>Err</c>); for 200, a non-empty <c>Err</c> as is, or the
    /// decode error.
    /// </summary>
    public string? Error => StatusCode != 200
        ? $"{Endpoint}: {(string.IsNullOrEmpty(Err) ? Body : Err)}"
        : !string.IsNullOrEmpty(Err) ? Err : DecodeError;

    /// <summary>Whether dockerd would treat the call as successful.</summary>
    public bool IsSuccess => Error is null;

    /// <inheritdoc />
    public override string ToString() => $"{Endpoint} → {StatusCode} {Body.TrimEnd()}";
}

/// <summary>A call result with the decoded payload.</summary>
/// <typeparam name="T">The payload type.</typeparam>
public sealed class PluginCallResult<T> : PluginCallResult
{
    /// <summary>Creates a result.</summary>
    /// <param name="endpoint">The endpoint.</param>
    /// <param name="response">The raw response.</param>
    /// <param name="err">The <c>Err</c> field.</param>
    /// <param name="decodeError">Why the answer could not be decoded.</param>
    /// <param name="value">The decoded payload.</param>
    public PluginCallResult(string endpoint, PluginHttpResponse response, string? err, string? decodeError, T? value)
        : base(endpoint, response, err, decodeError) => Value = value;

    /// <summary>The decoded payload (default when absent, failed or not decodable).</summary>
    public T? Value { get; }
}

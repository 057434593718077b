using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Mooring.Hosting.Control;

/// <summary>One request of the <c>ctl</c> client to a unix socket (the management socket or the Docker API), with a
/// deadline, a bounded answer, and failures turned into <see cref="ControlExitCode.Unreachable"/> errors that name the
/// socket and say why.</summary>
internal static class ControlHttp
{
    /// <summary>The largest answer read (a <c>GET /volumes</c> of many thousand volumes still fits).</summary>
    public const int MaxAnswerBytes = 16 * 1024 * 1024;

    /// <summary>Sends one request and reads the answer.</summary>
    /// <param name="socketPath">The unix socket.</param>
    /// <param name="peer">Who listens there, for messages: "the plugin", "Docker".</param>
    /// <param name="method">The HTTP method.</param>
    /// <param name="path">The request path, already percent-encoded.</param>
    /// <param name="body">The JSON body, or <see langword="null"/> for none.</param>
    /// <param name="timeout">How long the whole exchange may take.</param>
    /// <param name="cancellationToken">Abandons the request.</param>
    /// <returns>The answer, whatever its status.</returns>
    /// <exception cref="ControlException">The socket could not be reached, or the answer was malformed, too large or late.</exception>
    public static async Task<UnixHttpResponse> SendAsync(string socketPath, string peer, string method, string path, byte[]? body, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var where = $"{peer} at {TerminalText.Escape(socketPath)}";
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        UnixHttpConnection connection;
        try
        {
            connection = await UnixHttpConnection.OpenAsync(socketPath, MaxAnswerBytes, deadline.Token).ConfigureAwait(false);
        }
        catch (SocketException ex)
        {
            throw new ControlException(ControlExitCode.Unreachable, $"cannot reach {where}: {Describe(ex)}", ex);
        }
        catch (Exception ex) when (ex is ArgumentException or IOException or UnauthorizedAccessException)
        {
            // An invalid path, or a path too long for a unix address whose short link in the temporary folder could not
            // be made (UnixHttpConnection.OpenAsync).
            throw new ControlException(ControlExitCode.Unreachable, $"cannot reach {where}: {TerminalText.Escape(ex.Message)}", ex);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ControlException(ControlExitCode.Unreachable, $"cannot reach {where}: no connection within {Seconds(timeout)} s", ex);
        }

        await using (connection.ConfigureAwait(false))
        {
            // Cancelling closes the socket, so that a read blocked on a silent server ends too.
            await using var closeOnCancel = deadline.Token.UnsafeRegister(static c => ((UnixHttpConnection)c!).DisposeAsync(), connection).ConfigureAwait(false);
            try
            {
                return await connection.ExchangeAsync(BuildRequest(method, path, body), deadline.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new ControlException(ControlExitCode.Unreachable, $"{where} did not answer {method} {path} within {Seconds(timeout)} s", ex);
            }
            catch (IOException ex)
            {
                throw new ControlException(ControlExitCode.Unreachable, $"cannot talk to {where}: {TerminalText.EscapeMessage(ex.Message)}", ex);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                throw new ControlException(ControlExitCode.Unreachable, $"cannot talk to {where}: {TerminalText.EscapeMessage(ex.Message)}", ex);
            }
        }
    }

    /// <summary>The request bytes. <c>Connection: close</c>: one request per connection, nothing left to reuse.</summary>
    internal static byte[] BuildRequest(string method, string path, byte[]? body)
    {
        var head = new StringBuilder(192)
            .Append(method).Append(' ').Append(path).Append(" HTTP/1.1\r\n")
            .Append("Host: localhost\r\n")
            .Append("User-Agent: mooring-ctl\r\n")
            .Append("Accept: application/json\r\n")
            .Append("Connection: close\r\n");
        if (body is not null)
        {
            head.Append("Content-Type: application/json\r\n");
        }

        head.Append("Content-Length: ").Append((body?.Length ?? 0).ToString(CultureInfo.InvariantCulture)).Append("\r\n\r\n");
        var headBytes = Encoding.ASCII.GetBytes(head.ToString());
        return body is null ? headBytes : [.. headBytes, .. body];
    }

    private static string Describe(SocketException ex) => ex.SocketErrorCode switch
    {
        SocketError.ConnectionRefused => "connection refused (nothing listens on it: is the plugin enabled, and is this its socket?)",
        SocketError.AccessDenied => "permission denied (the socket is root-only: run with sudo)",
        SocketError.AddressNotAvailable => "the socket does not exist (is the plugin enabled, and is this its socket?)",
        _ => TerminalText.EscapeMessage(ex.Message),
    };

    private static string Seconds(TimeSpan timeout) => timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
}

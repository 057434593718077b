using System.Buffers;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Mooring.Protocol;

namespace Mooring.Hosting;

/// <summary>
/// The one terminal handler Kestrel calls for every request: no routing, no model binding, no content negotiation.
/// It reads the body raw (dockerd sends no Content-Type), hands it to the dispatcher and writes the answer.
/// </summary>
/// <remarks>The socket is bound before the driver exists, so requests that arrive early wait for
/// <see cref="SetDispatcher"/>.</remarks>
internal sealed partial class PluginApplication : IHttpApplication<HttpContext>
{
    private const string ContentType = "application/vnd.docker.plugins.v1.2+json";

    private readonly TaskCompletionSource<PluginDispatcher> _dispatcher = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly long _maxBodySize;
    private readonly CancellationToken _hardStop;
    private readonly TimeSpan _startupTimeout;
    private readonly ILogger _logger;

    public PluginApplication(ILoggerFactory loggerFactory, long maxBodySize, CancellationToken hardStop, TimeSpan startupTimeout)
    {
        _maxBodySize = maxBodySize;
        _hardStop = hardStop;
        _startupTimeout = startupTimeout;
        _logger = loggerFactory.CreateLogger("Mooring.Hosting");
    }

    public void SetDispatcher(PluginDispatcher dispatcher) => _dispatcher.TrySetResult(dispatcher);

    public void FailStart(Exception exception) => _dispatcher.TrySetException(exception);

    public HttpContext CreateContext(IFeatureCollection contextFeatures) => new DefaultHttpContext(contextFeatures);

    public void DisposeContext(HttpContext context, Exception? exception)
    {
    }

    public async Task ProcessRequestAsync(HttpContext context)
    {
        var request = context.Request;
        if (!HttpMethods.IsPost(request.Method))
        {
            context.Response.Headers.Allow = "POST";
            await WriteAsync(context, Replies.Error(Replies.MethodNotAllowed, $"method {request.Method} is not allowed: plugin endpoints accept POST only")).ConfigureAwait(false);
            return;
        }

        var path = request.Path.Value is { Length: > 0 } p ? p : "/";
        ReadOnlyMemory<byte> body;
        try
        {
            var read = await ReadBodyAsync(request, context.RequestAborted).ConfigureAwait(false);
            if (read is null)
            {
                context.Response.Headers.Connection = "close"; // do not drain the rest of an oversized body
                await WriteAsync(context, Replies.Error(Replies.PayloadTooLarge, $"request body larger than {_maxBodySize} bytes")).ConfigureAwait(false);
                return;
            }

            body = read;
        }
        catch (BadHttpRequestException ex)
        {
            // Kestrel rejected the framing (e.g. malformed chunked encoding).
            context.Response.Headers.Connection = "close";
            await WriteAsync(context, Replies.Error(ex.StatusCode, $"bad request: {ex.Message}")).ConfigureAwait(false);
            return;
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException || context.RequestAborted.IsCancellationRequested)
        {
            return; // the client went away mid-body: nobody to answer
        }

        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _hardStop);
        PluginResponse response;
        try
        {
            var dispatcher = _dispatcher.Task.IsCompletedSuccessfully
                ? _dispatcher.Task.Result
                : await _dispatcher.Task.WaitAsync(_startupTimeout, cancellation.Token).ConfigureAwait(false);
            response = await dispatcher.DispatchAsync(path, body, cancellation.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            if (context.RequestAborted.IsCancellationRequested)
            {
                return; // the client went away: nobody to answer
            }

            // Returning without a response would make Kestrel send an empty 200, which dockerd reads as success.
            response = Replies.Error(Replies.ServiceUnavailable, "the plugin is stopping");
        }
        catch (TimeoutException) when (!_dispatcher.Task.IsCompleted)
        {
            // Bounded, so that dockerd gets an answer it can show instead of cutting the call off itself.
            response = Replies.Error(Replies.ServiceUnavailable, $"the plugin is still starting (waited {_startupTimeout.TotalSeconds:0.#} s); try again");
        }
        catch (Exception ex) when (_dispatcher.Task.IsFaulted)
        {
            response = Replies.Error(Replies.InternalError, ex is VolumeDriverException
                ? $"the plugin failed to start: {ex.Message}"
                : "the plugin failed to start (see the plugin log)");
        }
        catch (Exception ex)
        {
            // VolumeProtocol turns driver failures into answers; reaching here means a dispatcher bug.
            LogUnhandled(_logger, ex, path);
            response = Replies.Error(Replies.InternalError, "internal error in the plugin (see the plugin log)");
        }

        await WriteAsync(context, response).ConfigureAwait(false);
    }

    // Returns null when the body is larger than the limit. Copies out of Kestrel's pipe as it goes, so a limit above
    // Kestrel's request buffer size cannot stall the pipe.
    private async ValueTask<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength is { } declared)
        {
            if (declared > _maxBodySize)
            {
                return null;
            }

            if (declared == 0)
            {
                return [];
            }
        }

        var reader = request.BodyReader;
        var buffer = new ArrayBufferWriter<byte>((int)Math.Min(request.ContentLength ?? 256, _maxBodySize));
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var data = result.Buffer;
            if (buffer.WrittenCount + data.Length > _maxBodySize)
            {
                reader.AdvanceTo(data.End);
                return null;
            }

            foreach (var segment in data)
            {
                buffer.Write(segment.Span);
            }

            reader.AdvanceTo(data.End);
            if (result.IsCompleted)
            {
                return buffer.WrittenSpan.ToArray();
            }
        }
    }

    private static async Task WriteAsync(HttpContext context, PluginResponse response)
    {
        var http = context.Response;
        http.StatusCode = response.StatusCode;
        http.ContentType = ContentType;
        http.ContentLength = response.Body.Length;
        try
        {
            await http.BodyWriter.WriteAsync(response.Body, context.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            // The client went away; dockerd has already given up on this call.
        }
    }

    [LoggerMessage(10, LogLevel.Error, "Unhandled exception while dispatching {Path}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string path);
}

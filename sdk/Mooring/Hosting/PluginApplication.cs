using System.Buffers;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Abstractions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Mooring.Hosting.Management;
using Mooring.Hosting.Metadata;
using Mooring.Logging;
using Mooring.Protocol;

namespace Mooring.Hosting;

/// <summary>
/// The one terminal handler Kestrel calls for every request: no routing, no model binding, no content negotiation.
/// It reads the body raw (dockerd sends no Content-Type), hands it to the dispatcher and writes the answer.
/// </summary>
/// <remarks>The socket is bound before the driver exists, so requests that arrive early wait for
/// <see cref="SetDispatcher"/>. Requests on the management socket (tagged by <see cref="ManagementConnection"/>) go to
/// <see cref="Management"/> instead, without waiting; only plugin protocol requests are counted in the metrics.</remarks>
internal sealed partial class PluginApplication : IHttpApplication<HttpContext>
{
    private const string ContentType = "application/vnd.docker.plugins.v1.2+json";

    private readonly TaskCompletionSource<PluginDispatcher> _dispatcher = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly long _maxBodySize;
    private readonly CancellationToken _hardStop;
    private readonly TimeSpan _startupTimeout;
    private readonly ILogger _logger;
    private readonly PluginMetrics _metrics;

    public PluginApplication(ILoggerFactory loggerFactory, long maxBodySize, CancellationToken hardStop, TimeSpan startupTimeout, PluginMetrics metrics)
    {
        _maxBodySize = maxBodySize;
        _hardStop = hardStop;
        _startupTimeout = startupTimeout;
        _metrics = metrics;
        _logger = loggerFactory.CreateLogger("Mooring.Hosting");
    }

    /// <summary>Completes with the dispatcher once the driver has started.</summary>
    public Task<PluginDispatcher> Dispatcher => _dispatcher.Task;

    /// <summary>Answers the management socket; <see langword="null"/> when it is disabled.</summary>
    public ManagementHandler? Management { get; set; }

    public void SetDispatcher(PluginDispatcher dispatcher) => _dispatcher.TrySetResult(dispatcher);

    public void FailStart(Exception exception) => _dispatcher.TrySetException(exception);

    public HttpContext CreateContext(IFeatureCollection contextFeatures)
    {
        // Kestrel's connection offers to keep one context across the requests it carries (ASP.NET Core's own
        // HostingApplication does the same): one DefaultHttpContext per connection instead of one per request.
        if (contextFeatures is IHostContextContainer<HttpContext> container)
        {
            if (container.HostContext is DefaultHttpContext reused)
            {
                reused.Initialize(contextFeatures);
                return reused;
            }

            var created = new DefaultHttpContext(contextFeatures);
            container.HostContext = created;
            return created;
        }

        return new DefaultHttpContext(contextFeatures);
    }

    public void DisposeContext(HttpContext context, Exception? exception)
    {
        if (context is DefaultHttpContext reusable)
        {
            reusable.Uninitialize(); // drops this request's features before the connection's next request
        }
    }

    public async Task ProcessRequestAsync(HttpContext context)
    {
        if (Management is { } management && context.Features.Get<ManagementConnection>() is not null)
        {
            await ProcessManagementRequestAsync(context, management).ConfigureAwait(false);
            return;
        }

        var started = Stopwatch.GetTimestamp();
        var path = context.Request.Path.Value is { Length: > 0 } p ? p : "/";
        var response = await AnswerAsync(context, path).ConfigureAwait(false);
        if (response is { } answer)
        {
            _metrics.Record(path, answer.StatusCode, started);
            await WriteAsync(context, answer).ConfigureAwait(false);
        }
    }

    // The answer to one plugin protocol request; null when the client went away (nobody to answer). Pooled, like the
    // body reader below: splitting the request in two methods must not add an allocation per request.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<PluginResponse?> AnswerAsync(HttpContext context, string path)
    {
        var request = context.Request;
        if (!HttpMethods.IsPost(request.Method))
        {
            context.Response.Headers.Allow = "POST";
            return Replies.Error(Replies.MethodNotAllowed, $"method {request.Method} is not allowed: plugin endpoints accept POST only");
        }

        var (body, refusal) = await ReadBodyOrRefuseAsync(context, _maxBodySize).ConfigureAwait(false);
        if (body is null)
        {
            return refusal;
        }

        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _hardStop);
        PluginResponse response;
        try
        {
            var dispatcher = _dispatcher.Task.IsCompletedSuccessfully
                ? _dispatcher.Task.Result
                : await _dispatcher.Task.WaitAsync(_startupTimeout, cancellation.Token).ConfigureAwait(false);
            response = await dispatcher.DispatchAsync(path, body.Value, cancellation.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            if (context.RequestAborted.IsCancellationRequested)
            {
                return null; // the client went away: nobody to answer
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
            MooringLog.Unhandled(_logger, ex, path);
            response = Replies.Error(Replies.InternalError, "internal error in the plugin (see the plugin log)");
        }

        return response;
    }

    private async Task ProcessManagementRequestAsync(HttpContext context, ManagementHandler management)
    {
        var request = context.Request;
        var (body, refusal) = await ReadBodyOrRefuseAsync(context, ManagementHandler.MaxBodySize).ConfigureAwait(false);
        if (body is null)
        {
            if (refusal is { } answer)
            {
                await WriteAsync(context, answer, ManagementReply.Json).ConfigureAwait(false);
            }

            return;
        }

        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _hardStop);
        ManagementReply reply;
        try
        {
            reply = await management.HandleAsync(request.Method, request.Path.Value is { Length: > 0 } p ? p : "/", body.Value, cancellation.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            if (context.RequestAborted.IsCancellationRequested)
            {
                return;
            }

            reply = Replies.Error(Replies.ServiceUnavailable, "the plugin is stopping");
        }
        catch (Exception ex)
        {
            MooringLog.Unhandled(_logger, ex, request.Path.Value ?? "/");
            reply = Replies.Error(Replies.InternalError, "internal error in the plugin (see the plugin log)");
        }

        if (reply.Allow is { } allow)
        {
            context.Response.Headers.Allow = allow;
        }

        await WriteAsync(context, reply.Response, reply.ContentType).ConfigureAwait(false);
    }

    // The body, or (null, the answer to send) when it is too large or badly framed, or (null, null) when the client
    // went away mid-body.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<(ReadOnlyMemory<byte>? Body, PluginResponse? Refusal)> ReadBodyOrRefuseAsync(HttpContext context, long limit)
    {
        try
        {
            var read = await ReadBodyAsync(context.Request, limit, context.RequestAborted).ConfigureAwait(false);
            if (read is null)
            {
                context.Response.Headers.Connection = "close"; // do not drain the rest of an oversized body
                return (null, Replies.Error(Replies.PayloadTooLarge, $"request body larger than {limit} bytes"));
            }

            return (read, null);
        }
        catch (BadHttpRequestException ex)
        {
            // Kestrel rejected the framing (e.g. malformed chunked encoding).
            context.Response.Headers.Connection = "close";
            return (null, Replies.Error(ex.StatusCode, $"bad request: {ex.Message}"));
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException || context.RequestAborted.IsCancellationRequested)
        {
            return (null, null); // the client went away mid-body: nobody to answer
        }
    }

    // Returns null when the body is larger than the limit. Copies out of Kestrel's pipe as it goes, so a limit above
    // Kestrel's request buffer size cannot stall the pipe.
    private static async ValueTask<byte[]?> ReadBodyAsync(HttpRequest request, long maxBodySize, CancellationToken cancellationToken)
    {
        var reader = request.BodyReader;
        if (request.ContentLength is { } declared)
        {
            if (declared > maxBodySize)
            {
                return null;
            }

            if (declared == 0)
            {
                return [];
            }

            // One array of the declared size, filled from Kestrel's pipe. Kestrel ends the body at Content-Length, so it
            // can be neither longer nor, once complete, shorter.
            var body = new byte[declared];
            var written = 0;
            while (written < body.Length)
            {
                var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                foreach (var segment in result.Buffer)
                {
                    segment.Span.CopyTo(body.AsSpan(written));
                    written += segment.Length;
                }

                reader.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted && written < body.Length)
                {
                    return body.AsSpan(0, written).ToArray(); // not expected: Kestrel fails a body that ends early
                }
            }

            return body;
        }

        // Chunked (no Content-Length): grow as it comes. dockerd's client sends a Content-Length, so this is rare.
        var buffer = new ArrayBufferWriter<byte>(256);
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var data = result.Buffer;
            if (buffer.WrittenCount + data.Length > maxBodySize)
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

    private static async Task WriteAsync(HttpContext context, PluginResponse response, string contentType = ContentType)
    {
        var http = context.Response;
        http.StatusCode = response.StatusCode;
        http.ContentType = contentType;
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
}

using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Mooring.Hosting.Http;
using Mooring.Hosting.Management;
using Mooring.Hosting.Metadata;
using Mooring.Logging;
using Mooring.Protocol;

namespace Mooring.Hosting;

/// <summary>
/// The one handler the plugin's HTTP server calls for every request: no routing, no model binding, no content
/// negotiation. The server has read the body raw (dockerd sends no Content-Type); this hands it to the dispatcher.
/// </summary>
/// <remarks>The socket is bound before the driver exists, so requests that arrive early wait for
/// <see cref="SetDispatcher"/>. Requests on the management socket go to <see cref="Management"/> instead, without
/// waiting; only plugin protocol requests are counted in the metrics.</remarks>
internal sealed class PluginApplication : IHttpHandler
{
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

    public long MaxBodySize(bool management) => management ? ManagementHandler.MaxBodySize : _maxBodySize;

    public HttpAnswer Refuse(HttpRefusal refusal, bool management) =>
        new(Replies.Error(refusal.StatusCode, refusal.Message), management ? HttpAnswer.Json : HttpAnswer.PluginJson);

    public ValueTask<HttpAnswer?> HandleAsync(HttpExchange exchange)
    {
        if (exchange.Management)
        {
            return Management is { } management ? AnswerManagementAsync(exchange, management) : new(Replies.Error(Replies.NotFound, "the management socket is off"));
        }

        return AnswerAsync(exchange);
    }

    // The answer to one plugin protocol request; null when the client went away (nobody to answer). Pooled: the state
    // machine of a request that waits for its driver must not be an allocation per request.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<HttpAnswer?> AnswerAsync(HttpExchange exchange)
    {
        var started = Stopwatch.GetTimestamp();
        PluginResponse response;
        if (exchange.Method != "POST")
        {
            response = Replies.Error(Replies.MethodNotAllowed, $"method {exchange.Method} is not allowed: plugin endpoints accept POST only");
            _metrics.Record(exchange.Path, response.StatusCode, started);
            return new HttpAnswer(response, HttpAnswer.PluginJson, "POST");
        }

        try
        {
            var dispatcher = _dispatcher.Task.IsCompletedSuccessfully ? _dispatcher.Task.Result
                : exchange.OwnThread ? WaitForStart(exchange.Aborted)
                : await _dispatcher.Task.WaitAsync(_startupTimeout, exchange.Aborted).ConfigureAwait(false);
            response = await dispatcher.DispatchAsync(exchange.Path, exchange.Body, exchange.Aborted).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (exchange.Aborted.IsCancellationRequested)
        {
            if (!_hardStop.IsCancellationRequested)
            {
                return null; // the client went away: nobody to answer
            }

            // An answer, not silence: an empty 200 would read as success to dockerd.
            response = Stopping();
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
            MooringLog.Unhandled(_logger, ex, exchange.Path);
            response = InternalError();
        }

        _metrics.Record(exchange.Path, response.StatusCode, started);
        return new HttpAnswer(response, HttpAnswer.PluginJson);
    }

    // An early request on a thread it may block (its connection's own, or an event-loop poller, which the loop replaces
    // when held) waits there. Awaiting would resume it on the thread pool (the dispatcher's continuations run
    // asynchronously, so that no request runs on the thread that starts the driver) and its timeout would start the timer
    // thread: threads that dockerd's first Activate, which arrives while a state-backed driver loads, made every plugin
    // start and keep (docs/benchmarks.md, "No thread pool while a state-backed plugin starts").
    private PluginDispatcher WaitForStart(CancellationToken aborted)
    {
        bool started;
        try
        {
            started = _dispatcher.Task.Wait((int)Math.Clamp(_startupTimeout.TotalMilliseconds, -1, int.MaxValue), aborted);
        }
        catch (AggregateException)
        {
            started = true; // the start failed: GetResult below throws its exception itself, not wrapped
        }

        return started ? _dispatcher.Task.GetAwaiter().GetResult() : throw new TimeoutException();
    }

    private async ValueTask<HttpAnswer?> AnswerManagementAsync(HttpExchange exchange, ManagementHandler management)
    {
        try
        {
            return await management.HandleAsync(exchange.Method, exchange.Path, exchange.Body, exchange.Aborted).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (exchange.Aborted.IsCancellationRequested)
        {
            return _hardStop.IsCancellationRequested ? Stopping() : null;
        }
        catch (Exception ex)
        {
            MooringLog.Unhandled(_logger, ex, exchange.Path);
            return InternalError();
        }
    }

    // The answers both sockets give, worded once.
    private static PluginResponse Stopping() => Replies.Error(Replies.ServiceUnavailable, "the plugin is stopping");

    private static PluginResponse InternalError() => Replies.Error(Replies.InternalError, "internal error in the plugin (see the plugin log)");
}

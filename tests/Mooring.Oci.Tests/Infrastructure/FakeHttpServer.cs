using System.Net;
using Mooring.TestFixtures;

namespace Mooring.Oci.Tests.Infrastructure;

/// <summary>A scripted HTTP server on 127.0.0.1 for failure modes a real registry will not produce on demand (5xx, hangs).</summary>
public sealed class FakeHttpServer : IDisposable
{
    private readonly HttpListener _listener;
    private readonly Func<HttpListenerContext, Task> _handler;
    private readonly Task _loop;
    private int _requests;

    public FakeHttpServer(Func<HttpListenerContext, Task> handler, string host = "127.0.0.1")
    {
        _handler = handler;
        Host = host;
        _listener = LoopbackHttpListener.Start(host, out var port);
        Port = port;
        _loop = Task.Run(LoopAsync);
    }

    public int Port { get; }

    public string Host { get; }

    public string Address => $"{Host}:{Port}";

    public int Requests => _requests;

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception)
            {
                return;
            }

            Interlocked.Increment(ref _requests);
            _ = Task.Run(async () =>
            {
                try
                {
                    await _handler(context);
                }
                catch (Exception)
                {
                }
            });
        }
    }

    public void Dispose()
    {
        HttpListeners.Close(_listener);
        _loop.Wait(TimeSpan.FromSeconds(5));
    }
}

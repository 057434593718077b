using System.Net;

namespace Mooring.TestFixtures;

/// <summary>
/// An <see cref="HttpListener"/> started on a free port. The port comes from <see cref="PrivateRegistry.FreePort"/>
/// (bind to 0, read, release), so another socket can take it before the listener binds: in a run with many registry
/// connections, an outgoing connection's ephemeral port (seen in CI as "Address already in use"). A start that finds
/// the port taken tries another.
/// </summary>
public static class LoopbackHttpListener
{
    /// <summary>Starts a listener on <c>http://<paramref name="host"/>:port/</c>.</summary>
    /// <param name="host">The address to listen on, e.g. <c>127.0.0.1</c>.</param>
    /// <param name="port">The port it listens on.</param>
    /// <returns>The started listener; the caller closes it.</returns>
    public static HttpListener Start(string host, out int port)
    {
        for (var attempt = 1; ; attempt++)
        {
            port = PrivateRegistry.FreePort();
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://{host}:{port}/");
            try
            {
                listener.Start();
                return listener;
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                listener.Close();
            }
        }
    }
}

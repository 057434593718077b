using System.Net;
using System.Net.Sockets;

namespace Mooring.Templates.Tests.Infrastructure;

public static class Ports
{
    /// <summary>A port that was free a moment ago (bind to 0, read, release).</summary>
    public static int GetFree()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}

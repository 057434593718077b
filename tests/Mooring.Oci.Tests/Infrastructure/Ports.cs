using System.Net;
using System.Net.Sockets;

namespace Mooring.Oci.Tests.Infrastructure;

public static class Ports
{
    /// <summary>A port that was free a moment ago (bind to 0, read, release).</summary>
    public static int GetFree()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}

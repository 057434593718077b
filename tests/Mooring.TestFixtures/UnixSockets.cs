using System.Net.Sockets;

namespace Mooring.TestFixtures;

/// <summary>Probes of unix sockets shared by the tests that wait for a plugin or host to listen.</summary>
public static class UnixSockets
{
    /// <summary>True when something accepts connections on <paramref name="path"/> right now.</summary>
    public static bool CanConnect(string path)
    {
        using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            probe.Connect(new UnixDomainSocketEndPoint(path));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>Waits until something accepts connections on <paramref name="path"/>, for at most 10 s.</summary>
    /// <exception cref="TimeoutException">Nothing listened in time.</exception>
    public static async Task WaitUntilListeningAsync(string path)
    {
        var deadline = System.Diagnostics.Stopwatch.StartNew();
        while (!CanConnect(path))
        {
            if (deadline.Elapsed > TimeSpan.FromSeconds(10))
            {
                throw new TimeoutException($"nothing listened on {path} within 10 s");
            }

            await Task.Delay(10);
        }
    }
}

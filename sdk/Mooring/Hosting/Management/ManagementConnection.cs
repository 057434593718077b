using Microsoft.AspNetCore.Connections;

namespace Mooring.Hosting.Management;

/// <summary>
/// Marks the connections accepted on the management socket. One Kestrel server listens on both sockets (a second
/// server would add to the start-up time dockerd bounds); a connection middleware on the management socket's
/// <c>ListenOptions</c> sets this feature, and Kestrel's request features fall back to the connection's, so the
/// request handler tells the two apart with one feature lookup.
/// </summary>
internal sealed class ManagementConnection
{
    private static readonly ManagementConnection Marker = new();

    private ManagementConnection()
    {
    }

    /// <summary>The connection middleware for the management socket's listener.</summary>
    public static ConnectionDelegate Mark(ConnectionDelegate next) => connection =>
    {
        connection.Features.Set(Marker);
        return next(connection);
    };
}

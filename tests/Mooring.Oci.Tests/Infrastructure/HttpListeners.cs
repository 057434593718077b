using System.Net;

namespace Mooring.Oci.Tests.Infrastructure;

/// <summary>What every scripted HTTP server of these tests needs from <see cref="HttpListener"/>.</summary>
internal static class HttpListeners
{
    /// <summary>Closes a listener, and never throws for the port.</summary>
    /// <remarks>
    /// The managed HttpListener removes its endpoint on <see cref="HttpListener.Stop"/> and looks it up again on
    /// <see cref="HttpListener.Close"/>, binding the port anew to do so; when another test has taken the port meanwhile
    /// that throws "Address already in use" (seen in a CI run: FakeHttpServer called Stop, then Close). Close alone
    /// stops the listener and removes the endpoint once; the catch covers any other path to the same lookup. The
    /// listener is closed either way.
    /// </remarks>
    /// <param name="listener">The listener.</param>
    public static void Close(HttpListener listener)
    {
        try
        {
            listener.Close();
        }
        catch (HttpListenerException)
        {
        }
    }
}

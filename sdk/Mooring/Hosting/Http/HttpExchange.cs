namespace Mooring.Hosting.Http;

/// <summary>One request as a handler of the plugin's HTTP server sees it: its body already read whole and bounded.</summary>
/// <param name="Method">The method.</param>
/// <param name="Path">The path, percent-decoded, without the query.</param>
/// <param name="Body">The body; empty when there was none.</param>
/// <param name="Management">The request came in on the management socket.</param>
/// <param name="Aborted">Fires when the client goes away or the server aborts the connection.</param>
/// <param name="OwnThread">The request runs on a thread the handler may block while it waits: its connection's own, or an
/// event-loop poller, which the loop replaces when it is held (<see cref="EventLoop"/>).</param>
internal readonly record struct HttpExchange(string Method, string Path, ReadOnlyMemory<byte> Body, bool Management, CancellationToken Aborted, bool OwnThread = false);

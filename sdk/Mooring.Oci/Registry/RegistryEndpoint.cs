using System.Net;

namespace Mooring.Oci.Registry;

/// <summary>Decides how to reach a registry: HTTPS by default, plain HTTP for loopback and listed insecure registries.</summary>
public static class RegistryEndpoint
{
    /// <summary>Whether requests to <paramref name="registry"/> go over plain HTTP.</summary>
    /// <param name="registry">The registry host, with an optional port (<c>127.0.0.1:5000</c>, <c>[::1]:5000</c>, <c>localhost</c>).</param>
    /// <param name="insecureRegistries">Registries the user marked insecure; compared case-insensitively, with or without the port.</param>
    /// <param name="loopbackIsInsecure">Whether loopback registries use plain HTTP.</param>
    public static bool IsInsecure(string registry, IEnumerable<string>? insecureRegistries = null, bool loopbackIsInsecure = true)
    {
        ArgumentException.ThrowIfNullOrEmpty(registry);
        if (loopbackIsInsecure && IsLoopback(registry))
        {
            return true;
        }

        if (insecureRegistries is null)
        {
            return false;
        }

        var host = HostOf(registry);
        foreach (var entry in insecureRegistries)
        {
            var e = entry.Trim();
            if (e.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
            {
                e = e["http://".Length..];
            }

            e = e.TrimEnd('/');
            // "host" in the list covers every port of that host; "host:port" only that port.
            if (string.Equals(e, registry, StringComparison.OrdinalIgnoreCase) ||
                (!HasPort(e) && string.Equals(e, host, StringComparison.OrdinalIgnoreCase)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether the registry host is a loopback address (127.0.0.0/8, <c>::1</c>) or exactly <c>localhost</c>. Other names under
    /// <c>.localhost</c> are not: deciding by name alone would send plain HTTP (and credentials) wherever a resolver points such a
    /// name. List them in the insecure registries instead.
    /// </summary>
    /// <param name="registry">The registry host with an optional port.</param>
    public static bool IsLoopback(string registry)
    {
        var host = HostOf(registry);
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address);
    }

    /// <summary>The base URI for API requests, for example <c>https://registry-1.docker.io/</c> or <c>http://127.0.0.1:5000/</c>.</summary>
    /// <param name="registryHost">The host (and port) to connect to.</param>
    /// <param name="insecureRegistries">Registries the user marked insecure.</param>
    public static Uri GetBaseUri(string registryHost, IEnumerable<string>? insecureRegistries = null) =>
        new($"{(IsInsecure(registryHost, insecureRegistries) ? "http" : "https")}://{registryHost}/");

    /// <summary>Whether two URIs share scheme, host and port: only the registry's own origin gets its credentials.</summary>
    internal static bool SameOrigin(Uri a, Uri b) =>
        string.Equals(a.Scheme, b.Scheme, StringComparison.OrdinalIgnoreCase) &&
        string.Equals(a.IdnHost, b.IdnHost, StringComparison.OrdinalIgnoreCase) &&
        a.Port == b.Port;

    /// <summary>
    /// Whether a request may go to <paramref name="uri"/> at all: https anywhere, plain http only to a host that
    /// <see cref="IsInsecure"/> allows (loopback, or listed by the user). Redirects, upload locations and token realms are
    /// chosen by the registry, so they get the same rule as the registry itself.
    /// </summary>
    internal static bool MayRequest(Uri uri, RegistryClientOptions options) =>
        uri.IsAbsoluteUri &&
        (uri.Scheme == Uri.UriSchemeHttps ||
         (uri.Scheme == Uri.UriSchemeHttp && IsInsecure(uri.IsDefaultPort ? uri.Host : $"{uri.Host}:{uri.Port}", options.InsecureRegistries, options.LoopbackIsInsecure)));

    private static string HostOf(string registry)
    {
        if (registry.StartsWith('['))
        {
            var close = registry.IndexOf(']', StringComparison.Ordinal);
            return close > 0 ? registry[..(close + 1)] : registry;
        }

        var colon = registry.IndexOf(':', StringComparison.Ordinal);
        return colon >= 0 && registry.IndexOf(':', colon + 1) < 0 ? registry[..colon] : registry;
    }

    private static bool HasPort(string registry) => !string.Equals(HostOf(registry), registry, StringComparison.Ordinal);
}

using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Mooring.Oci.References;

/// <summary>
/// A parsed image or plugin reference: <c>registry[:port]/repository[:tag][@digest]</c>, with Docker Hub defaults
/// (<c>docker.io</c>, the <c>library/</c> prefix for single-component names, and <c>latest</c> when no tag or digest is given).
/// </summary>
/// <remarks>The one implementation of Docker's reference grammar (distribution/reference) in Mooring: the MSBuild tasks
/// check <c>PluginName</c>, <c>PluginRepository</c> and <c>PluginTag</c> with it (sdk/Mooring.Build/Docker/PluginNames.cs,
/// sdk/Mooring.Build/Push/PushSettings.cs) instead of a grammar of their own.</remarks>
public sealed partial record ImageReference
{
    /// <summary>The registry name used when a reference has no registry part.</summary>
    public const string DockerHub = "docker.io";

    /// <summary>The host that actually serves the Docker Hub registry API.</summary>
    public const string DockerHubApiHost = "registry-1.docker.io";

    /// <summary>How a tag is written, for messages: what <see cref="IsValidTag"/> accepts.</summary>
    internal const string TagRule = "use up to 128 letters, digits, '_', '.' or '-', not starting with '.' or '-'";

    /// <summary>How a repository path component is written, for messages: what <see cref="IsValidRepository"/> accepts in
    /// each '/'-separated part.</summary>
    internal const string PathComponentRule = "lowercase letters and digits, optionally separated by '.', '_', '__' or '-'";

    private const int MaxNameLength = 255;

    private ImageReference(string registry, string repository, string? tag, string? digest)
    {
        Registry = registry;
        Repository = repository;
        Tag = tag;
        Digest = digest;
    }

    /// <summary>The registry as written (<c>host</c> or <c>host:port</c>), or <c>docker.io</c> when it was omitted.</summary>
    public string Registry { get; }

    /// <summary>The repository path inside the registry, for example <c>library/alpine</c> or <c>team/plugin</c>.</summary>
    public string Repository { get; }

    /// <summary>The tag, or <see langword="null"/> when none was written.</summary>
    public string? Tag { get; }

    /// <summary>The digest (<c>sha256:…</c>), or <see langword="null"/> when none was written.</summary>
    public string? Digest { get; }

    /// <summary>
    /// The host (and port) to send registry API requests to: <see cref="Registry"/>, except that Docker Hub maps to
    /// <c>registry-1.docker.io</c>.
    /// </summary>
    public string RegistryHost => IsDockerHub(Registry) ? DockerHubApiHost : Registry;

    /// <summary>What to put after <c>/manifests/</c>: the digest when there is one, else the tag, else <c>latest</c>.</summary>
    public string ManifestReference => Digest ?? Tag ?? "latest";

    /// <summary>Returns the same repository with another tag and no digest.</summary>
    /// <param name="tag">The new tag; it must be a valid tag.</param>
    public ImageReference WithTag(string tag)
    {
        if (!IsValidTag(tag))
        {
            throw new FormatException($"'{tag}' is not a valid tag: {TagRule}.");
        }

        return new ImageReference(Registry, Repository, tag, null);
    }

    /// <summary>Returns the same repository pinned to a digest (the tag, if any, is kept for display).</summary>
    /// <param name="digest">A <c>sha256:</c> digest.</param>
    public ImageReference WithDigest(string digest)
    {
        if (!DigestPattern().IsMatch(digest))
        {
            throw new FormatException($"'{digest}' is not a valid digest: expected 'sha256:' followed by 64 lowercase hex characters.");
        }

        return new ImageReference(Registry, Repository, Tag, digest);
    }

    /// <summary>Parses a reference, applying Docker Hub defaults.</summary>
    /// <param name="reference">The text, for example <c>127.0.0.1:5000/team/plugin:1.0</c> or <c>alpine</c>.</param>
    /// <returns>The parsed reference.</returns>
    /// <exception cref="FormatException">The text is not a valid reference; the message names the part that is wrong.</exception>
    public static ImageReference Parse(string reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        return TryParse(reference, out var result, out var error) ? result : throw new FormatException(error);
    }

    /// <summary>Parses a reference without throwing.</summary>
    /// <param name="reference">The text to parse.</param>
    /// <param name="result">The parsed reference when the method returns <see langword="true"/>.</param>
    /// <param name="error">Why the text is invalid when the method returns <see langword="false"/>.</param>
    /// <returns>Whether the text is a valid reference.</returns>
    public static bool TryParse(string? reference, [NotNullWhen(true)] out ImageReference? result, [NotNullWhen(false)] out string? error)
    {
        result = null;
        if (string.IsNullOrWhiteSpace(reference))
        {
            error = "The image reference is empty.";
            return false;
        }

        if (reference.Trim() != reference || reference.Any(char.IsWhiteSpace))
        {
            error = $"The image reference '{reference}' contains whitespace.";
            return false;
        }

        var rest = reference;
        string? digest = null;
        var at = rest.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            digest = rest[(at + 1)..];
            rest = rest[..at];
            if (!DigestPattern().IsMatch(digest))
            {
                error = $"The digest '{digest}' in '{reference}' is not valid: expected 'sha256:' followed by 64 lowercase hex characters.";
                return false;
            }
        }

        string? tag = null;
        var lastColon = rest.LastIndexOf(':');
        var lastSlash = rest.LastIndexOf('/');
        if (lastColon > lastSlash)
        {
            tag = rest[(lastColon + 1)..];
            rest = rest[..lastColon];
            if (!IsValidTag(tag))
            {
                error = $"The tag '{tag}' in '{reference}' is not valid: {TagRule}.";
                return false;
            }
        }

        var registry = DockerHub;
        var repository = rest;
        var firstSlash = rest.IndexOf('/', StringComparison.Ordinal);
        if (firstSlash > 0)
        {
            var first = rest[..firstSlash];
            // Same rule as Docker: the first component is a registry only if it looks like a host.
            if (first.Contains('.', StringComparison.Ordinal) || first.Contains(':', StringComparison.Ordinal) || first == "localhost")
            {
                registry = first;
                repository = rest[(firstSlash + 1)..];
                if (!IsValidRegistry(registry, out error))
                {
                    error = $"The registry '{registry}' in '{reference}' is not valid: {error}";
                    return false;
                }
            }
        }

        if (registry == "index.docker.io")
        {
            registry = DockerHub;
        }

        if (repository.Length == 0)
        {
            error = $"The image reference '{reference}' has no repository name.";
            return false;
        }

        if (repository.Any(char.IsUpper))
        {
            error = $"The repository '{repository}' in '{reference}' must be lowercase.";
            return false;
        }

        foreach (var component in repository.Split('/'))
        {
            if (!PathComponentPattern().IsMatch(component))
            {
                error = $"The repository '{repository}' in '{reference}' is not valid: the part '{component}' must be {PathComponentRule}.";
                return false;
            }
        }

        if (IsDockerHub(registry) && !repository.Contains('/', StringComparison.Ordinal))
        {
            repository = "library/" + repository;
        }

        if (registry.Length + 1 + repository.Length > MaxNameLength)
        {
            error = $"The name '{registry}/{repository}' is longer than {MaxNameLength} characters.";
            return false;
        }

        result = new ImageReference(registry, repository, tag, digest);
        error = null;
        return true;
    }

    /// <summary>The canonical text: <c>registry/repository[:tag][@digest]</c>.</summary>
    public override string ToString() =>
        $"{Registry}/{Repository}{(Tag is null ? "" : ":" + Tag)}{(Digest is null ? "" : "@" + Digest)}";

    /// <summary>Whether <paramref name="tag"/> is a tag: see <see cref="TagRule"/>.</summary>
    internal static bool IsValidTag(string tag) => TagPattern().IsMatch(tag);

    /// <summary>Whether <paramref name="repository"/> is a repository path without registry, tag or digest
    /// (<c>acme/volumes</c>): '/'-separated components, each as <see cref="PathComponentRule"/> says.</summary>
    internal static bool IsValidRepository(string repository) =>
        repository.Split('/').All(component => PathComponentPattern().IsMatch(component));

    /// <summary>
    /// The repository path component nearest to <paramref name="name"/> (a project name, say), or "" when nothing of it
    /// fits: lower case; '.', '_' and '-' kept, one at a time; anything else becomes '-'; no separator at either end.
    /// What it returns always satisfies <see cref="PathComponentRule"/>.
    /// </summary>
    internal static string ToPathComponent(string name)
    {
        var builder = new StringBuilder(name.Length);
        foreach (var c in name.ToLowerInvariant())
        {
            if (c is (>= 'a' and <= 'z') or (>= '0' and <= '9'))
            {
                builder.Append(c);
            }
            else if (builder.Length > 0 && builder[^1] is not ('-' or '.' or '_'))
            {
                builder.Append(c is '.' or '_' ? c : '-');
            }
        }

        return builder.ToString().TrimEnd('-', '.', '_');
    }

    /// <summary>
    /// <paramref name="text"/> made fit for the start of a tag (a project version, say): characters a tag cannot hold
    /// become '-', leading '.' and '-' go, and it is cut to <paramref name="maxLength"/>. Empty when nothing is left.
    /// </summary>
    internal static string ToTagPrefix(string text, int maxLength)
    {
        var kept = new string(text.Select(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-' ? c : '-').ToArray()).TrimStart('.', '-');
        return kept[..Math.Min(kept.Length, maxLength)];
    }

    internal static bool IsDockerHub(string registry) =>
        registry is DockerHub or "index.docker.io" or DockerHubApiHost;

    private static bool IsValidRegistry(string registry, out string? error)
    {
        var host = registry;
        string? port = null;
        if (registry.StartsWith('['))
        {
            var close = registry.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                error = "an IPv6 address must be closed with ']'.";
                return false;
            }

            host = registry[..(close + 1)];
            var after = registry[(close + 1)..];
            if (after.Length > 0)
            {
                if (after[0] != ':')
                {
                    error = "expected ':port' after the IPv6 address.";
                    return false;
                }

                port = after[1..];
            }

            if (!System.Net.IPAddress.TryParse(host[1..^1], out _))
            {
                error = $"'{host}' is not an IPv6 address.";
                return false;
            }
        }
        else
        {
            var colon = registry.IndexOf(':', StringComparison.Ordinal);
            if (colon >= 0)
            {
                host = registry[..colon];
                port = registry[(colon + 1)..];
            }

            if (!HostPattern().IsMatch(host))
            {
                error = $"'{host}' is not a valid host name.";
                return false;
            }
        }

        if (port is not null &&
            (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var p) || p is < 1 or > 65535))
        {
            error = $"the port '{port}' must be a number from 1 to 65535.";
            return false;
        }

        error = null;
        return true;
    }

    [GeneratedRegex("^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex PathComponentPattern();

    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$", RegexOptions.CultureInvariant)]
    private static partial Regex TagPattern();

    [GeneratedRegex("^sha256:[a-f0-9]{64}$", RegexOptions.CultureInvariant)]
    internal static partial Regex DigestPattern();

    [GeneratedRegex("^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)(?:\\.(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?))*$", RegexOptions.CultureInvariant)]
    private static partial Regex HostPattern();
}

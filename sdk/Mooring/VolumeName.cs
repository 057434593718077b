using System.Diagnostics.CodeAnalysis;
using System.Text;
using Mooring.State;

namespace Mooring;

/// <summary>
/// The volume-name rules Mooring enforces before a driver is called. dockerd does not validate names for plugin
/// drivers, so <c>..</c>, <c>a/b</c> or a NUL byte can reach a plugin; these rules make a name safe to use as one
/// path segment. Drivers and stores that build paths from names call <see cref="Validate"/> as well.
/// </summary>
public static class VolumeName
{
    /// <summary>The longest name accepted, in UTF-8 bytes (the usual file-name limit, NAME_MAX).</summary>
    public const int MaxLengthInBytes = 255;

    // Long names are shortened in messages so that an error stays readable in the docker CLI.
    private const int MaxCharsInMessage = 40;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Whether <paramref name="name"/> is a valid volume name.</summary>
    /// <param name="name">The name to check.</param>
    /// <returns><see langword="true"/> when the name is non-empty, not <c>.</c> or <c>..</c>, not <c>.mooring</c> in any
    /// case (the SDK's state folder under the data root), contains no <c>/</c> and no NUL, and is at most
    /// <see cref="MaxLengthInBytes"/> UTF-8 bytes long.</returns>
    public static bool IsValid([NotNullWhen(true)] string? name) => GetProblem(name) is null;

    /// <summary>Explains why <paramref name="name"/> is not a valid volume name.</summary>
    /// <param name="name">The name to check.</param>
    /// <param name="error">The message, e.g. <c>invalid volume name 'a/b': it must not contain '/'</c>.</param>
    /// <returns><see langword="true"/> when the name is valid.</returns>
    public static bool TryValidate([NotNullWhen(true)] string? name, [NotNullWhen(false)] out string? error)
    {
        var problem = GetProblem(name);
        error = problem is null ? null : FormatError(name, problem);
        return problem is null;
    }

    /// <summary>Throws when <paramref name="name"/> is not a valid volume name.</summary>
    /// <param name="name">The name to check.</param>
    /// <exception cref="VolumeDriverException">The name is invalid; the message names it and says why.</exception>
    public static void Validate([NotNull] string? name)
    {
        if (!TryValidate(name, out var error))
        {
            throw new VolumeDriverException(error);
        }
    }

    private static string? GetProblem(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return "it must not be empty";
        }

        if (name is "." or "..")
        {
            return "'.' and '..' are not allowed";
        }

        // Ignoring case because on a case-folding file system (a Samba or exFAT data root…) ".MOORING" is the same folder.
        if (string.Equals(name, StateDirectory.RootName, StringComparison.OrdinalIgnoreCase))
        {
            return $"'{StateDirectory.RootName}' is reserved for the state the SDK keeps under the data root";
        }

        if (name.Contains('/', StringComparison.Ordinal))
        {
            return "it must not contain '/'";
        }

        if (name.Contains('\0', StringComparison.Ordinal))
        {
            return "it must not contain a NUL character";
        }

        // Cheap upper bound first: a UTF-16 char is at most 3 UTF-8 bytes. Surrogates need the strict count, which
        // also rejects a lone surrogate (JSON can carry one as "\ud800"; no file system can store it).
        if (name.Length * 3 > MaxLengthInBytes || name.AsSpan().ContainsAnyInRange('\uD800', '\uDFFF'))
        {
            int bytes;
            try
            {
                bytes = StrictUtf8.GetByteCount(name);
            }
            catch (EncoderFallbackException)
            {
                return "it is not valid Unicode (it contains a lone surrogate)";
            }

            if (bytes > MaxLengthInBytes)
            {
                return $"it is {bytes} bytes long in UTF-8, the limit is {MaxLengthInBytes}";
            }
        }

        return null;
    }

    private static string FormatError(string? name, string problem)
    {
        if (string.IsNullOrEmpty(name))
        {
            return $"invalid volume name: {problem}";
        }

        var shown = name.Length > MaxCharsInMessage ? string.Concat(name.AsSpan(0, MaxCharsInMessage), "…") : name;
        return $"invalid volume name '{shown.Replace("\0", "\\0", StringComparison.Ordinal)}': {problem}";
    }
}

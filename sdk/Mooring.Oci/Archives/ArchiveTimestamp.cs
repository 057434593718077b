using System.Globalization;

namespace Mooring.Oci.Archives;

/// <summary>The modification time written into every archive entry, so that the same input always gives the same bytes.</summary>
public static class ArchiveTimestamp
{
    /// <summary>The environment variable of the reproducible-builds convention.</summary>
    public const string SourceDateEpochVariable = "SOURCE_DATE_EPOCH";

    /// <summary>
    /// <c>SOURCE_DATE_EPOCH</c> (seconds since 1970) when set, else 1970-01-01T00:00:00Z.
    /// </summary>
    /// <param name="environmentReader">Reads environment variables; <see langword="null"/> for the process environment.</param>
    /// <exception cref="FormatException"><c>SOURCE_DATE_EPOCH</c> is set but is not a non-negative whole number of seconds.</exception>
    public static DateTimeOffset Resolve(Func<string, string?>? environmentReader = null)
    {
        var value = (environmentReader ?? Environment.GetEnvironmentVariable)(SourceDateEpochVariable);
        if (string.IsNullOrWhiteSpace(value))
        {
            return DateTimeOffset.UnixEpoch;
        }

        if (!long.TryParse(value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds > 8_589_934_591)
        {
            // 8^11 - 1: the largest time an 11-digit octal ustar field holds.
            throw new FormatException($"{SourceDateEpochVariable}='{value}' is not a whole number of seconds since 1970 (0 to 8589934591).");
        }

        return DateTimeOffset.FromUnixTimeSeconds(seconds);
    }
}

using System.ComponentModel;

namespace Mooring.Options;

/// <summary>
/// Parsers used by generated option and settings binders. Each throws <see cref="VolumeOptionException"/> with a
/// message that starts with the <c>subject</c> argument, e.g. <c>volume 'x': option 'size' must be a byte size such as
/// 512m or 10g, got 'abc'</c>.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class OptionParsers
{
    /// <summary>Parses a 32-bit integer.</summary>
    public static int ParseInt32(string value, string subject) => throw new NotImplementedException();

    /// <summary>Parses a 64-bit integer.</summary>
    public static long ParseInt64(string value, string subject) => throw new NotImplementedException();

    /// <summary>Parses true/false/1/0/yes/no/on/off (case-insensitive).</summary>
    public static bool ParseBoolean(string value, string subject) => throw new NotImplementedException();

    /// <summary>Parses 100ms, 30s, 5m, 2h, 1d or a .NET TimeSpan such as 00:01:00.</summary>
    public static TimeSpan ParseTimeSpan(string value, string subject) => throw new NotImplementedException();

    /// <summary>Parses a byte size such as 4096, 512k, 512m, 10g, 1t (binary units; optional b/ib suffix).</summary>
    public static ByteSize ParseByteSize(string value, string subject) => throw new NotImplementedException();
}

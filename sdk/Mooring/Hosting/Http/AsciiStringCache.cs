namespace Mooring.Hosting.Http;

/// <summary>The last few short ASCII strings a connection received (its paths), so that a path dockerd sends again and
/// again costs no allocation. One per connection: no locking, and nothing one client sends can fill another's.</summary>
internal sealed class AsciiStringCache
{
    private const int MaxCachedLength = 64;

    private readonly string[] _entries = new string[8];
    private int _next;

    /// <summary>The string for <paramref name="ascii"/>, from the cache when it was seen lately.</summary>
    /// <param name="ascii">Bytes in 0x21-0x7E (the caller has checked).</param>
    /// <returns>The string.</returns>
    public string Get(ReadOnlySpan<byte> ascii)
    {
        foreach (var entry in _entries)
        {
            if (entry is not null && System.Text.Ascii.Equals(ascii, entry))
            {
                return entry;
            }
        }

        var created = System.Text.Encoding.ASCII.GetString(ascii);
        if (ascii.Length <= MaxCachedLength)
        {
            _entries[_next] = created;
            _next = (_next + 1) % _entries.Length;
        }

        return created;
    }
}

using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Mooring.Hosting.Metadata;

/// <summary>
/// The <c>Status</c> of a managed volume: the driver's facts (<c>DescribeStatus</c>) and the <c>mounts</c> count
/// Mooring adds, which replaces a fact of that name. A view over the facts rather than a copy of them: every Get and
/// every List entry builds one, and copying the facts into a new dictionary cost more than the rest of the answer.
/// </summary>
/// <param name="facts">What the driver's <c>DescribeStatus</c> returned.</param>
/// <param name="mounts">The volume's counted mounts.</param>
internal sealed class ManagedVolumeStatus(IReadOnlyDictionary<string, string>? facts, int mounts) : IReadOnlyDictionary<string, string>
{
    /// <summary>The key of the mounts count.</summary>
    public const string MountsKey = "mounts";

    // The counts a volume has almost always, formatted once.
    private static readonly string[] SmallCounts = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15"];

    private readonly string _mounts = (uint)mounts < (uint)SmallCounts.Length ? SmallCounts[mounts] : mounts.ToString(CultureInfo.InvariantCulture);

    /// <inheritdoc />
    public int Count => (facts?.Count ?? 0) - (facts?.ContainsKey(MountsKey) == true ? 1 : 0) + 1;

    /// <inheritdoc />
    public IEnumerable<string> Keys
    {
        get
        {
            foreach (var pair in this)
            {
                yield return pair.Key;
            }
        }
    }

    /// <inheritdoc />
    public IEnumerable<string> Values
    {
        get
        {
            foreach (var pair in this)
            {
                yield return pair.Value;
            }
        }
    }

    /// <inheritdoc />
    public string this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"'{key}' is not in the volume's status");

    /// <inheritdoc />
    public bool ContainsKey(string key) => TryGetValue(key, out _);

    /// <inheritdoc />
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out string value)
    {
        if (string.Equals(key, MountsKey, StringComparison.Ordinal))
        {
            value = _mounts;
            return true;
        }

        value = null;
        return facts?.TryGetValue(key, out value) == true;
    }

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<string, string>> GetEnumerator()
    {
        if (facts is not null)
        {
            foreach (var fact in facts)
            {
                if (!string.Equals(fact.Key, MountsKey, StringComparison.Ordinal))
                {
                    yield return fact;
                }
            }
        }

        yield return new(MountsKey, _mounts);
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

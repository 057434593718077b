namespace Mooring;

/// <summary>The few collection operations the runtime needs beyond <see cref="List{T}"/> and <see cref="Array"/>, as
/// loops: LINQ is kept out of plugin binaries (Mooring.csproj), and these share one generic body per shape.</summary>
internal static class ReadOnlyCollections
{
    /// <summary>Each item of <paramref name="source"/> converted, in order.</summary>
    public static TOut[] ConvertAll<TIn, TOut>(this IReadOnlyList<TIn> source, Func<TIn, TOut> convert)
    {
        var result = new TOut[source.Count];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = convert(source[i]);
        }

        return result;
    }

    /// <summary>The items of <paramref name="source"/> that are not <see langword="null"/>, in order (an answer's list
    /// may hold JSON nulls).</summary>
    public static List<T> NonNull<T>(this IReadOnlyList<T?>? source)
        where T : class
    {
        var result = new List<T>(source?.Count ?? 0);
        foreach (var item in source ?? [])
        {
            if (item is not null)
            {
                result.Add(item);
            }
        }

        return result;
    }

    /// <summary>The pairs of <paramref name="map"/> ordered by key, ordinally.</summary>
    public static List<KeyValuePair<string, TValue>> SortedByKey<TValue>(this IReadOnlyDictionary<string, TValue> map)
    {
        var pairs = new List<KeyValuePair<string, TValue>>(map.Count);
        foreach (var pair in map)
        {
            pairs.Add(pair);
        }

        pairs.Sort(static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        return pairs;
    }

    /// <summary>The items of <paramref name="items"/> in a new array, sorted by <paramref name="order"/>. Given a
    /// ConcurrentDictionary's Keys or Values, which are snapshots, the count and the copy agree however it changes.</summary>
    public static T[] ToSortedArray<T>(this ICollection<T> items, Comparison<T> order)
    {
        var sorted = new T[items.Count];
        items.CopyTo(sorted, 0);
        Array.Sort(sorted, order);
        return sorted;
    }

    /// <summary>The sum of the values of <paramref name="counts"/>.</summary>
    public static int Total(this IReadOnlyDictionary<string, int> counts)
    {
        var total = 0;
        foreach (var pair in counts)
        {
            total += pair.Value;
        }

        return total;
    }
}

namespace Mooring.Hosting.Metadata;

/// <summary>The answer of a driver call that returns nothing (Create, Remove, Unmount), so that every endpoint has the
/// shape of <see cref="IVolumeEndpoint{TAnswer}"/>.</summary>
internal readonly struct NoAnswer
{
    /// <summary>A <see cref="ValueTask{TResult}"/> that completes when <paramref name="pending"/> does.</summary>
    /// <remarks>A call that completed synchronously costs nothing. One that did not costs the box of a small state
    /// machine, on top of the driver's own: the price of one shape for all eight endpoints, paid only by I/O that
    /// really waited.</remarks>
    public static ValueTask<NoAnswer> When(ValueTask pending)
    {
        if (pending.IsCompletedSuccessfully)
        {
            pending.GetAwaiter().GetResult(); // releases a pooled IValueTaskSource behind the ValueTask, if any
            return default;
        }

        return AwaitAsync(pending);
    }

    private static async ValueTask<NoAnswer> AwaitAsync(ValueTask pending)
    {
        await pending.ConfigureAwait(false);
        return default;
    }
}

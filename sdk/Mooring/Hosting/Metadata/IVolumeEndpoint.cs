namespace Mooring.Hosting.Metadata;

/// <summary>
/// One VolumeDriver endpoint, in the shape <see cref="VolumeProtocol"/> runs every endpoint through: which fields its
/// request carries, how it calls the driver, and how it writes the driver's answer.
/// </summary>
/// <remarks>
/// Implemented by structs and used as a generic argument, so each endpoint gets its own compiled copy of the shared
/// shape: no delegate, no boxing, no allocation beyond what the endpoint itself needs (issue 11's dispatch budget,
/// measured by bench/Mooring.Benchmarks).
/// </remarks>
/// <typeparam name="TAnswer">What the driver answers.</typeparam>
internal interface IVolumeEndpoint<TAnswer>
{
    /// <summary>The endpoint without its leading slash, as logs and messages name it: <c>VolumeDriver.Get</c>.</summary>
    static abstract string Name { get; }

    /// <summary>The fields its request carries.</summary>
    static abstract RequestFields Fields { get; }

    /// <summary>Calls the driver. May throw synchronously; the caller turns either kind of failure into an answer.</summary>
    ValueTask<TAnswer> CallAsync(in VolumeRequest request, CancellationToken cancellationToken);

    /// <summary>Checks the driver's answer and serialises it.</summary>
    PluginResponse Answer(TAnswer answer, string? volume, PluginContext context);
}

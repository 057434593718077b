using Mooring.TestFixtures;

namespace Mooring.Oci.Tests.Infrastructure;

/// <summary>One anonymous registry shared by the tests of a class; each test uses its own repositories.</summary>
public sealed class AnonymousRegistryFixture : IAsyncLifetime
{
    private PrivateRegistry? _registry;

    public PrivateRegistry Registry => _registry ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync() => _registry = await PrivateRegistry.StartAnonymousAsync();

    public async Task DisposeAsync()
    {
        if (_registry is not null)
        {
            await _registry.DisposeAsync();
        }
    }
}

using Mooring.TestFixtures;

namespace Mooring.Templates.Tests.Infrastructure;

/// <summary>One packed feed and template hive for the whole run (packing four projects is the slow part).</summary>
public sealed class TemplatesFixture : IAsyncLifetime
{
    public TemplateFeed Feed { get; private set; } = null!;

    public async Task InitializeAsync() => Feed = await TemplateFeed.CreateAsync();

    public async Task DisposeAsync()
    {
        if (Feed is not null)
        {
            await Feed.DisposeAsync();
        }
    }

    /// <summary><c>dotnet build -warnaserror</c> in <paramref name="directory"/>, as a user would run it.</summary>
    public static Task<ProcessResult> BuildAsync(string directory, params string[] extra) =>
        DotnetCli.RunAsync(directory, ["build", "-warnaserror", .. extra], timeout: TimeSpan.FromMinutes(15));

    public static Task<ProcessResult> TestAsync(string directory, params string[] extra) =>
        DotnetCli.RunAsync(directory, ["test", .. extra], timeout: TimeSpan.FromMinutes(15));
}

/// <summary>The test classes that need the packed templates; they run one after another (2 cores, big builds).</summary>
[CollectionDefinition(Name)]
public sealed class TemplatesCollection : ICollectionFixture<TemplatesFixture>
{
    public const string Name = "Mooring.Templates package";
}

/// <summary>
/// The push, install and upgrade test, beside <see cref="TemplatesCollection"/> rather than after it, with a template
/// hive of its own: it spends most of its time waiting on a registry, a dockerd and the engine's retries, which leaves
/// the other collection a core (xunit.runner.json lets two collections run at once).
/// </summary>
[CollectionDefinition(Name)]
public sealed class TemplatesDockerCollection : ICollectionFixture<TemplatesFixture>
{
    public const string Name = "Mooring.Templates package, with a registry and a dockerd";
}

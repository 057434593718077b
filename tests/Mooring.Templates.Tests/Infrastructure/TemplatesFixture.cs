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

/// <summary>Every test class that needs the packed templates; they run one after another (2 cores, big builds).</summary>
[CollectionDefinition(Name)]
public sealed class TemplatesCollection : ICollectionFixture<TemplatesFixture>
{
    public const string Name = "Mooring.Templates package";
}

using System.Text.RegularExpressions;
using Mooring.TestFixtures;
using Mooring.Templates.Tests.Infrastructure;

namespace Mooring.Templates.Tests;

/// <summary>Out of the box, a generated solution builds with zero warnings and its tests pass.</summary>
[Collection(TemplatesCollection.Name)]
public sealed partial class GeneratedSolutionTests(TemplatesFixture fixture, ITestOutputHelper output)
{
    [Theory]
    [InlineData("Acme.Volumes")]
    [InlineData("my-plugin", "--plugin-name", "acme-store", "--socket", "acme-store.sock", "--propagated-mount", "/mnt/volumes",
        "--registry", "registry.example:5000", "--repository", "acme/store")]
    public async Task The_generated_solution_builds_without_warnings_and_its_tests_pass(string name, params string[] options)
    {
        var (directory, created) = await fixture.Feed.NewDockerVolumeAsync(name, [.. options, "--skip-restore"]);
        Assert.True(created.Succeeded, created.Output);

        var build = await TemplatesFixture.BuildAsync(directory);
        Assert.True(build.Succeeded, build.Output);
        Assert.Contains(" 0 Warning(s)", build.StandardOutput);

        var test = await TemplatesFixture.TestAsync(directory, "--no-build");
        Assert.True(test.Succeeded, test.Output);
        var (passed, total) = Summary(test);
        output.WriteLine($"{name}: {passed}/{total} generated tests passed");

        // 11 conformance checks (one theory row per VolumeDriverConformance.Checks) + 1 example: a test lost from the
        // template must be noticed.
        Assert.Equal(12, total);
        Assert.Equal(total, passed);
    }

    [Fact]
    public async Task Without_tests_the_plugin_alone_builds_without_warnings()
    {
        var (directory, created) = await fixture.Feed.NewDockerVolumeAsync("Solo.Plugin", "--no-tests", "--skip-restore");
        Assert.True(created.Succeeded, created.Output);

        var build = await TemplatesFixture.BuildAsync(directory);

        Assert.True(build.Succeeded, build.Output);
        Assert.Contains(" 0 Warning(s)", build.StandardOutput);
    }

    private static (int Passed, int Total) Summary(ProcessResult test)
    {
        var match = TestSummary().Match(test.StandardOutput);
        Assert.True(match.Success, "no test summary in:\n" + test.Output);
        return (int.Parse(match.Groups["passed"].Value), int.Parse(match.Groups["total"].Value));
    }

    [GeneratedRegex(@"Passed:\s+(?<passed>\d+),\s+Skipped:\s+\d+,\s+Total:\s+(?<total>\d+)")]
    private static partial Regex TestSummary();
}

using Mooring.Validation;

namespace Mooring.Tests;

public sealed class MountpointRulesTests
{
    [Theory]
    [InlineData("/data/v", "/data")]
    [InlineData("/data/a/b", "/data")]
    [InlineData("/x", "/")]
    public void Paths_strictly_below_the_root_are_accepted(string path, string root) => Assert.Null(MountpointRules.GetProblem(path, root));

    [Theory]
    [InlineData("/data2/v", "/data")]
    [InlineData("/database", "/data")]
    [InlineData("/data", "/data")]
    [InlineData("/", "/")]
    [InlineData("/etc", "/data")]
    [InlineData("/data/../etc", "/data")]
    [InlineData("/data/v/..", "/data")]
    [InlineData("data/v", "/data")]
    [InlineData("", "/data")]
    [InlineData("/data/v\0", "/data")]
    public void Paths_elsewhere_or_not_normalised_are_refused(string path, string root) => Assert.NotNull(MountpointRules.GetProblem(path, root));

    [Theory]
    [InlineData("/data/", "/data")]
    [InlineData("/data/x/..", "/data")]
    [InlineData("/", "/")]
    public void The_root_is_normalised(string configured, string expected) => Assert.Equal(expected, MountpointRules.NormalizeRoot(configured));
}

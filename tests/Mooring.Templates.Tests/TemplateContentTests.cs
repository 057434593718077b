using System.Text.Json;
using System.Text.RegularExpressions;
using Mooring.Templates.Tests.Infrastructure;

namespace Mooring.Templates.Tests;

/// <summary>What `dotnet new dockervolume` writes, checked without building it.</summary>
[Collection(TemplatesCollection.Name)]
public sealed partial class TemplateContentTests(TemplatesFixture fixture)
{
    private TemplateFeed Feed => fixture.Feed;

    [Fact]
    public async Task The_default_tree_matches_the_golden_file_list()
    {
        var (directory, result) = await Feed.NewDockerVolumeAsync("Acme.Volumes", "--no-restore");

        Assert.True(result.Succeeded, result.Output);
        GeneratedTree.AssertMatchesBaseline("dockervolume.default.txt", GeneratedTree.Files(directory));
    }

    [Fact]
    public async Task No_tests_leaves_out_the_test_project_everywhere()
    {
        var (directory, result) = await Feed.NewDockerVolumeAsync("Acme.Volumes", "--no-tests", "--no-restore");

        Assert.True(result.Succeeded, result.Output);
        GeneratedTree.AssertMatchesBaseline("dockervolume.no-tests.txt", GeneratedTree.Files(directory));
        Assert.DoesNotContain("Tests", GeneratedTree.Read(directory, "Acme.Volumes.slnx"));
        Assert.DoesNotContain("dotnet test", GeneratedTree.Read(directory, "README.md"));
    }

    [Theory]
    [InlineData("Acme.Volumes", "Acme.Volumes", "AcmeVolumes", "acme.volumes")]
    [InlineData("my-plugin", "my_plugin", "MyPlugin", "my-plugin")]
    [InlineData("9lives.Cat_Store", "_9lives.Cat_Store", "_9livesCatStore", "9lives.cat_store")]
    public async Task Names_become_valid_CSharp_identifiers_and_valid_docker_names(string name, string expectedNamespace, string typePrefix, string dockerName)
    {
        var (directory, result) = await Feed.NewDockerVolumeAsync(name, "--no-restore");
        Assert.True(result.Succeeded, result.Output);

        // File and folder names keep the name as given; code gets identifiers derived from it.
        var driver = GeneratedTree.Read(directory, $"src/{name}/{typePrefix}Driver.cs");
        Assert.Contains($"namespace {expectedNamespace};", driver);
        Assert.Contains($"public sealed partial class {typePrefix}Driver : IManagedVolumeDriver<{typePrefix}Options>", driver);
        Assert.Contains($"Socket = \"{dockerName}.sock\"", driver);
        Assert.Contains($"namespace {expectedNamespace};", GeneratedTree.Read(directory, $"src/{name}/{typePrefix}Options.cs"));
        Assert.Contains($"namespace {expectedNamespace}.Tests;", GeneratedTree.Read(directory, $"tests/{name}.Tests/ConformanceTests.cs"));
        Assert.Contains($"<Project Path=\"src/{name}/{name}.csproj\" />", GeneratedTree.Read(directory, $"{name}.slnx"));
        Assert.Contains($"<ProjectReference Include=\"../../src/{name}/{name}.csproj\" />", GeneratedTree.Read(directory, $"tests/{name}.Tests/{name}.Tests.csproj"));

        var project = GeneratedTree.Read(directory, $"src/{name}/{name}.csproj");
        Assert.Contains($"<PluginName>{dockerName}</PluginName>", project);
        Assert.Contains($"<PluginRepository>{dockerName}</PluginRepository>", project);
        Assert.Contains("<PluginRegistry>localhost:5000</PluginRegistry>", project);
        Assert.Matches(DockerName(), dockerName);
        Assert.Contains($"--alias {dockerName} localhost:5000/{dockerName}:1.0.0", GeneratedTree.Read(directory, "README.md"));
        AssertNoPlaceholderLeft(directory);
    }

    // dockerd dials /run/docker/plugins/<64-hex id>/<socket>, which leaves 22 bytes for the name (MOOR0005): a long
    // project name gets a default socket name cut to fit, never one the generator would then refuse.
    [Theory]
    [InlineData("Contoso.Storage.Volumes", "ContosoStorageVolumes", "contoso.storage.v.sock")]
    [InlineData("abcdefghijklmnop.qrs", "AbcdefghijklmnopQrs", "abcdefghijklmnop.sock")]
    public async Task A_long_project_name_gets_a_socket_name_that_fits(string name, string typePrefix, string socket)
    {
        var (directory, result) = await Feed.NewDockerVolumeAsync(name, "--no-restore");
        Assert.True(result.Succeeded, result.Output);

        Assert.Contains($"Socket = \"{socket}\"", GeneratedTree.Read(directory, $"src/{name}/{typePrefix}Driver.cs"));
        Assert.Contains($"--socket /tmp/{socket} ", GeneratedTree.Read(directory, $"src/{name}/Properties/launchSettings.json"));
    }

    [Fact]
    public async Task Non_default_parameters_are_written_where_they_belong()
    {
        var (directory, result) = await Feed.NewDockerVolumeAsync("Acme.Volumes",
            "--plugin-name", "Acme_Store", "--socket", "acme-store.sock", "--propagated-mount", "/mnt/volumes",
            "--registry", "registry.example:5000", "--repository", "acme/store", "--no-restore");
        Assert.True(result.Succeeded, result.Output);

        var project = GeneratedTree.Read(directory, "src/Acme.Volumes/Acme.Volumes.csproj");
        Assert.Contains("<PluginName>acme_store</PluginName>", project); // Docker names are lower case
        Assert.Contains("<PluginRegistry>registry.example:5000</PluginRegistry>", project);
        Assert.Contains("<PluginRepository>acme/store</PluginRepository>", project);
        var driver = GeneratedTree.Read(directory, "src/Acme.Volumes/AcmeVolumesDriver.cs");
        Assert.Contains("Socket = \"acme-store.sock\"", driver);
        Assert.Contains("PropagatedMount = \"/mnt/volumes\"", driver);
        var readme = GeneratedTree.Read(directory, "README.md");
        Assert.Contains("docker plugin install --grant-all-permissions --alias acme_store registry.example:5000/acme/store:1.0.0", readme);
        Assert.Contains("docker volume create -d acme_store", readme);
        AssertNoPlaceholderLeft(directory);
    }

    [Fact]
    public async Task The_mooring_version_is_written_once_in_global_json_and_every_reference_follows_it()
    {
        var (directory, result) = await Feed.NewDockerVolumeAsync("Acme.Volumes", "--no-restore");
        Assert.True(result.Succeeded, result.Output);

        // The one place: global.json's msbuild-sdks, at the version packed with the templates.
        using (var globalJson = JsonDocument.Parse(GeneratedTree.Read(directory, "global.json")))
        {
            Assert.Equal(Feed.Version, globalJson.RootElement.GetProperty("msbuild-sdks").GetProperty("Mooring.Sdk").GetString());
        }

        Assert.StartsWith("<Project Sdk=\"Mooring.Sdk\">", GeneratedTree.Read(directory, "src/Acme.Volumes/Acme.Volumes.csproj"));
        var tests = GeneratedTree.Read(directory, "tests/Acme.Volumes.Tests/Acme.Volumes.Tests.csproj");
        Assert.Contains("<PackageReference Include=\"Mooring.Testing\" />", tests);
        Assert.DoesNotContain("Version=", tests, StringComparison.Ordinal);
        var packages = GeneratedTree.Read(directory, "Directory.Packages.props");
        Assert.Contains("<ManagePackageVersionsCentrally>true</ManagePackageVersionsCentrally>", packages);
        Assert.Contains("<PackageVersion Include=\"Mooring.Testing\" Version=\"$(MooringVersion)\" />", packages);
        Assert.DoesNotContain(Feed.Version, packages, StringComparison.Ordinal);
        foreach (var file in GeneratedTree.Files(directory).Where(f => f != "global.json"))
        {
            Assert.False(GeneratedTree.Read(directory, file).Contains(Feed.Version, StringComparison.Ordinal), $"{file} repeats the Mooring version");
        }
    }

    [Fact]
    public async Task Mooring_version_sets_global_json_and_the_old_option_names_are_gone()
    {
        var (directory, result) = await Feed.NewDockerVolumeAsync("Acme.Volumes", "--mooring-version", "9.8.7-pin", "-f", "net10.0", "--no-restore");
        Assert.True(result.Succeeded, result.Output);
        Assert.Contains("\"Mooring.Sdk\": \"9.8.7-pin\"", GeneratedTree.Read(directory, "global.json"));
        Assert.Contains("<TargetFramework>net10.0</TargetFramework>", GeneratedTree.Read(directory, "src/Acme.Volumes/Acme.Volumes.csproj"));

        var (_, longFramework) = await Feed.NewDockerVolumeAsync("Acme.Volumes", "--framework", "net10.0", "--no-restore");
        Assert.True(longFramework.Succeeded, longFramework.Output);
        var (_, otherFramework) = await Feed.NewDockerVolumeAsync("Acme.Volumes", "--framework", "net9.0", "--no-restore");
        Assert.False(otherFramework.Succeeded, otherFramework.Output);
        var (_, sdkVersion) = await Feed.NewDockerVolumeAsync("Acme.Volumes", "--sdk-version", "1.0.0", "--no-restore");
        Assert.False(sdkVersion.Succeeded, sdkVersion.Output);
        var (_, skipRestore) = await Feed.NewDockerVolumeAsync("Acme.Volumes", "--skip-restore");
        Assert.False(skipRestore.Succeeded, skipRestore.Output);
    }

    [Fact]
    public async Task The_launch_profile_runs_the_plugin_without_root_under_tmp()
    {
        var (directory, result) = await Feed.NewDockerVolumeAsync("Acme.Volumes", "--socket", "acme.sock", "--no-restore");
        Assert.True(result.Succeeded, result.Output);

        using var launch = JsonDocument.Parse(GeneratedTree.Read(directory, "src/Acme.Volumes/Properties/launchSettings.json"));
        var profile = Assert.Single(launch.RootElement.GetProperty("profiles").EnumerateObject());
        Assert.Equal("Acme.Volumes", profile.Name);
        Assert.Equal("Project", profile.Value.GetProperty("commandName").GetString());
        Assert.Equal("--socket /tmp/acme.sock --data-root /tmp/acme.volumes-data --log-level debug", profile.Value.GetProperty("commandLineArgs").GetString());
    }

    [Fact]
    public async Task The_restore_post_action_runs_unless_skipped()
    {
        var (restored, withRestore) = await Feed.NewDockerVolumeAsync("Restored.Plugin");
        var (skipped, withoutRestore) = await Feed.NewDockerVolumeAsync("Skipped.Plugin", "--no-restore");

        Assert.True(withRestore.Succeeded, withRestore.Output);
        Assert.True(withoutRestore.Succeeded, withoutRestore.Output);
        Assert.True(File.Exists(Path.Combine(restored, "src/Restored.Plugin/obj/project.assets.json")), withRestore.Output);
        Assert.True(File.Exists(Path.Combine(restored, "tests/Restored.Plugin.Tests/obj/project.assets.json")), withRestore.Output);
        Assert.False(Directory.Exists(Path.Combine(skipped, "src/Skipped.Plugin/obj")));
    }

    private static void AssertNoPlaceholderLeft(string directory)
    {
        foreach (var file in GeneratedTree.Files(directory))
        {
            Assert.DoesNotContain("Template", file, StringComparison.Ordinal);
            var text = GeneratedTree.Read(directory, file);
            foreach (var placeholder in GeneratedTree.Placeholders)
            {
                Assert.False(text.Contains(placeholder, StringComparison.Ordinal), $"{file} still contains '{placeholder}'");
            }
        }
    }

    // A Docker plugin/repository name component: lower case, [a-z0-9._-], starting and ending with a letter or digit.
    [GeneratedRegex("^[a-z0-9]([a-z0-9._-]*[a-z0-9])?$")]
    private static partial Regex DockerName();
}

using Mooring.Build.Docker;
using Mooring.Build.Manifest;
using Mooring.Build.Push;
using Mooring.Oci;
using Mooring.Oci.References;
using Mooring.PluginConfiguration;
using Mooring.Rules;

namespace Mooring.Build.Tests;

/// <summary>
/// The tasks apply the SDK's one copy of each rule: Docker references through <see cref="ImageReference"/>, and the
/// config.json rules of sdk/Common/Rules the generator checks too. A task that grows a grammar of its own again
/// disagrees with a row below.
/// </summary>
public sealed class SharedRulesTests
{
    private static readonly ConfigOverrides Defaults = new() { Entrypoint = ["/app/Acme"], WorkDir = "/app" };

    /// <summary>Plugin names, valid or not by Docker's reference grammar (no digest: docker plugin create takes a tag).</summary>
    public static TheoryData<string, bool> PluginNameTable() => new()
    {
        { "localvolume", true },
        { "acme/volumes:1.0", true },
        { "registry.example:5000/acme/volumes:1.0.0-rc.1", true },
        { "127.0.0.1:5000/a_b/c-d.e", true },
        { "localhost/acme/volumes", true },
        { "[::1]:5000/acme/volumes", true },
        { "a__b/c---d:_tag", true },
        { "", false },
        { "LocalVolume", false },
        { "Acme/volumes", false },
        { "my plugin", false },
        { "acme/volumes@sha256:" + new string('a', 64), false },
        { "-leading", false },
        { "acme//volumes", false },
        { "acme/volumes:.tag", false },
        { "acme/volumes:" + new string('t', 129), false },
        { "registry.example:99999/acme", false },
        { "[::1/acme", false },
        { "registry.example/" + new string('a', 240), false },
    };

    [Theory]
    [MemberData(nameof(PluginNameTable))]
    public void Plugin_names_follow_the_one_reference_grammar(string name, bool valid)
    {
        var parsed = ImageReference.TryParse(name, out var reference, out _) && reference.Digest is null;
        Assert.Equal(valid, parsed);

        if (valid)
        {
            Assert.Equal(name, PluginNames.Validate(name));
        }
        else
        {
            Assert.Equal("MOOR1007", Assert.Throws<OciException>(() => PluginNames.Validate(name)).Code);
        }
    }

    [Theory]
    [InlineData("1.0.0", true)]
    [InlineData("latest", true)]
    [InlineData("_x", true)]
    [InlineData("1.0.0+abc", false)]
    [InlineData(".hidden", false)]
    [InlineData("-rc", false)]
    [InlineData("ü", false)]
    public void Push_tags_follow_the_one_reference_grammar(string tag, bool valid)
    {
        Assert.Equal(valid, ImageReference.TryParse("example.com/acme:" + tag, out _, out _));
        if (valid)
        {
            Assert.Equal([tag], PushSettings.Tags([tag], null));
        }
        else
        {
            Assert.Contains($"'{tag}' is not a valid tag", Assert.Throws<OciException>(() => PushSettings.Tags([tag], null)).Message);
        }
    }

    [Theory]
    [InlineData("acme/localvolume", true)]
    [InlineData("a.b/c_d/e__f/g--h", true)]
    [InlineData("Acme/localvolume", false)]
    [InlineData("acme/", false)]
    [InlineData("acme/-x", false)]
    [InlineData("acme/x_", false)]
    [InlineData("acme/x:1.0", false)]
    public void Push_repositories_follow_the_one_reference_grammar(string repository, bool valid)
    {
        Assert.Equal(valid, ImageReference.TryParse("example.com/" + repository, out var reference, out _) && reference.Tag is null);
        if (valid)
        {
            Assert.Equal(repository, PushSettings.Repository(repository, "project"));
        }
        else
        {
            Assert.Contains("is not a valid repository name", Assert.Throws<OciException>(() => PushSettings.Repository(repository, "project")).Message);
        }
    }

    [Fact]
    public void PluginLinuxCapabilities_accepts_exactly_the_names_the_generator_accepts()
    {
        var config = PluginConfigBuilder.Build(PluginConfigBuilderTests.Manifest, Overrides(capabilities: LinuxCapabilities.All));
        Assert.NotEmpty(config);

        // Well-formed but not a capability: runc would refuse it when the plugin is enabled.
        var error = Assert.Throws<OciException>(() => PluginConfigBuilder.Build(PluginConfigBuilderTests.Manifest, Overrides(capabilities: ["CAP_SYS_ADMN"])));
        Assert.Equal("MOOR1006", error.Code);
        Assert.Contains("'CAP_SYS_ADMN' is not a Linux capability name", error.Message);
    }

    [Fact]
    public void PluginSocket_is_held_to_the_generators_length_limit()
    {
        var fits = new string('s', SocketNames.MaxBytes - 5) + ".sock";
        Assert.NotEmpty(PluginConfigBuilder.Build(PluginConfigBuilderTests.Manifest, Overrides(socket: fits)));

        var error = Assert.Throws<OciException>(() => PluginConfigBuilder.Build(PluginConfigBuilderTests.Manifest, Overrides(socket: "x" + fits)));
        Assert.Equal("MOOR1006", error.Code);
        Assert.Contains($"is {SocketNames.MaxBytes + 1} bytes long", error.Message);
    }

    [Theory]
    [InlineData("LocalDriver", "local.sock")]
    [InlineData("TmpfsVolumeDriver", "tmpfs.sock")]
    [InlineData("Driver", "driver.sock")]
    [InlineData("ContosoStorageVolumesDriver", "contosostoragevol.sock")]
    [InlineData("ÉtéÉtéÉtéÉtéÉtéÉtéDriver", "étéétéétéé.sock")]
    public void The_default_socket_name_comes_from_the_class_name_and_always_fits(string className, string expected)
    {
        var socket = SocketNames.DefaultFor(className);
        Assert.Equal(expected, socket);
        Assert.Null(SocketNames.Problem(socket));
    }

    [Fact]
    public void PluginPropagatedMount_may_not_be_the_root_directory()
    {
        var error = Assert.Throws<OciException>(() => PluginConfigBuilder.Build(PluginConfigBuilderTests.Manifest, Overrides(propagatedMount: "/")));
        Assert.Equal("MOOR1006", error.Code);
        Assert.Contains("PluginPropagatedMount '/'", error.Message);
        Assert.Contains("is the root directory", error.Message);
    }

    [Theory]
    [InlineData("1ST", "starts with a digit")]
    [InlineData("CACHE-SIZE", "contains '-'")]
    [InlineData("A=B", "contains '='")]
    public void PluginEnv_names_follow_the_generators_rule(string name, string problem)
    {
        var error = Assert.Throws<OciException>(() => PluginConfigBuilder.Build(PluginConfigBuilderTests.Manifest, Overrides(env: name)));
        Assert.Equal("MOOR1006", error.Code);
        Assert.Contains($"PluginEnv '{name}' {problem}", error.Message);
    }

    private static ConfigOverrides Overrides(IReadOnlyList<string>? capabilities = null, string? socket = null, string? propagatedMount = null, string? env = null) => new()
    {
        Entrypoint = Defaults.Entrypoint,
        WorkDir = Defaults.WorkDir,
        Capabilities = capabilities,
        Socket = socket,
        PropagatedMount = propagatedMount,
        Env = env is null ? [] : [new PluginConfigEnv { Name = env, Value = "1" }],
    };
}

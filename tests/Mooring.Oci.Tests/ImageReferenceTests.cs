using Mooring.Oci.References;

namespace Mooring.Oci.Tests;

public class ImageReferenceTests
{
    [Theory]
    [InlineData("alpine", "docker.io", "library/alpine", null, null, "registry-1.docker.io")]
    [InlineData("alpine:3.20", "docker.io", "library/alpine", "3.20", null, "registry-1.docker.io")]
    [InlineData("vieux/sshfs", "docker.io", "vieux/sshfs", null, null, "registry-1.docker.io")]
    [InlineData("docker.io/vieux/sshfs:latest", "docker.io", "vieux/sshfs", "latest", null, "registry-1.docker.io")]
    [InlineData("index.docker.io/alpine", "docker.io", "library/alpine", null, null, "registry-1.docker.io")]
    [InlineData("127.0.0.1:5000/team/plugin:1.0", "127.0.0.1:5000", "team/plugin", "1.0", null, "127.0.0.1:5000")]
    [InlineData("localhost/plugin", "localhost", "plugin", null, null, "localhost")]
    [InlineData("localhost:5000/a/b/c", "localhost:5000", "a/b/c", null, null, "localhost:5000")]
    [InlineData("[::1]:5000/plugin:v2", "[::1]:5000", "plugin", "v2", null, "[::1]:5000")]
    [InlineData("ghcr.io/org/my_plugin.x-y:1.0-rc.1", "ghcr.io", "org/my_plugin.x-y", "1.0-rc.1", null, "ghcr.io")]
    [InlineData("registry.example:443/p@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "registry.example:443", "p", null, "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "registry.example:443")]
    [InlineData("r.example/p:t@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "r.example", "p", "t", "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "r.example")]
    public void Parses_valid_references(string text, string registry, string repository, string? tag, string? digest, string host)
    {
        var reference = ImageReference.Parse(text);
        Assert.Equal(registry, reference.Registry);
        Assert.Equal(repository, reference.Repository);
        Assert.Equal(tag, reference.Tag);
        Assert.Equal(digest, reference.Digest);
        Assert.Equal(host, reference.RegistryHost);
    }

    [Fact]
    public void Manifest_reference_prefers_digest_then_tag_then_latest()
    {
        Assert.Equal("latest", ImageReference.Parse("a/b").ManifestReference);
        Assert.Equal("1", ImageReference.Parse("a/b:1").ManifestReference);
        var digest = "sha256:" + new string('a', 64);
        Assert.Equal(digest, ImageReference.Parse("a/b:1@" + digest).ManifestReference);
    }

    [Fact]
    public void ToString_is_canonical_and_round_trips()
    {
        var reference = ImageReference.Parse("alpine:3");
        Assert.Equal("docker.io/library/alpine:3", reference.ToString());
        Assert.Equal(reference, ImageReference.Parse(reference.ToString()));
        Assert.Equal("127.0.0.1:5000/x:2", ImageReference.Parse("127.0.0.1:5000/x:1").WithTag("2").ToString());
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("  ", "empty")]
    [InlineData("a b", "whitespace")]
    [InlineData("Team/Plugin", "lowercase")]
    [InlineData("team//plugin", "part ''")]
    [InlineData("team/-plugin", "'-plugin'")]
    [InlineData("team/plugin:", "tag ''")]
    [InlineData("team/plugin:-bad", "tag '-bad'")]
    [InlineData("team/plugin:a/b", "'plugin:a'")]
    [InlineData("team/plugin@sha256:abc", "digest 'sha256:abc'")]
    [InlineData("team/plugin@md5:0123", "digest")]
    [InlineData("host:99999/p", "port '99999'")]
    [InlineData("host:abc/p", "port 'abc'")]
    [InlineData("bad_host.example/p", "'bad_host.example' is not a valid host")]
    [InlineData("[::1/p", "']'")]
    [InlineData("127.0.0.1:5000/", "no repository")]
    public void Rejects_invalid_references_with_a_message_naming_the_problem(string text, string expected)
    {
        Assert.False(ImageReference.TryParse(text, out var result, out var error));
        Assert.Null(result);
        Assert.Contains(expected, error);
        var e = Assert.Throws<FormatException>(() => ImageReference.Parse(text));
        Assert.Equal(error, e.Message);
    }

    [Fact]
    public void Rejects_names_longer_than_255_characters()
    {
        Assert.False(ImageReference.TryParse("r.example/" + new string('a', 250), out _, out var error));
        Assert.Contains("255", error);
    }

    [Theory]
    [InlineData("1.0", true)]
    [InlineData("_x", true)]
    [InlineData(".x", false)]
    [InlineData("-x", false)]
    [InlineData("a+b", false)]
    [InlineData("", false)]
    public void The_tag_rule_the_tasks_use_is_the_parsers(string tag, bool valid)
    {
        // PushSettings checks PluginTag with IsValidTag; it must judge a tag as Parse does inside a reference.
        Assert.Equal(valid, ImageReference.IsValidTag(tag));
        Assert.Equal(valid, ImageReference.TryParse("r.example/a:" + tag, out _, out _));
    }

    [Theory]
    [InlineData("acme/volumes", true)]
    [InlineData("a__b/c-d.e", true)]
    [InlineData("Acme/volumes", false)]
    [InlineData("acme//volumes", false)]
    [InlineData("acme/", false)]
    [InlineData("", false)]
    public void The_repository_rule_the_tasks_use_is_the_parsers(string repository, bool valid)
    {
        // PushSettings checks PluginRepository with IsValidRepository; it must judge a path as Parse does after the registry.
        Assert.Equal(valid, ImageReference.IsValidRepository(repository));
        Assert.Equal(valid, ImageReference.TryParse("r.example/" + repository, out var reference, out _) && reference.Tag is null);
    }

    [Theory]
    [InlineData("LocalVolume", "localvolume")]
    [InlineData("Acme.Volumes", "acme.volumes")]
    [InlineData("my plugin++v2", "my-plugin-v2")]
    [InlineData("__a..b__", "a.b")]
    [InlineData("Été", "t")]
    [InlineData("+++", "")]
    public void A_name_made_into_a_path_component_is_one(string name, string expected)
    {
        // PushSettings derives PluginRepository from the project name this way.
        var component = ImageReference.ToPathComponent(name);
        Assert.Equal(expected, component);
        Assert.True(component.Length == 0 || ImageReference.IsValidRepository(component));
    }

    [Theory]
    [InlineData("1.0.0", "1.0.0")]
    [InlineData("1.0.0+build.5", "1.0.0-build.5")]
    [InlineData("-.x", "x")]
    [InlineData("ünï", "n-")]
    [InlineData("", "")]
    public void A_version_made_into_a_tag_prefix_starts_a_valid_tag(string version, string expected)
    {
        // PluginUpgradeTag builds <version>-dev.<fingerprint> this way.
        var prefix = ImageReference.ToTagPrefix(version, 100);
        Assert.Equal(expected, prefix);
        Assert.True(ImageReference.IsValidTag((prefix.Length > 0 ? prefix + "-dev." : "dev.") + "0123456789ab"));
        Assert.Equal(100, ImageReference.ToTagPrefix(new string('7', 300), 100).Length);
    }
}

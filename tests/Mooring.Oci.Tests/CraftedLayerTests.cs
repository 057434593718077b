using Mooring.Oci.Tests.Infrastructure;

namespace Mooring.Oci.Tests;

/// <summary>
/// Layers crafted to attack the machine that flattens them. Each test keeps a sibling directory next to the rootfs
/// (files at mode 0600, like a docker config.json) and asserts that nothing in it changed mode, owner or content.
/// </summary>
public sealed class CraftedLayerTests : IDisposable
{
    private const int Setuid0755 = 0b100_111_101_101; // 04755
    private const int Mode0600 = 0b110_000_000;

    private readonly TempDirectory _dir = new("mooring-crafted");
    private readonly IReadOnlyList<string> _outsideBefore;

    public CraftedLayerTests()
    {
        Directory.CreateDirectory(Outside);
        File.WriteAllText(Secret, "registry password");
        File.SetUnixFileMode(Secret, (UnixFileMode)Mode0600);
        File.WriteAllText(Path.Combine(Outside, "b"), "b");
        File.SetUnixFileMode(Path.Combine(Outside, "b"), (UnixFileMode)Mode0600);
        Directory.CreateDirectory(Path.Combine(Outside, "sub"));
        File.SetUnixFileMode(Path.Combine(Outside, "sub"), (UnixFileMode)0b111_000_000);
        _outsideBefore = TreeSnapshot.Take(Outside);
    }

    private string Root => _dir.Combine("root");

    private string Outside => _dir.Combine("outside");

    private string Secret => Path.Combine(Outside, "secret");

    public void Dispose() => _dir.Dispose();

    private void AssertOutsideUnchanged()
    {
        Assert.Equal((UnixFileMode)Mode0600, File.GetUnixFileMode(Secret));
        Assert.Equal(_outsideBefore, TreeSnapshot.Take(Outside));
    }

    private async Task<OciException> RefusedAsync(CraftedLayer layer, string name = "l.tar")
    {
        var e = await Assert.ThrowsAsync<OciException>(() => RootfsFlattener.ApplyLayerAsync(layer.WriteTar(_dir.Combine(name)), Root));
        AssertOutsideUnchanged();
        return e;
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_directory_replaced_by_a_symlink_in_the_same_layer_does_not_pass_its_mode_to_the_target(bool absolute)
    {
        // The exploit: d/ (04755) is created, then replaced by a link; the deferred chmod must not follow it.
        var e = await RefusedAsync(new CraftedLayer()
            .Dir("d/", Setuid0755)
            .Symlink("d", absolute ? Secret : "../outside/secret"));

        Assert.Equal(OciErrorCodes.UnsafeArchive, e.Code);
        Assert.Contains("'d'", e.Message);
    }

    [Fact]
    public async Task A_parent_replaced_by_a_symlink_does_not_pass_a_nested_mode_to_the_target()
    {
        // Nested: only a/b/ is named (a/ is implied); then a becomes a link to the outside directory, which has a 'b'.
        var e = await RefusedAsync(new CraftedLayer()
            .Dir("a/b/", Setuid0755)
            .Symlink("a", Outside));

        Assert.Equal(OciErrorCodes.UnsafeArchive, e.Code);
        Assert.Contains("'a'", e.Message);
    }

    [Theory]
    [InlineData("file-then-dir")]
    [InlineData("dir-then-file")]
    [InlineData("file-then-symlink")]
    [InlineData("symlink-then-dir")]
    public async Task A_layer_that_names_one_path_twice_with_different_types_is_refused(string order)
    {
        var layer = new CraftedLayer();
        _ = order switch
        {
            "file-then-dir" => layer.File("x", "1").Dir("x/"),
            "dir-then-file" => layer.Dir("x/").File("x/inner").File("x", "1"),
            "file-then-symlink" => layer.File("x", "1").Symlink("x", Secret),
            _ => layer.Symlink("x", Outside).Dir("x/"),
        };

        var e = await RefusedAsync(layer, "sha256-0123abcd");

        Assert.Equal(OciErrorCodes.UnsafeArchive, e.Code);
        Assert.Contains("'x'", e.Message);
        Assert.Contains("sha256-0123abcd", e.Message);
        Assert.Contains("twice", e.Message);
    }

    [Fact]
    public async Task Naming_one_path_twice_with_the_same_type_is_fine_and_the_last_entry_wins()
    {
        await RootfsFlattener.ApplyLayerAsync(new CraftedLayer().Dir("d/").Dir("d/", 0b111_000_000).File("f", "1").File("f", "2").WriteTar(_dir.Combine("l.tar")), Root);

        Assert.Equal("2", File.ReadAllText(Path.Combine(Root, "f")));
        Assert.Equal((UnixFileMode)0b111_000_000, File.GetUnixFileMode(Path.Combine(Root, "d")));
        AssertOutsideUnchanged();
    }
}

using Mooring.Build.Rootfs;
using Mooring.Oci;
using Mooring.TestFixtures;

namespace Mooring.Build.Tests;

public sealed class RootfsWriterTests
{
    [Fact]
    public void Writes_files_and_directories_then_a_second_run_changes_nothing()
    {
        using var temp = new TempDirectory();
        var source = temp.Combine("tool");
        File.WriteAllText(source, "#!/bin/sh\n");
        File.SetUnixFileMode(source, (UnixFileMode)0b111_101_101);
        var plan = new RootfsPlan();
        plan.AddFile("/usr/bin/tool", source);
        plan.AddDirectory("/tmp");
        plan.AddDirectory("/run/docker/plugins");
        var rootfs = temp.Combine("rootfs");

        Assert.True(RootfsWriter.Apply(plan, rootfs) > 0);
        var written = new FileInfo(Path.Combine(rootfs, "usr/bin/tool"));
        var stamp = written.LastWriteTimeUtc;

        Assert.Equal("#!/bin/sh\n", File.ReadAllText(written.FullName));
        Assert.Equal(File.GetUnixFileMode(source), written.UnixFileMode);
        Assert.Equal(RootfsPlan.StickyWorldWritable, File.GetUnixFileMode(Path.Combine(rootfs, "tmp")));
        Assert.True(Directory.Exists(Path.Combine(rootfs, "run/docker/plugins")));

        Assert.Equal(0, RootfsWriter.Apply(plan, rootfs));
        Assert.Equal(stamp, new FileInfo(written.FullName).LastWriteTimeUtc);
    }

    [Fact]
    public void Removes_what_the_plan_no_longer_holds_and_replaces_changed_files()
    {
        using var temp = new TempDirectory();
        var a = temp.Combine("a");
        File.WriteAllText(a, "one");
        var rootfs = temp.Combine("rootfs");
        var first = new RootfsPlan();
        first.AddFile("/app/a", a);
        first.AddFile("/app/old", a);
        first.AddDirectory("/gone/deep");
        RootfsWriter.Apply(first, rootfs);
        File.CreateSymbolicLink(Path.Combine(rootfs, "app", "stray-link"), "/etc/passwd");

        File.WriteAllText(a, "two!");
        var second = new RootfsPlan();
        second.AddFile("/app/a", a);
        RootfsWriter.Apply(second, rootfs);

        Assert.Equal("two!", File.ReadAllText(Path.Combine(rootfs, "app/a")));
        Assert.False(File.Exists(Path.Combine(rootfs, "app/old")));
        Assert.False(Directory.Exists(Path.Combine(rootfs, "gone")));
        Assert.False(File.Exists(Path.Combine(rootfs, "app/stray-link")) || new FileInfo(Path.Combine(rootfs, "app/stray-link")).LinkTarget is not null);
    }

    [Fact]
    public void Symbolic_links_are_copied_as_the_files_they_point_to()
    {
        using var temp = new TempDirectory();
        var real = temp.Combine("libx.so.1.2.3");
        File.WriteAllText(real, "library");
        var link = temp.Combine("libx.so.1");
        File.CreateSymbolicLink(link, "libx.so.1.2.3");
        var plan = new RootfsPlan();
        plan.AddFile("/lib/libx.so.1", link);

        RootfsWriter.Apply(plan, temp.Combine("rootfs"));

        var copied = new FileInfo(temp.Combine("rootfs", "lib", "libx.so.1"));
        Assert.Null(copied.LinkTarget);
        Assert.Equal("library", File.ReadAllText(copied.FullName));
    }

    [Theory]
    [InlineData("relative/path")]
    [InlineData("/usr/../../etc/passwd")]
    public void Paths_that_could_escape_the_rootfs_are_refused(string path)
    {
        var error = Assert.Throws<OciException>(() => new RootfsPlan().AddFile(path, "/bin/sh"));
        Assert.Equal("MOOR1012", error.Code);
    }

    [Fact]
    public void Two_sources_for_one_destination_is_a_conflict()
    {
        using var temp = new TempDirectory();
        File.WriteAllText(temp.Combine("x"), "x");
        File.WriteAllText(temp.Combine("y"), "y");
        var plan = new RootfsPlan();
        plan.AddFile("/usr/bin/tool", temp.Combine("x"));

        var error = Assert.Throws<OciException>(() => plan.AddFile("//usr/./bin/tool", temp.Combine("y")));
        Assert.Equal("MOOR1014", error.Code);
        plan.AddFile("/usr/bin/tool", temp.Combine("x"));
    }
}

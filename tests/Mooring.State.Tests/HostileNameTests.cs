namespace Mooring.State.Tests;

public sealed class HostileNameTests : IDisposable
{
    private readonly TempDirectory _outer = new();

    public void Dispose() => _outer.Dispose();

    public static TheoryData<string> HostileNames => new()
    {
        "",
        ".",
        "..",
        "a/b",
        "../escape",
        "../../../../tmp/escape",
        "/etc/passwd",
        "nul\0byte",
        "..\0",
        new string('x', 251),
        new string('x', 256),
        string.Concat(Enumerable.Repeat("é", 126)),
    };

    [Theory]
    [MemberData(nameof(HostileNames))]
    public async Task Hostile_names_are_refused_and_touch_nothing_outside_the_data_root(string name)
    {
        var dataRoot = _outer.Combine("root");
        Directory.CreateDirectory(dataRoot);
        var store = await VolumeStateStore.OpenAsync(dataRoot);
        var ledger = await MountLedger.OpenAsync(dataRoot);
        var before = Snapshot();

        await Assert.ThrowsAsync<VolumeDriverException>(() => store.CreateAsync(new VolumeRecord(name, DateTimeOffset.UnixEpoch)));
        await Assert.ThrowsAsync<VolumeDriverException>(() => store.UpdateAsync(new VolumeRecord(name, DateTimeOffset.UnixEpoch)));
        await Assert.ThrowsAsync<VolumeDriverException>(() => store.DeleteAsync(name));
        await Assert.ThrowsAsync<VolumeDriverException>(() => ledger.AcquireAsync(name, "id"));
        await Assert.ThrowsAsync<VolumeDriverException>(() => ledger.ReleaseAsync(name, "id"));
        await Assert.ThrowsAsync<VolumeDriverException>(() => ledger.ForgetAsync(name));
        Assert.False(store.TryGet(name, out _));
        Assert.Equal(0, ledger.GetTotal(name));

        Assert.Equal(before, Snapshot());
        Assert.Empty((await VolumeStateStore.OpenAsync(dataRoot)).List());
    }

    [Fact]
    public async Task A_name_that_is_not_valid_unicode_is_refused()
    {
        // Not a theory case: xunit would replace the lone surrogate with U+FFFD on the way in.
        var store = await VolumeStateStore.OpenAsync(_outer.Path);

        var ex = await Assert.ThrowsAsync<VolumeDriverException>(() => store.CreateAsync(new VolumeRecord("lone\ud800", DateTimeOffset.UnixEpoch)));

        Assert.Contains("not valid Unicode", ex.Message);
        StateFilesAssert.NothingWritten(store.Directory);
    }

    [Fact]
    public async Task The_error_names_the_problem()
    {
        var store = await VolumeStateStore.OpenAsync(_outer.Path);

        var slash = await Assert.ThrowsAsync<VolumeDriverException>(() => store.CreateAsync(new VolumeRecord("a/b", DateTimeOffset.UnixEpoch)));
        var dots = await Assert.ThrowsAsync<VolumeDriverException>(() => store.CreateAsync(new VolumeRecord("..", DateTimeOffset.UnixEpoch)));
        var nul = await Assert.ThrowsAsync<VolumeDriverException>(() => store.CreateAsync(new VolumeRecord("a\0b", DateTimeOffset.UnixEpoch)));

        Assert.Equal("invalid volume name 'a/b': it must not contain '/'", slash.Message);
        Assert.Contains("'..'", dots.Message);
        Assert.Equal("invalid volume name 'a\\0b': it must not contain a NUL character", nul.Message);
    }

    [Fact]
    public async Task Unusual_but_safe_names_work()
    {
        var store = await VolumeStateStore.OpenAsync(_outer.Path);
        string[] names = ["...", ".hidden", "vol@datastore", "with space", "ünïcødé", "x.tmp", "y.json", new string('z', 250)];

        foreach (var name in names)
        {
            await store.CreateAsync(new VolumeRecord(name, DateTimeOffset.UnixEpoch));
        }

        Assert.Equal(names.Order(StringComparer.Ordinal), (await VolumeStateStore.OpenAsync(_outer.Path)).List().Select(r => r.Name));
    }

    private string[] Snapshot()
        => Directory.EnumerateFileSystemEntries(_outer.Path, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();
}

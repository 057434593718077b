using Mooring.Generators.Tests.Infrastructure;

namespace Mooring.Generators.Tests;

/// <summary>The generated option and settings binders, compiled and run against the real Mooring runtime.</summary>
public sealed class BinderBehaviourTests : IDisposable
{
    private const string Storage = "Acme.Volumes.Storage.StorageDriver";
    private const string Scratch = "ScratchVolumeDriver";
    private const string Nfs = "Acme.Nfs.NfsDriver";

    private readonly LoadedPlugin _storage = Load("FullFeatured");
    private readonly LoadedPlugin _scratch = Load("NoOptionsGlobal");
    private readonly LoadedPlugin _nfs = Load("RequiredOptions");

    public void Dispose()
    {
        _storage.Dispose();
        _scratch.Dispose();
        _nfs.Dispose();
    }

    [Fact]
    public void Every_supported_type_binds_from_its_text()
    {
        var options = _storage.BindOptions(Storage, "v1", new Dictionary<string, string>
        {
            ["size"] = "10g",
            ["max-size"] = "512m",
            ["label"] = "fast",
            ["owner"] = "alice",
            ["uid"] = "1000",
            ["gid"] = "-1",
            ["inodes"] = "9000000000",
            ["blocks"] = "42",
            ["readonly"] = "yes",
            ["sync"] = "false",
            ["tier"] = "ARCHIVE",
            ["fallbackTier"] = "cold",
            ["timeout"] = "1h30m",
            ["retention"] = "2d",
        });

        Assert.Equal(new ByteSize(10L << 30), LoadedPlugin.Property(options, "Size"));
        Assert.Equal(new ByteSize(512L << 20), LoadedPlugin.Property(options, "MaxSize"));
        Assert.Equal("fast", LoadedPlugin.Property(options, "Label"));
        Assert.Equal("alice", LoadedPlugin.Property(options, "Owner"));
        Assert.Equal(1000, LoadedPlugin.Property(options, "Uid"));
        Assert.Equal(-1, LoadedPlugin.Property(options, "Gid"));
        Assert.Equal(9_000_000_000L, LoadedPlugin.Property(options, "Inodes"));
        Assert.Equal(42L, LoadedPlugin.Property(options, "Blocks"));
        Assert.Equal(true, LoadedPlugin.Property(options, "ReadOnly"));
        Assert.Equal(false, LoadedPlugin.Property(options, "Sync"));
        Assert.Equal("Archive", LoadedPlugin.Property(options, "Tier")!.ToString());
        Assert.Equal("Cold", LoadedPlugin.Property(options, "FallbackTier")!.ToString());
        Assert.Equal(TimeSpan.FromMinutes(90), LoadedPlugin.Property(options, "Timeout"));
        Assert.Equal(TimeSpan.FromDays(2), LoadedPlugin.Property(options, "Retention"));
    }

    [Fact]
    public void Options_not_given_keep_their_initial_values()
    {
        var options = _storage.BindOptions(Storage, "v1", new Dictionary<string, string> { ["size"] = "1k" });

        Assert.Equal("none", LoadedPlugin.Property(options, "Label"));
        Assert.Null(LoadedPlugin.Property(options, "Owner"));
        Assert.Null(LoadedPlugin.Property(options, "Gid"));
        Assert.Equal("Hot", LoadedPlugin.Property(options, "Tier")!.ToString());
        Assert.Equal(TimeSpan.FromSeconds(30), LoadedPlugin.Property(options, "Timeout"));
    }

    [Fact]
    public void Keys_match_case_insensitively()
    {
        var options = _storage.BindOptions(Storage, "v1", new Dictionary<string, string> { ["SIZE"] = "2k", ["FallBackTier"] = "Hot", ["Max-Size"] = "1m" });

        Assert.Equal(new ByteSize(2048), LoadedPlugin.Property(options, "Size"));
        Assert.Equal("Hot", LoadedPlugin.Property(options, "FallbackTier")!.ToString());
        Assert.Equal(new ByteSize(1 << 20), LoadedPlugin.Property(options, "MaxSize"));
    }

    [Fact]
    public void An_unknown_key_lists_the_known_keys_sorted()
    {
        var error = Assert.Throws<VolumeOptionException>(() => _storage.BindOptions(Storage, "v1", new Dictionary<string, string> { ["size"] = "1g", ["colour"] = "red" }));

        Assert.Equal(
            "volume 'v1': unknown option 'colour' (known: blocks, fallbackTier, gid, inodes, label, max-size, owner, readonly, retention, size, sync, tier, timeout, uid)",
            error.Message);
    }

    [Fact]
    public void A_bad_integer_names_the_volume_the_option_and_the_value()
    {
        var error = Assert.Throws<VolumeOptionException>(() => _storage.BindOptions(Storage, "v1", new Dictionary<string, string> { ["size"] = "1g", ["uid"] = "abc" }));

        Assert.StartsWith("volume 'v1': option 'uid' must be", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("got 'abc'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_byte_size_names_the_volume_the_option_and_the_value()
    {
        var error = Assert.Throws<VolumeOptionException>(() => _storage.BindOptions(Storage, "data", new Dictionary<string, string> { ["size"] = "12q" }));

        Assert.StartsWith("volume 'data': option 'size' must be", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("got '12q'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_enum_value_lists_the_members()
    {
        var error = Assert.Throws<VolumeOptionException>(() => _storage.BindOptions(Storage, "v1", new Dictionary<string, string> { ["size"] = "1g", ["tier"] = "warm" }));

        Assert.Equal("volume 'v1': option 'tier' must be one of hot, cold, archive, got 'warm'", error.Message);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_missing_required_option_is_an_error(bool nullMap)
    {
        var error = Assert.Throws<VolumeOptionException>(() => _storage.BindOptions(Storage, "v1", nullMap ? null : new Dictionary<string, string> { ["uid"] = "1" }));

        Assert.Equal("volume 'v1': missing required option 'size'", error.Message);
    }

    [Fact]
    public void Required_options_are_checked_in_key_order()
    {
        var error = Assert.Throws<VolumeOptionException>(() => _nfs.BindOptions(Nfs, "share1", new Dictionary<string, string> { ["server"] = "nas" }));
        Assert.Equal("volume 'share1': missing required option 'share'", error.Message);

        var options = _nfs.BindOptions(Nfs, "share1", new Dictionary<string, string> { ["server"] = "nas", ["share"] = "/export", ["timeout"] = "5s" });
        Assert.Equal("nas", LoadedPlugin.Property(options, "Server"));
        Assert.Equal("/export", LoadedPlugin.Property(options, "Share"));
        Assert.Equal(TimeSpan.FromSeconds(5), LoadedPlugin.Property(options, "Timeout"));
    }

    [Fact]
    public void A_NoOptions_driver_accepts_nothing_and_rejects_any_key()
    {
        Assert.IsType<NoOptions>(_scratch.BindOptions(Scratch, "v1", null));
        Assert.IsType<NoOptions>(_scratch.BindOptions(Scratch, "v1", new Dictionary<string, string>()));

        var error = Assert.Throws<VolumeOptionException>(() => _scratch.BindOptions(Scratch, "v1", new Dictionary<string, string> { ["size"] = "1g" }));
        Assert.Equal("volume 'v1': unknown option 'size' (this driver takes no options)", error.Message);
    }

    [Fact]
    public void Settings_bind_from_the_environment_with_defaults()
    {
        var settings = _storage.BindSettings(Storage, "BindStorageSettings", new Dictionary<string, string>
        {
            ["STORAGE_ENDPOINT"] = "https://storage.example",
            ["STORAGE_TIER"] = "archive",
            ["STORAGE_GRACE"] = "10s",
        });

        Assert.Equal(false, LoadedPlugin.Property(settings, "Debug"));
        Assert.Equal("https://storage.example", LoadedPlugin.Property(settings, "Endpoint"));
        Assert.Equal("Archive", LoadedPlugin.Property(settings, "Tier")!.ToString());
        Assert.Equal(4, LoadedPlugin.Property(settings, "Workers"));
        Assert.Equal(TimeSpan.FromSeconds(10), LoadedPlugin.Property(settings, "Grace"));

        var debug = _storage.BindSettings(Storage, "BindStorageSettings", new Dictionary<string, string> { ["STORAGE_ENDPOINT"] = "x", ["DEBUG"] = "on", ["STORAGE_WORKERS"] = "16" });
        Assert.Equal(true, LoadedPlugin.Property(debug, "Debug"));
        Assert.Equal(16, LoadedPlugin.Property(debug, "Workers"));
    }

    [Fact]
    public void A_missing_required_setting_and_a_bad_setting_are_errors()
    {
        var missing = Assert.Throws<VolumeOptionException>(() => _storage.BindSettings(Storage, "BindStorageSettings", new Dictionary<string, string>()));
        Assert.Equal("setting 'STORAGE_ENDPOINT' is required", missing.Message);

        var badEnum = Assert.Throws<VolumeOptionException>(() => _storage.BindSettings(Storage, "BindStorageSettings", new Dictionary<string, string> { ["STORAGE_ENDPOINT"] = "x", ["STORAGE_TIER"] = "lukewarm" }));
        Assert.Equal("setting 'STORAGE_TIER' must be one of hot, cold, archive, got 'lukewarm'", badEnum.Message);

        var badInt = Assert.Throws<VolumeOptionException>(() => _storage.BindSettings(Storage, "BindStorageSettings", new Dictionary<string, string> { ["STORAGE_ENDPOINT"] = "x", ["STORAGE_WORKERS"] = "many" }));
        Assert.StartsWith("setting 'STORAGE_WORKERS' must be", badInt.Message, StringComparison.Ordinal);
    }

    private static LoadedPlugin Load(string caseName) =>
        LoadedPlugin.Load(GeneratorHarness.Run(Baseline.Input(caseName)).Compilation);
}

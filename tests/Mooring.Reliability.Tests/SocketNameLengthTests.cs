using System.Text.Json.Nodes;
using Mooring.Rules;
using Mooring.TestFixtures;

namespace Mooring.Reliability.Tests;

/// <summary>
/// The socket-name limit (sdk/Common/Rules/SocketNames.cs, MOOR0005 and MOOR1006) is where a real dockerd stops: it
/// dials <c>/run/docker/plugins/&lt;64-hex id&gt;/&lt;socket&gt;</c>, and Go refuses a unix path of 108 bytes or more
/// (docs/protocol.md, "Socket path"). A name of <see cref="SocketNames.MaxBytes"/> bytes enables and serves; one byte
/// more installs, and then enable fails. The generator and the task refuse such a name, so the plugin is made by hand
/// here: the run's TmpfsVolume publish with another socket in config.json and on its command line.
/// </summary>
[Collection(DockerCollection.Name)]
public sealed class SocketNameLengthTests : IAsyncLifetime
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "mooring-sock-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly List<string> _aliases = [];
    private PrivateDockerd? _dockerd;

    public async Task InitializeAsync()
    {
        if (PrivateDockerd.UnavailableReason() is null)
        {
            Directory.CreateDirectory(_root);
            _dockerd = await PrivateDockerd.StartAsync();
        }
    }

    public async Task DisposeAsync()
    {
        if (_dockerd is not null)
        {
            foreach (var alias in _aliases)
            {
                await _dockerd.RemovePluginAsync(alias);
            }

            await _dockerd.DisposeAsync();
        }

        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [DockerFact]
    public async Task The_longest_accepted_socket_name_is_reachable_and_one_byte_more_is_not()
    {
        var longest = new string('s', SocketNames.MaxBytes - ".sock".Length) + ".sock";
        var fits = await CreateAndEnableAsync("fits", longest);
        Assert.True(fits.Succeeded, fits.Output + "\n--- dockerd log ---\n" + _dockerd!.ReadLog());
        (await _dockerd.DockerAsync("volume", "create", "-d", "fits", "-o", "size=1m", "v")).EnsureSuccess();
        (await _dockerd.DockerAsync("volume", "rm", "v")).EnsureSuccess();

        var tooLong = await CreateAndEnableAsync("toolong", "t" + longest);
        Assert.False(tooLong.Succeeded, "a socket name of " + (SocketNames.MaxBytes + 1) + " bytes was reachable: the limit in SocketNames is too strict\n" + tooLong.Output);
        Assert.Contains("invalid argument", tooLong.Output, StringComparison.Ordinal);
        Assert.Null(SocketNames.Problem(longest));
        Assert.NotNull(SocketNames.Problem("t" + longest));
    }

    private async Task<ProcessResult> CreateAndEnableAsync(string alias, string socket)
    {
        var published = (await PublishedSamples.GetAsync("TmpfsVolume")).PluginDirectory;
        var directory = Path.Combine(_root, alias);
        (await ProcessRunner.RunAsync("cp", ["-a", published, directory])).EnsureSuccess();
        var configPath = Path.Combine(directory, "config.json");
        var config = JsonNode.Parse(await File.ReadAllTextAsync(configPath))!;
        config["interface"]!["socket"] = socket;
        config["entrypoint"]!.AsArray().Add("--socket");
        config["entrypoint"]!.AsArray().Add("/run/docker/plugins/" + socket);
        await File.WriteAllTextAsync(configPath, config.ToJsonString());

        // dockerd refuses a second plugin whose rootfs layer it already holds ("content … already exists").
        await File.WriteAllTextAsync(Path.Combine(directory, "rootfs", "etc", "mooring-test-alias"), alias);

        (await _dockerd!.DockerAsync("plugin", "create", alias, directory)).EnsureSuccess();
        _aliases.Add(alias);
        return await _dockerd.DockerAsync("plugin", "enable", alias);
    }
}

using Mooring.Push.Tests.Infrastructure;
using Mooring.TestFixtures;

namespace Mooring.Push.Tests;

/// <summary>What PluginPush and PluginPack produce, consumed by a real (private) dockerd.</summary>
[Collection(PushCollection.Name)]
public sealed class InstallFromRegistryTests(PushEnvironment env)
{
    private const string Image = "mooring-busybox:latest";

    [DockerFact]
    public async Task The_pushed_plugin_installs_under_an_alias_and_serves_volumes_to_containers()
    {
        var push = await env.PushAsync("-p:PluginRepository=acme/lv-install", "-p:PluginTag=2.0.0");
        Assert.True(push.Process.Succeeded, push.Process.Output);
        var reference = $"{env.Registry.Address}/acme/lv-install:2.0.0";
        var dockerd = await env.GetDockerdAsync();

        // Exactly the command the push printed, with the alias it suggested.
        Assert.Equal($"docker plugin install --alias localvolume {reference}", push.Get("installCommand"));
        var install = await dockerd.DockerAsync("plugin", "install", "--grant-all-permissions", "--alias", "lvpush", reference);
        try
        {
            Assert.True(install.Succeeded, install.Output + "\n--- dockerd log ---\n" + dockerd.ReadLog());
            var inspect = await dockerd.DockerAsync("plugin", "inspect", "--format", "{{.Enabled}} {{.PluginReference}} {{.Config.Interface.Socket}}", "lvpush");
            Assert.Equal($"true {reference} localvolume.sock", inspect.StandardOutput.Trim());

            (await dockerd.DockerAsync("volume", "create", "-d", "lvpush", "-o", "mode=0750", "pushed1")).EnsureSuccess();
            var write = await dockerd.DockerAsync("run", "--rm", "--network", "none", "-v", "pushed1:/m", Image, "sh", "-c", "stat -c '%a' /m && echo from-registry > /m/f");
            Assert.True(write.Succeeded, write.Output + "\n--- dockerd log ---\n" + dockerd.ReadLog());
            Assert.Equal("750", write.StandardOutput.Trim());
            var read = await dockerd.DockerAsync("run", "--rm", "--network", "none", "-v", "pushed1:/m", Image, "cat", "/m/f");
            Assert.Equal("from-registry", read.StandardOutput.Trim());
        }
        finally
        {
            await dockerd.DockerAsync("volume", "rm", "-f", "pushed1");
            await dockerd.RemovePluginAsync("lvpush");
        }
    }

    [DockerFact]
    public async Task The_PluginPack_tar_unpacks_into_a_directory_docker_plugin_create_accepts()
    {
        var output = Path.Combine(env.Feed.Root, "packed-create", "localvolume.tar");
        var pack = await env.RunAsync("PluginPack", ["-p:PluginPackOutput=" + output]);
        Assert.True(pack.Process.Succeeded, pack.Process.Output);
        var dockerd = await env.GetDockerdAsync();

        // The printed recipe: unpack, then docker plugin create.
        var directory = Path.Combine(env.Feed.Root, "packed-create", "plugin");
        Directory.CreateDirectory(directory);
        (await ProcessRunner.RunAsync("tar", ["-xf", output, "-C", directory])).EnsureSuccess();
        var create = await dockerd.DockerAsync("plugin", "create", "packed-lv", directory);
        try
        {
            Assert.True(create.Succeeded, create.Output + "\n--- dockerd log ---\n" + dockerd.ReadLog());
            (await dockerd.DockerAsync("plugin", "enable", "packed-lv")).EnsureSuccess();
            (await dockerd.DockerAsync("volume", "create", "-d", "packed-lv", "packed1")).EnsureSuccess();
            var run = await dockerd.DockerAsync("run", "--rm", "--network", "none", "-v", "packed1:/m", Image, "sh", "-c", "echo ok > /m/f && cat /m/f");
            Assert.Equal("ok", run.StandardOutput.Trim());
        }
        finally
        {
            await dockerd.DockerAsync("volume", "rm", "-f", "packed1");
            await dockerd.RemovePluginAsync("packed-lv");
        }
    }
}

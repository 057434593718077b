using System.Collections.Concurrent;

namespace Mooring.TestFixtures;

/// <summary>
/// A sample of samples/ published with NativeAOT as a plugin directory by eng/publish-test-samples.sh, which writes
/// <c>publish/</c> (PublishDir), <c>plugin/</c> (config.json + rootfs/) and <c>publish.log</c> (the whole -v:n output).
/// </summary>
public sealed record SamplePublish(string Name, string Directory)
{
    /// <summary>The publish output: the native binary, and none of the managed assemblies a NativeAOT publish leaves out.</summary>
    public string PublishDirectory => Path.Combine(Directory, "publish");

    public string Binary => Path.Combine(PublishDirectory, Name);

    /// <summary>The input of <c>docker plugin create</c>: config.json and rootfs/.</summary>
    public string PluginDirectory => Path.Combine(Directory, "plugin");

    /// <summary>
    /// The build folder (ArtifactsPath) the sample was published from, SDK projects included: the repository's own
    /// build folder (eng/publish-test-samples.sh), so a later build of a sample there compiles only what changed. Only
    /// build there once every sample this test process uses is published.
    /// </summary>
    public string ArtifactsPath => RepositoryLayout.Artifacts;

    /// <summary>Everything the publish wrote (stdout and stderr, normal verbosity).</summary>
    public string PublishLog => File.ReadAllText(Path.Combine(Directory, "publish.log"));

    /// <summary>The lines of a publish log that name a warning (the build's " 0 Warning(s)" summary is not one): trim,
    /// AOT, compiler and linker warnings alike.</summary>
    public static string[] WarningLines(string publishLog) => publishLog
        .Split('\n')
        .Where(line => line.Contains("warning", StringComparison.OrdinalIgnoreCase) && !line.Contains(" 0 Warning(s)", StringComparison.Ordinal))
        .ToArray();
}

/// <summary>
/// Each sample published once and shared by every test that only runs it. eng/test.sh publishes LocalVolume,
/// TmpfsVolume and LocalVolume as a static executable before any test project starts (one after the other, so no two
/// NativeAOT compilers ever race on the NuGet cache) and names the folder in <see cref="FolderVariable"/>. Without that variable (a single
/// <c>dotnet test tests/X</c>) the first caller in the test process publishes into a temp folder, deleted at exit.
/// Either way the command is the one in eng/publish-test-samples.sh.
/// </summary>
public static class PublishedSamples
{
    /// <summary>The folder eng/test.sh had eng/publish-test-samples.sh publish into.</summary>
    public const string FolderVariable = "MOORING_PUBLISHED_SAMPLES";

    private static readonly ConcurrentDictionary<string, Lazy<Task<SamplePublish>>> Samples = new(StringComparer.Ordinal);
    private static readonly SemaphoreSlim OnePublishAtATime = new(1, 1);
    private static readonly Lazy<string> OwnRoot = new(CreateOwnRoot);

    /// <summary>samples/<paramref name="name"/> published (at most once per test process, or once per eng/test.sh run).</summary>
    /// <param name="name">The sample, or <c>SAMPLE:VARIANT</c> for one of eng/publish-test-samples.sh's variants of it
    /// (<c>LocalVolume:static</c>: published with PluginStaticExecutable=true).</param>
    /// <param name="cancellationToken">Ends the wait (not the publish, which other tests share).</param>
    public static Task<SamplePublish> GetAsync(string name, CancellationToken cancellationToken = default) =>
        Samples.GetOrAdd(name, n => new Lazy<Task<SamplePublish>>(() => LoadOrPublishAsync(n))).Value.WaitAsync(cancellationToken);

    private static async Task<SamplePublish> LoadOrPublishAsync(string item)
    {
        // The script's naming: SAMPLE into SAMPLE/, SAMPLE:VARIANT into SAMPLE-VARIANT/.
        var sample = item.Split(':')[0];
        var folder = item.Replace(':', '-');
        if (!File.Exists(RepositoryLayout.PathOf("samples", sample, sample + ".csproj")))
        {
            throw new ArgumentException($"There is no sample '{sample}' (samples/{sample}/{sample}.csproj).", nameof(item));
        }

        if (Environment.GetEnvironmentVariable(FolderVariable) is { Length: > 0 } shared)
        {
            // Never publish again behind the run's back: a missing sample means the pre-phase failed, and says so.
            var directory = Path.Combine(shared, folder);
            return File.Exists(Path.Combine(directory, "ok"))
                ? new SamplePublish(sample, directory)
                : throw new InvalidOperationException(
                    $"{FolderVariable} is '{shared}', but it holds no finished publish of {item} (eng/publish-test-samples.sh writes {folder}/ok last); see {Path.Combine(directory, "publish.log")}.");
        }

        // One at a time: the samples share the SDK projects, built in the repository's artifacts/ folder.
        await OnePublishAtATime.WaitAsync();
        try
        {
            var root = OwnRoot.Value;
            var run = await ProcessRunner.RunAsync("bash", [RepositoryLayout.PathOf("eng", "publish-test-samples.sh"), root, item],
                RepositoryLayout.Root, DotnetCli.UserEnvironment(), TimeSpan.FromMinutes(20));
            run.EnsureSuccess();
            return new SamplePublish(sample, Path.Combine(root, folder));
        }
        finally
        {
            OnePublishAtATime.Release();
        }
    }

    private static string CreateOwnRoot()
    {
        var root = Directory.CreateTempSubdirectory("mooring-samples-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => LocalPackages.TryDeleteDirectory(root);
        return root;
    }
}

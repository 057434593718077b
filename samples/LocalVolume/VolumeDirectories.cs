using System.Globalization;
using Microsoft.Extensions.Logging;
using Mooring;
using Mooring.State;

namespace Mooring.Samples.LocalVolume;

/// <summary>
/// The on-disk layout of the volumes' data: <c>volumes/&lt;name&gt;/data</c> under the data root, plus a
/// <c>.staging</c> folder where directories are built before they appear and where they go to be deleted, so a
/// half-built or half-deleted directory never sits under a volume's name.
/// </summary>
internal sealed class VolumeDirectories(string dataRoot)
{
    // Written by the first version of this sample, which kept no state store; such a directory is adopted, not swept.
    private const string LegacyCreatedFile = "created";

    private readonly string _volumes = Path.Combine(dataRoot, "volumes");
    private readonly string _staging = Path.Combine(dataRoot, ".staging");

    public string VolumeOf(string name) => Path.Combine(_volumes, name);

    public string DataOf(string name) => Path.Combine(_volumes, name, "data");

    public void Prepare()
    {
        Directory.CreateDirectory(_volumes);
        Directory.CreateDirectory(_staging);
    }

    /// <summary>Builds <c>volumes/&lt;name&gt;</c> in the staging folder and renames it into place.</summary>
    public async Task CreateAsync(string name, UnixFileMode? mode, int? uid, int? gid, CancellationToken cancellationToken)
    {
        var target = Path.Combine(_volumes, name);
        if (Directory.Exists(target) || File.Exists(target))
        {
            // No record (the caller checked): a Create that crashed before writing its record, never acknowledged.
            await DeleteAsync(name, cancellationToken).ConfigureAwait(false);
        }

        var staging = Path.Combine(_staging, "create-" + Guid.NewGuid().ToString("N"));
        var data = Path.Combine(staging, "data");
        Directory.CreateDirectory(data);
        try
        {
            if (mode is { } unixMode)
            {
                File.SetUnixFileMode(data, unixMode);
            }

            if (uid is not null || gid is not null)
            {
                Native.Chown(data, uid ?? -1, gid ?? -1);
            }

            Directory.Move(staging, target);
        }
        catch
        {
            await SafeDelete.DeleteDirectoryAsync(staging, dataRoot, name, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Moves <c>volumes/&lt;name&gt;</c> out of the way, then deletes it without crossing a mount.</summary>
    public async Task DeleteAsync(string name, CancellationToken cancellationToken)
    {
        var source = Path.Combine(_volumes, name);
        if (!Directory.Exists(source))
        {
            return;
        }

        var trash = Path.Combine(_staging, "remove-" + Guid.NewGuid().ToString("N"));
        Directory.Move(source, trash);
        await SafeDelete.DeleteDirectoryAsync(trash, dataRoot, name, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Start-up clean-up: finishes interrupted deletions, drops directories whose Create never wrote a record, and adopts
    /// directories left by the first version of this sample.
    /// </summary>
    public async Task SweepAsync(VolumeStateStore store, ILogger logger, CancellationToken cancellationToken)
    {
        foreach (var leftover in Directory.EnumerateFileSystemEntries(_staging))
        {
            logger.LogInformation("Deleting {Path}, left by an interrupted Create or Remove", leftover);
            await DeleteQuietlyAsync(leftover, logger, cancellationToken).ConfigureAwait(false);
        }

        foreach (var directory in Directory.EnumerateDirectories(_volumes))
        {
            var name = Path.GetFileName(directory);
            if (store.TryGet(name, out _))
            {
                continue;
            }

            var legacy = Path.Combine(directory, LegacyCreatedFile);
            if (File.Exists(legacy) && VolumeName.TryValidate(name, out _))
            {
                var created = DateTimeOffset.TryParse(await File.ReadAllTextAsync(legacy, cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at)
                    ? at
                    : Directory.GetCreationTimeUtc(directory);
                await store.CreateAsync(new VolumeRecord(name, created), cancellationToken).ConfigureAwait(false);
                logger.LogInformation("Adopted volume {Volume} from the previous on-disk layout", name);
                continue;
            }

            logger.LogWarning("Deleting {Path}: no volume record (a Create interrupted before it was acknowledged)", directory);
            var trash = Path.Combine(_staging, "remove-" + Guid.NewGuid().ToString("N"));
            Directory.Move(directory, trash);
            await DeleteQuietlyAsync(trash, logger, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task DeleteQuietlyAsync(string path, ILogger logger, CancellationToken cancellationToken)
    {
        try
        {
            if (Directory.Exists(path))
            {
                await SafeDelete.DeleteDirectoryAsync(path, dataRoot, null, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                File.Delete(path);
            }
        }
        catch (Exception ex) when (ex is VolumeDriverException or IOException or UnauthorizedAccessException)
        {
            // A leftover that cannot go (e.g. something is mounted in it) must not stop the plugin from serving.
            logger.LogError("Could not delete {Path}: {Error}", path, ex.Message);
        }
    }
}

using System.Runtime.InteropServices;
using Mooring.State;

namespace Mooring;

/// <summary>Applies <see cref="DirectoryVolumeOptions"/> to a volume's data directory.</summary>
public static class DirectoryVolumeOptionsExtensions
{
    /// <summary>
    /// Sets the owner, then the mode, of <see cref="ManagedVolume{TOptions}.DataDirectory"/> from the volume's options
    /// (owner first: changing the owner clears the set-user-ID and set-group-ID bits). Unset options change nothing.
    /// </summary>
    /// <typeparam name="TOptions">The driver's options class.</typeparam>
    /// <param name="volume">The volume being provisioned.</param>
    /// <exception cref="VolumeDriverException">The file system refused; the message names the volume and the cause.</exception>
    public static void ApplyDirectoryOptions<TOptions>(this ManagedVolume<TOptions> volume)
        where TOptions : DirectoryVolumeOptions
    {
        ArgumentNullException.ThrowIfNull(volume);
        var options = volume.Options;
        if (options.Uid is not null || options.Gid is not null)
        {
            if (Libc.ChangeOwnerNoFollow(volume.DataDirectory, options.Uid ?? -1, options.Gid ?? -1) != 0)
            {
                throw new VolumeDriverException(
                    $"volume '{volume.Name}': cannot make {options.Uid ?? -1}:{options.Gid ?? -1} the owner of its directory: {Marshal.GetLastPInvokeErrorMessage()}");
            }
        }

        if (options.Mode is { } mode && !OperatingSystem.IsWindows())
        {
            try
            {
                File.SetUnixFileMode(volume.DataDirectory, mode);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw FileSystemErrors.Describe(volume.Name, "set the mode of its directory", ex);
            }
        }
    }
}

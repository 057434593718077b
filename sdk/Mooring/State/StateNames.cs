using System.Text;

namespace Mooring.State;

/// <summary>
/// The last line of defence between a volume name and a path: the host validates names first, but the state files
/// are built from them, so a name that could escape its directory is refused here too, whatever the caller did.
/// </summary>
internal static class StateNames
{
    /// <summary>The longest name in UTF-8 bytes: a file name is at most 255 bytes and ".json" takes five.</summary>
    public const int MaxBytes = VolumeName.MaxLengthInBytes - 5;

    /// <summary>Throws <see cref="VolumeDriverException"/> unless <paramref name="name"/> is safe as a file name.</summary>
    public static void Validate(string? name)
    {
        var problem = Problem(name);
        if (problem is not null)
        {
            throw new VolumeDriverException(problem);
        }
    }

    /// <summary>Why <paramref name="name"/> cannot name a state file, or <see langword="null"/> when it can.</summary>
    public static string? Problem(string? name)
    {
        if (!VolumeName.TryValidate(name, out var error))
        {
            return error;
        }

        // VolumeName.Validate has already rejected lone surrogates, so this count is exact.
        var bytes = Encoding.UTF8.GetByteCount(name);
        return bytes > MaxBytes
            ? $"invalid volume name '{name[..Math.Min(name.Length, 40)]}…': it is {bytes} bytes long in UTF-8, and the state store keeps names of at most {MaxBytes}"
            : null;
    }

    /// <summary>
    /// <paramref name="directory"/>/<paramref name="name"/><paramref name="extension"/>: always a direct child of
    /// <paramref name="directory"/>, because <see cref="Validate"/> refuses a name that is empty, <c>.</c> or
    /// <c>..</c>, or holds <c>/</c> or NUL, and <c>/</c> is the only separator where the state store runs (Linux: it
    /// syncs and locks through libc). (It is built for every change a checkpoint writes, so it builds one path and
    /// checks nothing twice.)
    /// </summary>
    public static string FileFor(string directory, string name, string extension)
    {
        Validate(name);
        return Path.Join(directory, name + extension);
    }
}

namespace Mooring.TestFixtures;

/// <summary>
/// A new folder under the temp directory, deleted with everything in it on dispose. The default prefix is short because
/// unix socket paths made under it must stay within 107 bytes.
/// </summary>
public sealed class TempDirectory : IDisposable
{
    /// <summary>Creates the folder: <c>/tmp/&lt;prefix&gt;&lt;random&gt;</c>.</summary>
    public TempDirectory(string prefix = "mt-") => Path = Directory.CreateTempSubdirectory(prefix).FullName;

    /// <summary>The folder's absolute path.</summary>
    public string Path { get; }

    /// <summary>A path under the folder.</summary>
    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}

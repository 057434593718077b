using System.Net;
using System.Text;
using Mooring.Oci.Images;
using Mooring.Oci.Manifests;
using Mooring.Oci.References;
using Mooring.Oci.Tests.Infrastructure;
using Mooring.TestFixtures;

namespace Mooring.Oci.Tests;

/// <summary>
/// A registry that serves blobs whose digest is right but whose size is not what the manifest declares: the pull holds
/// every blob to its descriptor, and stops an oversized one at the declared size instead of downloading all of it.
/// </summary>
public sealed class BaseImageDescriptorTests : IDisposable
{
    private readonly TempDirectory _dir = new("mooring-descriptor");

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData(-1000)] // the blob is larger than declared
    [InlineData(+10)]   // the blob is shorter than declared
    public async Task A_layer_that_does_not_match_its_descriptor_size_is_refused(int declaredMinusActual)
    {
        var noise = new byte[1 << 20];
        new Random(5).NextBytes(noise);
        var layer = File.ReadAllBytes(new CraftedLayer().File("payload", noise).WriteGzip(_dir.Combine("l.tar.gz")));
        using var server = Serve(layer, layer.Length + declaredMinusActual);

        var image = ImageReference.Parse($"{server.Address}/evil:1");
        var e = await Assert.ThrowsAsync<OciException>(() => BaseImage.PullAndFlattenAsync(image, _dir.Combine("rootfs")));

        Assert.Equal(OciErrorCodes.DigestMismatch, e.Code);
        Assert.Contains(image.ToString(), e.Message);
        Assert.Contains(Digests.Sha256(layer), e.Message);
        Assert.Contains($"says {layer.Length + declaredMinusActual} bytes", e.Message);
        Assert.False(File.Exists(_dir.Combine("rootfs", "payload")));
    }

    [Fact]
    public async Task A_manifest_without_layer_sizes_is_refused()
    {
        var layer = File.ReadAllBytes(new CraftedLayer().File("payload").WriteGzip(_dir.Combine("l.tar.gz")));
        using var server = Serve(layer, declaredSize: null);

        var e = await Assert.ThrowsAsync<OciException>(() =>
            BaseImage.PullAndFlattenAsync(ImageReference.Parse($"{server.Address}/evil:1"), _dir.Combine("rootfs")));

        Assert.Equal(OciErrorCodes.UnsupportedImage, e.Code);
        Assert.Contains("no valid size", e.Message);
    }

    /// <summary>A one-image registry: the manifest declares <paramref name="declaredSize"/> for the layer (none when null).</summary>
    private static FakeHttpServer Serve(byte[] layer, long? declaredSize)
    {
        var config = "{\"os\":\"linux\",\"architecture\":\"amd64\"}"u8.ToArray();
        var size = declaredSize is { } s ? $",\"size\":{s}" : "";
        var manifest = Encoding.UTF8.GetBytes(
            $$"""{"schemaVersion":2,"mediaType":"{{MediaTypes.DockerManifestV2}}","config":{"mediaType":"{{MediaTypes.DockerImageConfig}}","size":{{config.Length}},"digest":"{{Digests.Sha256(config)}}"},"layers":[{"mediaType":"{{MediaTypes.DockerLayerGzip}}"{{size}},"digest":"{{Digests.Sha256(layer)}}"}]}""");
        return new FakeHttpServer(async ctx =>
        {
            var path = ctx.Request.Url!.AbsolutePath;
            var (body, type) = path switch
            {
                _ when path.EndsWith("/manifests/1", StringComparison.Ordinal) => (manifest, MediaTypes.DockerManifestV2),
                _ when path.EndsWith(Digests.Sha256(config), StringComparison.Ordinal) => (config, "application/octet-stream"),
                _ when path.EndsWith(Digests.Sha256(layer), StringComparison.Ordinal) => (layer, "application/octet-stream"),
                _ => ("{}"u8.ToArray(), "application/json"),
            };
            ctx.Response.StatusCode = (int)HttpStatusCode.OK;
            ctx.Response.ContentType = type;
            ctx.Response.ContentLength64 = body.Length;
            try
            {
                await ctx.Response.OutputStream.WriteAsync(body);
            }
            finally
            {
                ctx.Response.Close();
            }
        });
    }
}

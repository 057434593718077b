namespace Mooring.Oci.Registry;

/// <summary>The registry operation that was running when a <see cref="RegistryException"/> happened.</summary>
public enum RegistryStep
{
    /// <summary>Getting a token from the Bearer realm.</summary>
    Authenticate,

    /// <summary><c>HEAD</c> of a blob, to skip uploads of blobs the registry already has.</summary>
    CheckBlob,

    /// <summary>Cross-repository mount of a blob.</summary>
    MountBlob,

    /// <summary>Starting a blob upload session (<c>POST …/blobs/uploads/</c>).</summary>
    StartUpload,

    /// <summary>Sending blob bytes (<c>PUT</c> or <c>PATCH</c>).</summary>
    UploadBlob,

    /// <summary>Pushing a manifest (<c>PUT …/manifests/…</c>).</summary>
    PushManifest,

    /// <summary>Reading a manifest (<c>GET …/manifests/…</c>).</summary>
    GetManifest,

    /// <summary>Downloading a blob (<c>GET …/blobs/…</c>).</summary>
    GetBlob,
}

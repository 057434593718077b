namespace Mooring.Oci;

/// <summary>
/// Credentials for one registry: a user name and password, or an identity (refresh) token.
/// <see cref="ToString"/> never shows the secret.
/// </summary>
public sealed class RegistryCredentials
{
    /// <summary>Creates user name and password credentials.</summary>
    /// <param name="username">The user name.</param>
    /// <param name="password">The password or access token.</param>
    public RegistryCredentials(string username, string password)
    {
        ArgumentException.ThrowIfNullOrEmpty(username);
        ArgumentNullException.ThrowIfNull(password);
        Username = username;
        Password = password;
    }

    private RegistryCredentials(string identityToken)
    {
        Username = "<token>";
        Password = "";
        IdentityToken = identityToken;
    }

    /// <summary>Creates credentials from an identity token (<c>identitytoken</c> in docker's config.json).</summary>
    /// <param name="identityToken">The refresh token sent to the token service.</param>
    public static RegistryCredentials FromIdentityToken(string identityToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(identityToken);
        return new RegistryCredentials(identityToken);
    }

    /// <summary>The user name (<c>&lt;token&gt;</c> for identity-token credentials).</summary>
    public string Username { get; }

    /// <summary>The password; empty for identity-token credentials.</summary>
    public string Password { get; }

    /// <summary>The identity (refresh) token, if these credentials are one.</summary>
    public string? IdentityToken { get; }

    /// <summary>Where the credentials came from (for example <c>MOORING_REGISTRY_USERNAME</c> or a config.json path), for diagnostics.</summary>
    public string Source { get; init; } = "explicit credentials";

    internal RegistryCredentials WithSource(string source) =>
        IdentityToken is null ? new RegistryCredentials(Username, Password) { Source = source } : new RegistryCredentials(IdentityToken) { Source = source };

    /// <summary>Shows the user name and source only.</summary>
    public override string ToString() => $"{Username} (from {Source})";
}

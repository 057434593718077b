using System.Text;

namespace Mooring.Oci.Auth;

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

    /// <summary>What every redacted secret is replaced with.</summary>
    internal const string Mask = "***";

    /// <summary>Secrets shorter than this are not redacted: replacing every "a" in a message would hide the message, not the secret.</summary>
    internal const int MinRedactedLength = 3;

    /// <summary>
    /// Replaces every form of the secret in <paramref name="text"/> with <c>***</c>: the password or identity token as is,
    /// URL-escaped (as in a query string or form body), and the base64 <c>user:password</c> of a Basic header (padded or not,
    /// standard or URL-safe alphabet). A registry or token service may echo any of them back in an error message.
    /// </summary>
    /// <param name="text">A message that may contain the secret.</param>
    /// <returns>The text without the secret.</returns>
    public string Redact(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var form in SecretForms())
        {
            if (form.Length >= MinRedactedLength)
            {
                text = text.Replace(form, Mask, StringComparison.Ordinal);
            }
        }

        return text;
    }

    /// <summary>The strings that reveal the secret, longest first so a shorter form never leaves part of a longer one.</summary>
    private IEnumerable<string> SecretForms()
    {
        var forms = new List<string>();
        foreach (var secret in new[] { Password, IdentityToken ?? "" })
        {
            if (secret.Length > 0)
            {
                forms.Add(secret);
                forms.Add(Uri.EscapeDataString(secret));
            }
        }

        if (Password.Length > 0)
        {
            var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Username}:{Password}"));
            forms.Add(basic);
            forms.Add(basic.TrimEnd('='));
            forms.Add(basic.TrimEnd('=').Replace('+', '-').Replace('/', '_'));
        }

        return forms.Distinct(StringComparer.Ordinal).OrderByDescending(f => f.Length);
    }

    internal RegistryCredentials WithSource(string source) =>
        IdentityToken is null ? new RegistryCredentials(Username, Password) { Source = source } : new RegistryCredentials(IdentityToken) { Source = source };

    /// <summary>Shows the user name and source only.</summary>
    public override string ToString() => $"{Username} (from {Source})";
}

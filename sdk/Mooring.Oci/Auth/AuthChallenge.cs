namespace Mooring.Oci.Auth;

/// <summary>A parsed <c>WWW-Authenticate</c> challenge: the scheme and its <c>key="value"</c> parameters.</summary>
internal sealed record AuthChallenge(string Scheme, IReadOnlyDictionary<string, string> Parameters)
{
    public bool IsBasic => string.Equals(Scheme, "Basic", StringComparison.OrdinalIgnoreCase);

    public bool IsBearer => string.Equals(Scheme, "Bearer", StringComparison.OrdinalIgnoreCase);

    public string? Get(string name) => Parameters.TryGetValue(name, out var value) ? value : null;

    public static AuthChallenge? From(HttpResponseMessage response)
    {
        AuthChallenge? basic = null;
        foreach (var header in response.Headers.WwwAuthenticate)
        {
            var challenge = new AuthChallenge(header.Scheme, ParseParameters(header.Parameter));
            if (challenge.IsBearer)
            {
                return challenge;
            }

            if (challenge.IsBasic)
            {
                basic = challenge;
            }
        }

        return basic;
    }

    // Values are quoted strings that may contain commas (scope="repository:a:push,pull"), so split by hand.
    internal static Dictionary<string, string> ParseParameters(string? text)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (string.IsNullOrEmpty(text))
        {
            return result;
        }

        var i = 0;
        while (i < text.Length)
        {
            while (i < text.Length && (text[i] == ',' || char.IsWhiteSpace(text[i])))
            {
                i++;
            }

            var eq = text.IndexOf('=', i);
            if (eq < 0)
            {
                break;
            }

            var key = text[i..eq].Trim();
            i = eq + 1;
            string value;
            if (i < text.Length && text[i] == '"')
            {
                var sb = new System.Text.StringBuilder();
                i++;
                while (i < text.Length && text[i] != '"')
                {
                    if (text[i] == '\\' && i + 1 < text.Length)
                    {
                        i++;
                    }

                    sb.Append(text[i]);
                    i++;
                }

                i++;
                value = sb.ToString();
            }
            else
            {
                var comma = text.IndexOf(',', i);
                var end = comma < 0 ? text.Length : comma;
                value = text[i..end].Trim();
                i = end;
            }

            result[key] = value;
        }

        return result;
    }
}

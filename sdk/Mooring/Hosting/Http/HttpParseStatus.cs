namespace Mooring.Hosting.Http;

/// <summary>The outcome of <see cref="HttpHeadParser.TryParse"/>.</summary>
internal enum HttpParseStatus
{
    /// <summary>The head is not complete yet: receive more.</summary>
    Incomplete,

    /// <summary>The head is complete and acceptable.</summary>
    Complete,

    /// <summary>The head is refused; the connection answers and closes.</summary>
    Invalid,
}

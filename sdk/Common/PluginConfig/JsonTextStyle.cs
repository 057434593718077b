namespace Mooring.PluginConfiguration;

/// <summary>How <see cref="JsonText"/> lays out and escapes its text.</summary>
internal enum JsonTextStyle
{
    /// <summary>
    /// No whitespace, ASCII only (<c>\u00e9</c>, lower-case hex): the generator's manifest, which travels through a C#
    /// literal and an attribute blob, so it must survive every encoding it passes through.
    /// </summary>
    Compact,

    /// <summary>
    /// Two-space indents, LF, UTF-8 text escaped exactly as System.Text.Json's <c>Utf8JsonWriter</c> does with
    /// <c>JavaScriptEncoder.UnsafeRelaxedJsonEscaping</c> (which wrote config.json before): an SDK upgrade must not change
    /// the bytes of an unchanged plugin's config.json, or its digest.
    /// </summary>
    Indented,
}

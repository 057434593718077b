namespace Mooring.Rules;

/// <summary>The outcome of parsing an option or setting value with one of the grammars in sdk/Common/Rules.</summary>
internal enum OptionValueStatus
{
    /// <summary>The text is a valid value.</summary>
    Ok,

    /// <summary>The text is not written in the grammar.</summary>
    Malformed,

    /// <summary>The text is written in the grammar but negative, which the kind does not allow.</summary>
    Negative,

    /// <summary>The text is written in the grammar but the value does not fit.</summary>
    Overflow,
}

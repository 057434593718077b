namespace Mooring.Generators.Diagnostics;

/// <summary>
/// Keys of <see cref="Microsoft.CodeAnalysis.Diagnostic.Properties"/> that the analyzer sets for the code fixes
/// (generators/Mooring.CodeFixes): a fix must never re-derive from the message what the analyzer already knows.
/// </summary>
public static class DiagnosticProperties
{
    /// <summary>MOOR0009: the capability name the message suggests (e.g. <c>CAP_SYS_ADMIN</c> for <c>sys_admin</c>).</summary>
    public const string SuggestedCapability = "Mooring.SuggestedCapability";

    /// <summary>
    /// MOOR0004: present (value <c>true</c>) only on the variant about a <c>required</c> property, the one that the
    /// <c>Required = true</c> fix applies to; the other MOOR0004 problems have no mechanical fix.
    /// </summary>
    public const string RequiredKeyword = "Mooring.RequiredKeyword";
}

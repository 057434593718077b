using Microsoft.CodeAnalysis;

namespace Mooring.Generators.Diagnostics;

/// <summary>Every diagnostic Mooring reports at compile time. IDs are stable; see docs/diagnostics.md.</summary>
public static class DiagnosticDescriptors
{
    private const string Category = "Mooring";
    private const string HelpBase = "https://github.com/mooring-sdk/mooring/blob/main/docs/diagnostics.md#";

    /// <summary>MOOR0001: the driver class (or a type it is nested in) is not partial.</summary>
    public static readonly DiagnosticDescriptor NotPartial = Create(
        "MOOR0001",
        "Volume plugin class must be partial",
        "'{0}' must be declared partial so Mooring can generate its dispatcher, option binder and manifest");

    /// <summary>MOOR0002: the driver class does not implement IVolumeDriver&lt;TOptions&gt; exactly once.</summary>
    public static readonly DiagnosticDescriptor NoDriverInterface = Create(
        "MOOR0002",
        "Volume plugin class must implement IVolumeDriver<TOptions> or IManagedVolumeDriver<TOptions>",
        "'{0}' {1}");

    /// <summary>MOOR0003: two options properties bind to the same key.</summary>
    public static readonly DiagnosticDescriptor DuplicateOption = Create(
        "MOOR0003",
        "Duplicate volume option name",
        "Option '{0}' of '{1}' is already bound to property '{2}'; option names are matched case-insensitively and must be unique");

    /// <summary>MOOR0004: an options or settings property cannot be bound.</summary>
    public static readonly DiagnosticDescriptor UnsupportedMember = Create(
        "MOOR0004",
        "Option or setting cannot be bound",
        "{0}");

    /// <summary>MOOR0005: the socket name is not a valid file name.</summary>
    public static readonly DiagnosticDescriptor InvalidSocket = Create(
        "MOOR0005",
        "Invalid plugin socket name",
        "Socket name '{0}' {1}");

    /// <summary>MOOR0006: the propagated mount is not an absolute, normalised path.</summary>
    public static readonly DiagnosticDescriptor InvalidPropagatedMount = Create(
        "MOOR0006",
        "Invalid propagated mount",
        "PropagatedMount '{0}' {1}");

    /// <summary>MOOR0007: an environment variable name is invalid or used twice.</summary>
    public static readonly DiagnosticDescriptor InvalidEnvName = Create(
        "MOOR0007",
        "Invalid plugin environment variable name",
        "Environment variable name '{0}' {1}");

    /// <summary>MOOR0008: a settable mount has no name or no default source.</summary>
    public static readonly DiagnosticDescriptor SettableMount = Create(
        "MOOR0008",
        "Settable mount needs a name and a default source",
        "Settable mount '{0}' {1}");

    /// <summary>MOOR0009: a Linux capability name is not one the kernel knows.</summary>
    public static readonly DiagnosticDescriptor UnknownCapability = Create(
        "MOOR0009",
        "Unknown Linux capability",
        "'{0}' is not a Linux capability{1}");

    /// <summary>MOOR0010: no constructor the generated code can call.</summary>
    public static readonly DiagnosticDescriptor NoUsableConstructor = Create(
        "MOOR0010",
        "No usable driver constructor",
        "'{0}' has no constructor Mooring can call: {1}");

    /// <summary>MOOR0011: more than one [VolumePlugin] class in one assembly.</summary>
    public static readonly DiagnosticDescriptor MultipleDrivers = Create(
        "MOOR0011",
        "More than one volume plugin in the assembly",
        "The assembly declares more than one [VolumePlugin] class ({0}); a plugin binary has exactly one driver");

    /// <summary>MOOR0012: a settable device has no name or no path.</summary>
    public static readonly DiagnosticDescriptor SettableDevice = Create(
        "MOOR0012",
        "Settable device needs a name and a path",
        "Settable device '{0}' {1}");

    /// <summary>MOOR0013: a managed driver declares a low-level operation that Mooring never calls on it.</summary>
    public static readonly DiagnosticDescriptor ManagedOperationNotCalled = Create(
        "MOOR0013",
        "Managed driver declares an operation Mooring does not call",
        "'{0}' implements IManagedVolumeDriver<TOptions>, which never calls '{1}': Mooring answers {2} itself; {3}");

    /// <summary>MOOR0014: a management operation name is not lower-case letters, digits and dashes.</summary>
    public static readonly DiagnosticDescriptor InvalidOperationName = Create(
        "MOOR0014",
        "Invalid management operation name",
        "Operation name '{0}' {1}");

    /// <summary>MOOR0015: two methods declare the same management operation name.</summary>
    public static readonly DiagnosticDescriptor DuplicateOperation = Create(
        "MOOR0015",
        "Duplicate management operation name",
        "Operation '{0}' is already defined by method '{1}'; each operation name is one POST /operations/<name> and must be unique");

    /// <summary>MOOR0016: a [ManagementOperation] method does not have a shape the generated dispatcher can call.</summary>
    public static readonly DiagnosticDescriptor OperationShape = Create(
        "MOOR0016",
        "Management operation method has an unsupported shape",
        "Method '{0}' cannot be a management operation: {1}; declare 'ValueTask<IReadOnlyDictionary<string, string>?> {0}(string volume, TArguments arguments, CancellationToken cancellationToken)', or the same without the volume parameter");

    private static DiagnosticDescriptor Create(string id, string title, string message) =>
        new(id, title, message, Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpBase + id.ToLowerInvariant());
}

using Mooring.Generators.Helpers;

namespace Mooring.Generators.Model;

/// <summary>Everything the emitter needs to know about one driver class; value-equal, no Roslyn objects.</summary>
/// <param name="Namespace">The namespace, empty for the global namespace.</param>
/// <param name="ContainingTypes">Types the driver is nested in, outermost first.</param>
/// <param name="Declaration">The driver's own declaration header, e.g. <c>class LocalDriver</c>.</param>
/// <param name="FullyQualifiedName">The driver type as <c>global::</c>-qualified C#.</param>
/// <param name="HintName">The generated file's hint name.</param>
/// <param name="ManifestJson">The plugin manifest.</param>
/// <param name="SocketName">The socket file name.</param>
/// <param name="PropagatedMount">The propagated mount.</param>
/// <param name="Options">How to bind the Create options.</param>
/// <param name="Constructor">The constructor to call, or null when none is usable.</param>
/// <param name="Settings">The settings classes the constructor takes.</param>
/// <param name="Managed">Whether the driver implements IManagedVolumeDriver (Mooring owns its state) rather than
/// IVolumeDriver.</param>
/// <param name="Operations">The driver-defined management operations that can be generated, ordered by name.</param>
internal sealed record DriverSpec(
    string Namespace,
    EquatableArray<TypeHeader> ContainingTypes,
    TypeHeader Declaration,
    string FullyQualifiedName,
    string HintName,
    string ManifestJson,
    string SocketName,
    string PropagatedMount,
    OptionsSpec Options,
    ConstructorSpec? Constructor,
    EquatableArray<SettingsSpec> Settings,
    bool Managed,
    EquatableArray<OperationSpec> Operations);

/// <summary>A partial type declaration header.</summary>
/// <param name="Keyword">class, struct, record, record struct or interface.</param>
/// <param name="Name">The name with its type parameters, e.g. <c>Outer&lt;T&gt;</c>.</param>
internal sealed record TypeHeader(string Keyword, string Name);

/// <summary>The driver's options class.</summary>
/// <param name="FullyQualifiedName">The options type.</param>
/// <param name="Members">The bound properties, ordered by key.</param>
internal sealed record OptionsSpec(string FullyQualifiedName, EquatableArray<MemberBinding> Members);

/// <summary>A method marked [ManagementOperation], served at <c>POST /operations/&lt;name&gt;</c>.</summary>
/// <param name="Name">The operation's name.</param>
/// <param name="Description">The attribute's description.</param>
/// <param name="MethodName">The driver method to call (escaped if a keyword).</param>
/// <param name="TakesVolume">Whether the method's first parameter is the volume name.</param>
/// <param name="BinderName">The generated binder method of its arguments class.</param>
/// <param name="Arguments">How to bind the arguments class, exactly like an options class.</param>
internal sealed record OperationSpec(string Name, string Description, string MethodName, bool TakesVolume, string BinderName, OptionsSpec Arguments);

/// <summary>A [PluginSettings] class read from the environment.</summary>
/// <param name="FullyQualifiedName">The settings type.</param>
/// <param name="MethodName">The binder method's name.</param>
/// <param name="Members">The [PluginEnv] properties, in declaration order.</param>
/// <param name="Constructible">Whether <c>new T()</c> compiles (MOOR0004 otherwise; the binder then throws).</param>
internal sealed record SettingsSpec(string FullyQualifiedName, string MethodName, EquatableArray<MemberBinding> Members, bool Constructible);

/// <summary>One property bound from a string.</summary>
/// <param name="PropertyName">The property.</param>
/// <param name="Key">The option key (lower case) or the environment variable name.</param>
/// <param name="Kind">How to parse the text.</param>
/// <param name="EnumType">The enum type, for <see cref="ValueKind.Enum"/>.</param>
/// <param name="EnumMembers">The enum member names, for <see cref="ValueKind.Enum"/>.</param>
/// <param name="Required">Whether a missing value is an error.</param>
/// <param name="Default">The value used when the variable is unset (settings only).</param>
/// <param name="Description">The documentation (manifest env description).</param>
/// <param name="Settable">Whether <c>docker plugin set</c> may change it (settings only).</param>
internal sealed record MemberBinding(
    string PropertyName,
    string Key,
    ValueKind Kind,
    string EnumType,
    EquatableArray<string> EnumMembers,
    bool Required,
    string? Default,
    string Description,
    bool Settable);

/// <summary>How a string becomes a property value.</summary>
internal enum ValueKind
{
    String,
    Int32,
    Int64,
    Boolean,
    TimeSpan,
    ByteSize,
    UnixFileMode,
    Enum,
}

/// <summary>The driver constructor the generated <c>CreateDriver</c> calls.</summary>
/// <param name="Arguments">One entry per parameter.</param>
internal sealed record ConstructorSpec(EquatableArray<ConstructorArgument> Arguments);

/// <summary>What to pass for one constructor parameter.</summary>
/// <param name="Kind">The kind of service.</param>
/// <param name="Detail">The settings binder method for <see cref="ArgumentKind.Settings"/>; the logger category type
/// for <see cref="ArgumentKind.Logger"/>.</param>
internal sealed record ConstructorArgument(ArgumentKind Kind, string Detail);

/// <summary>The services a driver constructor may ask for.</summary>
internal enum ArgumentKind
{
    Context,
    Settings,
    Logger,
    LoggerFactory,
}

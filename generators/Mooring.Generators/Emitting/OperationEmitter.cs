using System.Linq;
using Mooring.Generators.Helpers;
using Mooring.Generators.Model;

namespace Mooring.Generators.Emitting;

/// <summary>
/// Writes what the management socket's driver-defined operations need: a binder per arguments class (the options
/// binder, with <c>operation 'x': argument 'k'</c> messages), and the dispatcher's <c>Operations</c> list and
/// <c>InvokeOperationAsync</c> switch, which hands each name to <c>OperationProtocol</c> with static lambdas (no
/// reflection, no per-request closure).
/// </summary>
internal static class OperationEmitter
{
    /// <summary>The dispatcher field holding the author's class when <c>_driver</c> is the managed wrapper.</summary>
    public const string ManagedAuthorField = "_operations";

    private const string Management = "global::Mooring.Hosting.Management";
    private const string Dictionary = "global::System.Collections.Generic.IReadOnlyDictionary<string, string>";

    public static void EmitArgumentsBinder(CodeWriter w, OperationSpec operation) =>
        SourceEmitter.EmitKeyValueBinder(
            w,
            operation.Arguments,
            $"/// <summary>Binds the arguments of management operation <c>{Xml(operation.Name)}</c>; throws <see cref=\"{SourceEmitter.OptionError}\"/> naming the operation and the argument.</summary>",
            $"public static {operation.Arguments.FullyQualifiedName} {operation.BinderName}({Dictionary}? arguments)",
            "arguments",
            CSharpText.InInterpolation($"operation '{operation.Name}'"),
            "argument",
            "this operation takes no arguments");

    /// <summary>Writes the <c>Operations</c> and <c>InvokeOperationAsync</c> overrides inside the dispatcher.</summary>
    /// <param name="w">The writer, inside the dispatcher class.</param>
    /// <param name="operations">The operations, ordered by name.</param>
    /// <param name="driver">The field that holds the author's driver.</param>
    public static void EmitDispatcherMembers(CodeWriter w, EquatableArray<OperationSpec> operations, string driver)
    {
        var info = $"{Management}.ManagementOperationInfo";
        var argumentInfo = $"{Management}.ManagementArgumentInfo";
        w.Line($"private static readonly global::System.Collections.Generic.IReadOnlyList<{info}> MooringOperations = new {info}[]")
            .Line("{")
            .Indent();
        foreach (var operation in operations)
        {
            var head = $"new {info}({CSharpText.Literal(operation.Name)}, {CSharpText.Literal(operation.Description)}, {(operation.TakesVolume ? "true" : "false")}, ";
            if (operation.Arguments.Members.IsEmpty)
            {
                w.Line(head + $"global::System.Array.Empty<{argumentInfo}>()),");
                continue;
            }

            w.Line(head + $"new {argumentInfo}[]").Line("{").Indent();
            foreach (var member in operation.Arguments.Members)
            {
                w.Line($"new {argumentInfo}({CSharpText.Literal(member.Key)}, {CSharpText.Literal(TypeName(member))}, {(member.Required ? "true" : "false")}, {CSharpText.Literal(member.Description)}),");
            }

            w.Outdent().Line("}),");
        }

        w.Outdent()
            .Line("};")
            .Line()
            .Line($"public override global::System.Collections.Generic.IReadOnlyList<{info}> Operations => MooringOperations;")
            .Line();

        // The method's result is ValueTask<IReadOnlyDictionary<string, string>?>, with or without the '?' (the analyzer
        // accepts both); '!' keeps a missing annotation from warning in this file.
        var protocol = $"{Management}.OperationProtocol";
        w.Line("public override global::System.Threading.Tasks.ValueTask<global::Mooring.Hosting.Metadata.PluginResponse> InvokeOperationAsync(string name, global::System.ReadOnlyMemory<byte> body, global::System.Threading.CancellationToken cancellationToken) => name switch")
            .Line("{")
            .Indent();
        foreach (var operation in operations)
        {
            var name = CSharpText.Literal(operation.Name);
            var bind = $"static mooringArguments => MooringBinder.{operation.BinderName}(mooringArguments)";
            var call = operation.TakesVolume
                ? $"{protocol}.InvokeOnVolumeAsync({driver}, {name}, body, {bind}, static (mooringDriver, mooringVolume, mooringArguments, mooringToken) => mooringDriver.{operation.MethodName}(mooringVolume, mooringArguments, mooringToken)!, _context, cancellationToken)"
                : $"{protocol}.InvokeAsync({driver}, {name}, body, {bind}, static (mooringDriver, mooringArguments, mooringToken) => mooringDriver.{operation.MethodName}(mooringArguments, mooringToken)!, _context, cancellationToken)";
            w.Line($"{name} => {call},");
        }

        var known = string.Join(", ", operations.Select(o => o.Name));
        w.Line($"_ => {protocol}.UnknownOperationAsync(name, {CSharpText.Literal(known)}),")
            .Outdent()
            .Line("};");
    }

    /// <summary>The argument's kind as <c>GET /operations</c> shows it; an enum lists its values.</summary>
    private static string TypeName(MemberBinding member) => member.Kind switch
    {
        ValueKind.String => "string",
        ValueKind.Int32 => "int",
        ValueKind.Int64 => "long",
        ValueKind.Boolean => "bool",
        ValueKind.TimeSpan => "duration",
        ValueKind.ByteSize => "size",
        ValueKind.UnixFileMode => "mode",
        _ => string.Join("|", member.EnumMembers.Select(m => m.ToLowerInvariant()).Distinct()),
    };

    private static string Xml(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
}

using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.Extensions.Logging.Abstractions;
using Mooring.Hosting;
using Mooring.Hosting.Metadata;

namespace Mooring.Generators.Tests.Infrastructure;

/// <summary>
/// A compilation (user code + generated code) emitted and loaded into a collectible AssemblyLoadContext. Mooring.dll
/// and the framework resolve from the default context, so exceptions and interfaces are the test's own types.
/// </summary>
internal sealed class LoadedPlugin : IDisposable
{
    private readonly AssemblyLoadContext _context;

    private LoadedPlugin(AssemblyLoadContext context, Assembly assembly, byte[] image)
    {
        _context = context;
        Assembly = assembly;
        Image = image;
    }

    public Assembly Assembly { get; }

    /// <summary>The emitted assembly, for use as a reference by another compilation.</summary>
    public byte[] Image { get; }

    public static LoadedPlugin Load(Compilation compilation)
    {
        using var stream = new MemoryStream();
        var emit = compilation.Emit(stream);
        Assert.True(emit.Success, GeneratorHarness.Format(emit.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        var context = new AssemblyLoadContext("generated-" + compilation.AssemblyName, isCollectible: true);
        stream.Position = 0;
        var assembly = context.LoadFromStream(stream);
        return new LoadedPlugin(context, assembly, stream.ToArray());
    }

    public Type Type(string fullName) =>
        Assembly.GetType(fullName, throwOnError: false) ?? throw new InvalidOperationException($"type {fullName} not found in {Assembly.FullName}");

    /// <summary>Calls the generated <c>MooringBinder.BindOptions</c> of a driver, unwrapping reflection's exception.</summary>
    public object BindOptions(string driverType, string volume, IReadOnlyDictionary<string, string>? options) =>
        Invoke(Binder(driverType).GetMethod("BindOptions")!, volume, options);

    /// <summary>Calls a generated settings binder of a driver.</summary>
    public object BindSettings(string driverType, string method, IReadOnlyDictionary<string, string> environment) =>
        Invoke(Binder(driverType).GetMethod(method)!, new Func<string, string?>(name => environment.GetValueOrDefault(name)));

    /// <summary>Calls a static member of the driver's <c>IVolumePlugin&lt;TSelf&gt;</c> implementation.</summary>
    public object PluginMember(string driverType, string member, params object?[] arguments)
    {
        var type = Type(driverType);
        var plugin = typeof(IVolumePlugin<>).MakeGenericType(type);
        var map = type.GetInterfaceMap(plugin);
        var name = member == "Descriptor" ? "get_Descriptor" : member;
        var index = Array.FindIndex(map.InterfaceMethods, m => m.Name == name);
        Assert.True(index >= 0, $"{driverType} does not implement IVolumePlugin.{member}");
        return Invoke(map.TargetMethods[index], arguments);
    }

    public static PluginContext Context(IReadOnlyDictionary<string, string>? environment = null, string dataRoot = "/data") =>
        new(dataRoot, "/run/docker/plugins/test.sock", NullLoggerFactory.Instance, name => environment?.GetValueOrDefault(name));

    public static object? Property(object target, string name) => target.GetType().GetProperty(name)!.GetValue(target);

    public void Dispose() => _context.Unload();

    private Type Binder(string driverType) =>
        Type(driverType).GetNestedType("MooringBinder", BindingFlags.NonPublic | BindingFlags.Public)
        ?? throw new InvalidOperationException($"{driverType} has no generated MooringBinder");

    private static object Invoke(MethodInfo method, params object?[] arguments)
    {
        try
        {
            return method.Invoke(null, arguments)!;
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(ex.InnerException).Throw();
            throw;
        }
    }
}

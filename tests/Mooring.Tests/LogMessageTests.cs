using System.Reflection;
using Microsoft.Extensions.Logging;
using Mooring.Hosting;

namespace Mooring.Tests;

/// <summary>
/// Every [LoggerMessage] of the runtime lives in Mooring.Logging.MooringLog. With a second class the .NET 10 generator
/// may emit the two in either order (dotnet/runtime#119587) and Mooring.dll stops being reproducible
/// (tests/Mooring.Build.Tests/ReproducibleBuildTests.cs compares its bytes).
/// </summary>
public sealed class LogMessageTests
{
    private static readonly (Type Type, MethodInfo Method, LoggerMessageAttribute Attribute)[] Messages =
        [.. typeof(VolumePluginHost).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly)
                .Select(m => (Type: t, Method: m, Attribute: m.GetCustomAttribute<LoggerMessageAttribute>()!)))
            .Where(m => m.Attribute is not null)];

    [Fact]
    public void Every_log_message_of_the_runtime_is_declared_in_one_class()
    {
        Assert.NotEmpty(Messages);
        Assert.Equal(["Mooring.Logging.MooringLog"], Messages.Select(m => m.Type.FullName).Distinct());
    }

    [Fact]
    public void Event_ids_are_unique()
    {
        var repeated = Messages.GroupBy(m => m.Attribute.EventId).Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(m => m.Method.Name))}");
        Assert.Empty(repeated);
    }
}

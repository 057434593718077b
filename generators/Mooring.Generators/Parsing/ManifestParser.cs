using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Mooring.Generators.Diagnostics;
using Mooring.Generators.Emitting;
using Mooring.Generators.Helpers;
using Mooring.Generators.Model;
using Mooring.Rules;

namespace Mooring.Generators.Parsing;

/// <summary>
/// Writes the plugin manifest (config.json without entrypoint/workdir) from the driver's attributes and settings:
/// every key always present, in the order Docker documents them.
/// </summary>
internal static class ManifestParser
{
    /// <summary>The variable the host reads its log level from (<see cref="EnvNames.LogLevel"/>).</summary>
    public const string LogLevelVariable = EnvNames.LogLevel;

    private const string LogLevelDescription = "trace, debug, information, warning, error, critical or none";

    /// <summary>MOOR0007 on a <c>[PluginEnv("LOG_LEVEL")]</c> of the constructor's settings while Mooring declares
    /// LOG_LEVEL itself: config.json holds one entry per name, and the host reads LOG_LEVEL as its log level, so the
    /// author's meaning and the host's would fight over one value.</summary>
    public static void CheckReservedEnv(IReadOnlyList<INamedTypeSymbol> settingsTypes, bool logLevelSetting, KnownTypes known, DiagnosticSink sink, CancellationToken cancellationToken)
    {
        if (!logLevelSetting || sink.IsSilent)
        {
            return;
        }

        foreach (var settingsType in settingsTypes)
        {
            // Settings properties may be inherited (MemberParser binds the bases too).
            for (var current = settingsType; current is not null; current = current.BaseType)
            {
                foreach (var property in current.GetMembers().OfType<IPropertySymbol>())
                {
                    if (KnownTypes.Find(property, known.PluginEnvAttribute) is { } env
                        && env.ConstructorArguments.FirstOrDefault().Value as string == LogLevelVariable)
                    {
                        sink.Report(DiagnosticDescriptors.InvalidEnvName, () => AttributeLocations.Positional(env, 0, cancellationToken), LogLevelVariable,
                            "is declared by Mooring in every manifest (the plugin's log level); rename the setting, or set [VolumePlugin(LogLevelSetting = false)] to declare it yourself");
                    }
                }
            }
        }
    }

    public static string Build(
        INamedTypeSymbol type,
        AttributeData attribute,
        KnownTypes known,
        string socket,
        string propagatedMount,
        ImmutableArray<string> capabilities,
        EquatableArray<SettingsSpec> settings,
        DiagnosticSink sink,
        CancellationToken cancellationToken)
    {
        var manifest = new JsonText().StartObject()
            .String("description", AttributeArguments.NamedString(attribute, "Description") ?? string.Empty)
            .String("documentation", AttributeArguments.NamedString(attribute, "Documentation") ?? string.Empty)
            .StartObject("interface").Strings("types", new[] { "docker.volumedriver/1.0" }).String("socket", socket).EndObject()
            .StartObject("network").String("type", AttributeArguments.NamedString(attribute, "Network") ?? string.Empty).EndObject()
            .String("propagatedMount", propagatedMount);
        WriteMounts(manifest, type, known, sink, cancellationToken);
        manifest.StartObject("linux")
            .Strings("capabilities", capabilities)
            .Bool("allowAllDevices", AttributeArguments.NamedBool(attribute, "AllowAllDevices", false));
        WriteDevices(manifest, type, known, sink, cancellationToken);
        manifest.EndObject();
        WriteEnv(manifest, settings, AttributeArguments.NamedBool(attribute, "LogLevelSetting", true));
        WriteArgs(manifest, type, known);
        return manifest.Bool("ipchost", AttributeArguments.NamedBool(attribute, "IpcHost", false))
            .Bool("pidhost", AttributeArguments.NamedBool(attribute, "PidHost", false))
            .EndObject()
            .ToString();
    }

    private static void WriteMounts(JsonText json, INamedTypeSymbol type, KnownTypes known, DiagnosticSink sink, CancellationToken cancellationToken)
    {
        json.StartArray("mounts");
        foreach (var mount in Attributes(type, known.PluginMountAttribute))
        {
            var destination = mount.ConstructorArguments.FirstOrDefault().Value as string ?? string.Empty;
            var name = AttributeArguments.NamedString(mount, "Name") ?? string.Empty;
            var source = AttributeArguments.NamedString(mount, "Source");
            var settable = AttributeArguments.NamedBool(mount, "Settable", false);
            if (settable && (name.Length == 0 || source is null))
            {
                var why = name.Length == 0
                    ? "has no Name; 'docker plugin set' addresses a mount as NAME.source"
                    : "has no default Source; set Source (an empty string is allowed) or dockerd refuses 'docker plugin set'";
                sink.Report(DiagnosticDescriptors.SettableMount, () => AttributeLocations.Named(mount, "Settable", cancellationToken), name.Length == 0 ? destination : name, why);
            }

            json.StartObject()
                .String("name", name)
                .String("description", AttributeArguments.NamedString(mount, "Description") ?? string.Empty)
                .String("source", source ?? string.Empty)
                .String("destination", destination)
                .String("type", AttributeArguments.NamedArgumentGiven(mount, "Type") ? AttributeArguments.NamedString(mount, "Type") ?? string.Empty : "bind")
                .Strings("options", AttributeArguments.NamedStrings(mount, "Options") ?? ImmutableArray.Create("rbind"))
                .Strings("settable", settable ? new[] { "source" } : Array.Empty<string>())
                .EndObject();
        }

        json.EndArray();
    }

    private static void WriteDevices(JsonText json, INamedTypeSymbol type, KnownTypes known, DiagnosticSink sink, CancellationToken cancellationToken)
    {
        json.StartArray("devices");
        foreach (var device in Attributes(type, known.PluginDeviceAttribute))
        {
            var path = device.ConstructorArguments.FirstOrDefault().Value as string ?? string.Empty;
            var name = AttributeArguments.NamedString(device, "Name") ?? string.Empty;
            var settable = AttributeArguments.NamedBool(device, "Settable", false);
            if (settable && (name.Length == 0 || path.Length == 0))
            {
                var why = path.Length == 0
                    ? "has no path; give the default device path, e.g. /dev/fuse"
                    : "has no Name; 'docker plugin set' addresses a device as NAME.path";
                sink.Report(DiagnosticDescriptors.SettableDevice,
                    () => path.Length == 0 ? AttributeLocations.Positional(device, 0, cancellationToken) : AttributeLocations.Named(device, "Settable", cancellationToken),
                    name.Length == 0 ? path : name,
                    why);
            }

            json.StartObject()
                .String("name", name)
                .String("description", AttributeArguments.NamedString(device, "Description") ?? string.Empty)
                .String("path", path)
                .Strings("settable", settable ? new[] { "path" } : Array.Empty<string>())
                .EndObject();
        }

        json.EndArray();
    }

    private static void WriteEnv(JsonText json, EquatableArray<SettingsSpec> settings, bool logLevelSetting)
    {
        json.StartArray("env");
        var written = new HashSet<string>(StringComparer.Ordinal);
        foreach (var spec in settings)
        {
            foreach (var member in spec.Members)
            {
                if (!written.Add(member.Key))
                {
                    continue;
                }

                json.StartObject()
                    .String("name", member.Key)
                    .String("description", member.Description)
                    .Strings("settable", member.Settable ? new[] { "value" } : Array.Empty<string>())
                    .String("value", member.Default ?? string.Empty)
                    .EndObject();
            }
        }

        // Last, after the author's settings; a clash with one of them is MOOR0007 (CheckReservedEnv), never two entries.
        if (logLevelSetting && written.Add(LogLevelVariable))
        {
            json.StartObject()
                .String("name", LogLevelVariable)
                .String("description", LogLevelDescription)
                .Strings("settable", new[] { "value" })
                .String("value", "info")
                .EndObject();
        }

        json.EndArray();
    }

    private static void WriteArgs(JsonText json, INamedTypeSymbol type, KnownTypes known)
    {
        var args = Attributes(type, known.PluginArgsAttribute).FirstOrDefault();
        var values = args?.ConstructorArguments.FirstOrDefault() is { Kind: TypedConstantKind.Array, IsNull: false } array
            ? array.Values.Select(v => v.Value as string ?? string.Empty).ToArray()
            : Array.Empty<string>();
        json.StartObject("args")
            .String("name", AttributeArguments.NamedString(args, "Name") ?? "args")
            .String("description", AttributeArguments.NamedString(args, "Description") ?? string.Empty)
            .Strings("settable", AttributeArguments.NamedBool(args, "Settable", false) ? new[] { "value" } : Array.Empty<string>())
            .Strings("value", values)
            .EndObject();
    }

    private static IEnumerable<AttributeData> Attributes(INamedTypeSymbol type, INamedTypeSymbol? attributeType) =>
        attributeType is null
            ? Enumerable.Empty<AttributeData>()
            : type.GetAttributes().Where(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, attributeType));
}

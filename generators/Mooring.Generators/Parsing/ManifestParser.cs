using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Mooring.Generators.Diagnostics;
using Mooring.Generators.Helpers;
using Mooring.Generators.Model;
using Mooring.PluginConfiguration;
using Mooring.Rules;

namespace Mooring.Generators.Parsing;

/// <summary>
/// Fills the config.json model (sdk/Common/PluginConfig) from the driver's attributes and settings, and renders it as the
/// plugin manifest: config.json without entrypoint and workdir, which Mooring.Build adds.
/// </summary>
internal static class ManifestParser
{
    /// <summary>The variable the host reads its log level from (<see cref="EnvNames.LogLevel"/>).</summary>
    public const string LogLevelVariable = EnvNames.LogLevel;

    private const string LogLevelDescription = LogLevelWords.Listed;

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
        var config = new PluginConfigDocument
        {
            Description = AttributeArguments.NamedString(attribute, "Description") ?? string.Empty,
            Documentation = AttributeArguments.NamedString(attribute, "Documentation") ?? string.Empty,
            InterfaceTypes = new[] { PluginConfigDefaults.VolumeDriverInterface },
            Socket = socket,
            Network = AttributeArguments.NamedString(attribute, "Network") ?? string.Empty,
            PropagatedMount = propagatedMount,
            Mounts = Mounts(type, known, sink, cancellationToken),
            Capabilities = capabilities,
            AllowAllDevices = AttributeArguments.NamedBool(attribute, "AllowAllDevices", false),
            Devices = Devices(type, known, sink, cancellationToken),
            Env = Env(settings, AttributeArguments.NamedBool(attribute, "LogLevelSetting", true)),
            Args = Args(type, known),
            IpcHost = AttributeArguments.NamedBool(attribute, "IpcHost", false),
            PidHost = AttributeArguments.NamedBool(attribute, "PidHost", false),
        };
        return PluginConfigWriter.Write(config, JsonTextStyle.Compact);
    }

    private static List<PluginConfigMount> Mounts(INamedTypeSymbol type, KnownTypes known, DiagnosticSink sink, CancellationToken cancellationToken)
    {
        var mounts = new List<PluginConfigMount>();
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

            mounts.Add(new PluginConfigMount
            {
                Name = name,
                Description = AttributeArguments.NamedString(mount, "Description") ?? string.Empty,
                Source = source ?? string.Empty,
                Destination = destination,
                Type = AttributeArguments.NamedArgumentGiven(mount, "Type") ? AttributeArguments.NamedString(mount, "Type") ?? string.Empty : PluginConfigDefaults.MountType,
                Options = AttributeArguments.NamedStrings(mount, "Options") ?? PluginConfigDefaults.AttributeMountOptions,
                Settable = Settable(settable, PluginConfigKeys.Source),
            });
        }

        return mounts;
    }

    private static List<PluginConfigDevice> Devices(INamedTypeSymbol type, KnownTypes known, DiagnosticSink sink, CancellationToken cancellationToken)
    {
        var devices = new List<PluginConfigDevice>();
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

            devices.Add(new PluginConfigDevice
            {
                Name = name,
                Description = AttributeArguments.NamedString(device, "Description") ?? string.Empty,
                Path = path,
                Settable = Settable(settable, PluginConfigKeys.Path),
            });
        }

        return devices;
    }

    private static List<PluginConfigEnv> Env(EquatableArray<SettingsSpec> settings, bool logLevelSetting)
    {
        var env = new List<PluginConfigEnv>();
        var written = new HashSet<string>(StringComparer.Ordinal);
        foreach (var spec in settings)
        {
            foreach (var member in spec.Members)
            {
                if (written.Add(member.Key))
                {
                    env.Add(new PluginConfigEnv
                    {
                        Name = member.Key,
                        Description = member.Description,
                        Settable = Settable(member.Settable, PluginConfigKeys.Value),
                        Value = member.Default ?? string.Empty,
                    });
                }
            }
        }

        // Last, after the author's settings; a clash with one of them is MOOR0007 (CheckReservedEnv), never two entries.
        if (logLevelSetting && written.Add(LogLevelVariable))
        {
            env.Add(new PluginConfigEnv
            {
                Name = LogLevelVariable,
                Description = LogLevelDescription,
                Settable = Settable(true, PluginConfigKeys.Value),
                Value = "info",
            });
        }

        return env;
    }

    private static PluginConfigArgs Args(INamedTypeSymbol type, KnownTypes known)
    {
        var args = Attributes(type, known.PluginArgsAttribute).FirstOrDefault();
        return new PluginConfigArgs
        {
            Name = AttributeArguments.NamedString(args, "Name") ?? PluginConfigDefaults.ArgsName,
            Description = AttributeArguments.NamedString(args, "Description") ?? string.Empty,
            Settable = Settable(AttributeArguments.NamedBool(args, "Settable", false), PluginConfigKeys.Value),
            Value = args?.ConstructorArguments.FirstOrDefault() is { Kind: TypedConstantKind.Array, IsNull: false } array
                ? array.Values.Select(v => v.Value as string ?? string.Empty).ToArray()
                : Array.Empty<string>(),
        };
    }

    private static string[] Settable(bool settable, string field) => settable ? new[] { field } : Array.Empty<string>();

    private static IEnumerable<AttributeData> Attributes(INamedTypeSymbol type, INamedTypeSymbol? attributeType) =>
        attributeType is null
            ? Enumerable.Empty<AttributeData>()
            : type.GetAttributes().Where(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, attributeType));
}

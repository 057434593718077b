using Verifier = Mooring.CodeFixes.Tests.CodeFixVerifier<Mooring.CodeFixes.UseSuggestedCapabilityCodeFix>;

namespace Mooring.CodeFixes.Tests;

public sealed class UseSuggestedCapabilityCodeFixTests
{
    private const string Driver = """
        public sealed partial class Driver : IManagedVolumeDriver<NoOptions>
        {
            public ValueTask ProvisionAsync(ManagedVolume<NoOptions> volume, CancellationToken cancellationToken) => default;
        }
        """;

    private const string Usings = """
        using System.Threading;
        using System.Threading.Tasks;
        using Mooring;

        """;

    [Fact]
    public Task Replaces_each_misspelt_name_in_an_array_with_the_suggestion() => Verifier.VerifyAsync(
        Usings + """
        [VolumePlugin(LinuxCapabilities = new[] { "CAP_CHOWN", {|MOOR0009:"sys_admin"|}, {|MOOR0009:"Cap_Net_Admin"|} })]
        """ + "\n" + Driver,
        Usings + """
        [VolumePlugin(LinuxCapabilities = new[] { "CAP_CHOWN", "CAP_SYS_ADMIN", "CAP_NET_ADMIN" })]
        """ + "\n" + Driver,
        iterations: 2);

    [Fact]
    public Task Replaces_the_name_in_a_collection_expression_inside_a_nested_driver() => Verifier.VerifyAsync(
        Usings + """
        public static partial class Plugins
        {
            [VolumePlugin(LinuxCapabilities = [{|MOOR0009:"mknod"|}])]
            public sealed partial class Nested : IManagedVolumeDriver<NoOptions>
            {
                public ValueTask ProvisionAsync(ManagedVolume<NoOptions> volume, CancellationToken cancellationToken) => default;
            }
        }
        """,
        Usings + """
        public static partial class Plugins
        {
            [VolumePlugin(LinuxCapabilities = ["CAP_MKNOD"])]
            public sealed partial class Nested : IManagedVolumeDriver<NoOptions>
            {
                public ValueTask ProvisionAsync(ManagedVolume<NoOptions> volume, CancellationToken cancellationToken) => default;
            }
        }
        """);

    [Fact]
    public Task Is_not_offered_without_a_suggestion() => Verifier.VerifyNotOfferedAsync(
        Usings + """
        [VolumePlugin(LinuxCapabilities = new[] { {|MOOR0009:"CAP_FLY"|} })]
        """ + "\n" + Driver);

    [Fact]
    public Task Is_not_offered_for_a_constant_defined_elsewhere() => Verifier.VerifyNotOfferedAsync(
        Usings + """
        internal static class Caps
        {
            public const string Admin = "sys_admin";
        }

        [VolumePlugin(LinuxCapabilities = new[] { {|MOOR0009:Caps.Admin|} })]
        """ + "\n" + Driver);
}

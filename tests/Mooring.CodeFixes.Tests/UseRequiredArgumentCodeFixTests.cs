using Verifier = Mooring.CodeFixes.Tests.CodeFixVerifier<Mooring.CodeFixes.UseRequiredArgumentCodeFix>;

namespace Mooring.CodeFixes.Tests;

public sealed class UseRequiredArgumentCodeFixTests
{
    private const string Usings = """
        using System.Threading;
        using System.Threading.Tasks;
        using Mooring;

        """;

    private const string Driver = """

        [VolumePlugin]
        public sealed partial class Driver : IManagedVolumeDriver<Options>
        {
            public ValueTask ProvisionAsync(ManagedVolume<Options> volume, CancellationToken cancellationToken) => default;
        }

        """;

    [Fact]
    public Task Moves_required_into_the_VolumeOption_attribute_and_initialises_a_non_nullable_string() => Verifier.VerifyAsync(
        Usings + Driver + """
        public sealed class Options
        {
            [VolumeOption("path", Description = "where")]
            public required string {|MOOR0004:Path|} { get; set; }

            [VolumeOption("size")] public required int {|MOOR0004:Size|} { get; set; }

            [VolumeOption("label")]
            required public string? {|MOOR0004:Label|} { get; set; }
        }
        """,
        Usings + Driver + """
        public sealed class Options
        {
            [VolumeOption("path", Description = "where", Required = true)]
            public string Path { get; set; } = null!;

            [VolumeOption("size", Required = true)] public int Size { get; set; }

            [VolumeOption("label", Required = true)]
            public string? Label { get; set; }
        }
        """,
        iterations: 3);

    [Fact]
    public Task Turns_Required_false_into_true_on_a_PluginEnv_setting_of_a_nested_settings_class() => Verifier.VerifyAsync(
        Usings + Driver + """
        public sealed class Options
        {
        }

        public static partial class Configuration
        {
            [PluginSettings]
            public sealed class Settings
            {
                [PluginEnv("ENDPOINT", Required = false)]
                public required string {|MOOR0004:Endpoint|} { get; set; }
            }
        }
        """,
        Usings + Driver + """
        public sealed class Options
        {
        }

        public static partial class Configuration
        {
            [PluginSettings]
            public sealed class Settings
            {
                [PluginEnv("ENDPOINT", Required = true)]
                public string Endpoint { get; set; } = null!;
            }
        }
        """);

    [Fact]
    public Task Is_not_offered_for_the_other_MOOR0004_problems() => Verifier.VerifyNotOfferedAsync(
        Usings + Driver + """
        public sealed class Options
        {
            [VolumeOption("uid")] public int {|MOOR0004:Uid|} { get; init; }
        }
        """);
}

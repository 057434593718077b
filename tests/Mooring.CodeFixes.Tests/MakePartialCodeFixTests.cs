using Verifier = Mooring.CodeFixes.Tests.CodeFixVerifier<Mooring.CodeFixes.MakePartialCodeFix>;

namespace Mooring.CodeFixes.Tests;

public sealed class MakePartialCodeFixTests
{
    private const string Usings = """
        using System.Threading;
        using System.Threading.Tasks;
        using Mooring;

        """;

    [Fact]
    public Task Adds_partial_after_the_other_modifiers() => Verifier.VerifyAsync(Usings + """
        [VolumePlugin]
        public sealed class {|MOOR0001:Driver|} : IManagedVolumeDriver<NoOptions>
        {
            public ValueTask ProvisionAsync(ManagedVolume<NoOptions> volume, CancellationToken cancellationToken) => default;
        }
        """, Usings + """
        [VolumePlugin]
        public sealed partial class Driver : IManagedVolumeDriver<NoOptions>
        {
            public ValueTask ProvisionAsync(ManagedVolume<NoOptions> volume, CancellationToken cancellationToken) => default;
        }
        """);

    [Fact]
    public Task Adds_partial_to_a_class_without_modifiers_keeping_its_layout() => Verifier.VerifyAsync(Usings + """
        namespace Acme
        {
            [VolumePlugin]
            class {|MOOR0001:Driver|} : IManagedVolumeDriver<NoOptions>
            {
                public ValueTask ProvisionAsync(ManagedVolume<NoOptions> volume, CancellationToken cancellationToken) => default;
            }
        }
        """, Usings + """
        namespace Acme
        {
            [VolumePlugin]
            partial class Driver : IManagedVolumeDriver<NoOptions>
            {
                public ValueTask ProvisionAsync(ManagedVolume<NoOptions> volume, CancellationToken cancellationToken) => default;
            }
        }
        """);

    [Fact]
    public Task Adds_partial_to_a_nested_driver_and_every_enclosing_type_whichever_diagnostic_is_fixed() => Verifier.VerifyAsync(Usings + """
        public static class {|MOOR0001:Outer|}
        {
            public partial class Middle
            {
                internal struct Unrelated { }

                public class {|MOOR0001:Inner|}
                {
                    [VolumePlugin]
                    public sealed class {|MOOR0001:Driver|} : IManagedVolumeDriver<NoOptions>
                    {
                        public ValueTask ProvisionAsync(ManagedVolume<NoOptions> volume, CancellationToken cancellationToken) => default;
                    }
                }
            }
        }
        """, Usings + """
        public static partial class Outer
        {
            public partial class Middle
            {
                internal struct Unrelated { }

                public partial class Inner
                {
                    [VolumePlugin]
                    public sealed partial class Driver : IManagedVolumeDriver<NoOptions>
                    {
                        public ValueTask ProvisionAsync(ManagedVolume<NoOptions> volume, CancellationToken cancellationToken) => default;
                    }
                }
            }
        }
        """);

    [Fact]
    public Task Leaves_an_already_partial_driver_alone_and_fixes_its_enclosing_type() => Verifier.VerifyAsync(Usings + """
        public class {|MOOR0001:Plugins|}
        {
            [VolumePlugin]
            public sealed partial class Driver : IManagedVolumeDriver<NoOptions>
            {
                public ValueTask ProvisionAsync(ManagedVolume<NoOptions> volume, CancellationToken cancellationToken) => default;
            }
        }
        """, Usings + """
        public partial class Plugins
        {
            [VolumePlugin]
            public sealed partial class Driver : IManagedVolumeDriver<NoOptions>
            {
                public ValueTask ProvisionAsync(ManagedVolume<NoOptions> volume, CancellationToken cancellationToken) => default;
            }
        }
        """);
}

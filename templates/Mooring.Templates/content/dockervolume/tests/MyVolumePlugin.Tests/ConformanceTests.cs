using Mooring.Testing;

namespace TemplateNamespace.Tests;

/// <summary>
/// What dockerd relies on, one test per scenario (get-before-create, mount IDs, docker cp, remove while mounted,
/// restarts, hostile names…), each against a fresh plugin. A failure says what dockerd would do with the answer.
/// A driver with required options passes them: new ConformanceOptions { CreateOptions = … }.
/// </summary>
public sealed class ConformanceTests
{
    public static TheoryData<string> Checks => new(VolumeDriverConformance.Checks);

    [Theory]
    [MemberData(nameof(Checks))]
    public Task Behaves_as_dockerd_expects(string check) => VolumeDriverConformance.RunAsync<TemplateClassDriver>(check);
}

namespace Mooring.Tests;

public sealed class VolumeNameTests
{
    [Theory]
    [InlineData("v")]
    [InlineData("my-volume_1.2")]
    [InlineData("vol@datastore")]
    [InlineData("...")]
    [InlineData(".hidden")]
    [InlineData("ünïcødé")]
    [InlineData("😀")]
    public void Ordinary_names_are_valid(string name)
    {
        Assert.True(VolumeName.IsValid(name));
        Assert.True(VolumeName.TryValidate(name, out var error));
        Assert.Null(error);
        VolumeName.Validate(name);
    }

    [Theory]
    [InlineData(null, "invalid volume name: it must not be empty")]
    [InlineData("", "invalid volume name: it must not be empty")]
    [InlineData(".", "invalid volume name '.': '.' and '..' are not allowed")]
    [InlineData("..", "invalid volume name '..': '.' and '..' are not allowed")]
    [InlineData("tenant/vol", "invalid volume name 'tenant/vol': it must not contain '/'")]
    [InlineData("/abs", "invalid volume name '/abs': it must not contain '/'")]
    [InlineData("a\0", "invalid volume name 'a\\0': it must not contain a NUL character")]
    public void Unsafe_names_are_invalid_with_a_reason(string? name, string expected)
    {
        Assert.False(VolumeName.IsValid(name));
        Assert.False(VolumeName.TryValidate(name, out var error));
        Assert.Equal(expected, error);
        Assert.Equal(expected, Assert.Throws<VolumeDriverException>(() => VolumeName.Validate(name)).Message);
    }

    [Fact]
    public void A_lone_surrogate_is_invalid()
    {
        // Built at run time: attribute arguments cannot carry a lone surrogate (the compiler replaces it).
        var name = new string(['\ud800', 'x']);
        Assert.False(VolumeName.TryValidate(name, out var error));
        Assert.EndsWith("it is not valid Unicode (it contains a lone surrogate)", error);
        Assert.True(VolumeName.IsValid("a\ud83d\ude00"));
    }

    [Fact]
    public void The_limit_is_255_UTF8_bytes_not_255_chars()
    {
        Assert.True(VolumeName.IsValid(new string('a', 255)));
        Assert.False(VolumeName.IsValid(new string('a', 256)));
        Assert.True(VolumeName.IsValid(new string('€', 85)));   // 255 bytes
        Assert.False(VolumeName.IsValid(new string('€', 86)));  // 258 bytes, only 86 chars
        VolumeName.TryValidate(new string('x', 300), out var error);
        Assert.Equal($"invalid volume name '{new string('x', 40)}…': it is 300 bytes long in UTF-8, the limit is 255", error);
    }
}

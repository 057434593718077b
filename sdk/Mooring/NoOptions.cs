namespace Mooring;

/// <summary>The options type of a driver that accepts no <c>-o</c> options; any option given is an error.</summary>
public sealed class NoOptions
{
}

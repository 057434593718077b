namespace Mooring.Hosting.Management;

/// <summary>A driver-defined operation (a method marked <c>[ManagementOperation]</c>), as <c>GET /operations</c> lists it.</summary>
/// <param name="Name">The operation's name, the last segment of <c>POST /operations/&lt;name&gt;</c>.</param>
/// <param name="Description">What it does, for the operator.</param>
/// <param name="TakesVolume">Whether the request must name a volume.</param>
/// <param name="Arguments">The arguments it binds (like <c>-o</c> options).</param>
public sealed record ManagementOperationInfo(string Name, string Description, bool TakesVolume, IReadOnlyList<ManagementArgumentInfo> Arguments);

/// <summary>One argument of a driver-defined operation.</summary>
/// <param name="Name">The argument's name in the request's <c>arguments</c> object.</param>
/// <param name="Type">Its kind, as the options binder names it (e.g. <c>string</c>, <c>bool</c>, <c>size</c>).</param>
/// <param name="Required">Whether the request must give it.</param>
/// <param name="Description">What it means, for the operator.</param>
public sealed record ManagementArgumentInfo(string Name, string Type, bool Required, string Description);

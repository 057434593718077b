namespace Mooring;

/// <summary>
/// Makes a method of the driver class an operation of the plugin's management socket: <c>GET /operations</c> lists it
/// and <c>POST /operations/&lt;name&gt;</c> calls it. The source generator binds the request's <c>arguments</c> into the
/// method's arguments class exactly like <c>-o</c> options (<see cref="VolumeOptionAttribute"/> names and documents
/// them; <see cref="NoOptions"/> takes none), and the analyzer checks the method's shape.
/// </summary>
/// <remarks>
/// Two shapes are supported, on a public or internal instance method of the driver class:
/// <code>
/// [ManagementOperation("snapshot", Description = "Copies the volume")]
/// public ValueTask&lt;IReadOnlyDictionary&lt;string, string&gt;?&gt; SnapshotAsync(string volume, SnapshotArguments arguments, CancellationToken cancellationToken);
/// [ManagementOperation("compact")]
/// public ValueTask&lt;IReadOnlyDictionary&lt;string, string&gt;?&gt; CompactAsync(NoOptions arguments, CancellationToken cancellationToken);
/// </code>
/// The first takes a volume name, validated like the volume driver protocol's before the method is called. Throw
/// <see cref="VolumeDriverException"/> to answer with a message the operator sees.
/// </remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class ManagementOperationAttribute : Attribute
{
    /// <summary>Creates the operation.</summary>
    /// <param name="name">The operation's name in <c>POST /operations/&lt;name&gt;</c>: lower-case letters, digits and
    /// dashes, 1 to 40 characters, starting with a letter.</param>
    public ManagementOperationAttribute(string name) => Name = name;

    /// <summary>The operation's name.</summary>
    public string Name { get; }

    /// <summary>What the operation does, listed by <c>GET /operations</c>.</summary>
    public string? Description { get; set; }
}

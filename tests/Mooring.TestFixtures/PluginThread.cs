namespace Mooring.TestFixtures;

/// <summary>One thread of a plugin process (<see cref="PluginProcess.ThreadsOf"/>): its ID, its name and how often it has
/// been switched out so far.</summary>
/// <param name="Id">The thread ID (<c>/proc/PID/task/ID</c>).</param>
/// <param name="Name">Its name (<c>comm</c>).</param>
/// <param name="Switches">Voluntary and involuntary context switches.</param>
public sealed record PluginThread(int Id, string Name, long Switches);

namespace Mooring.State;

/// <summary>
/// One asynchronous lock per volume name: operations on one volume run one at a time, operations on different volumes
/// run in parallel, and a waiter can give up (its <see cref="CancellationToken"/>) so a hung backend call on one volume
/// never freezes callers of that volume forever nor delays any other volume. A name's entry exists only while someone
/// holds or waits for it, so memory does not grow with the number of volumes ever seen.
/// </summary>
/// <remarks>Locks are not re-entrant: acquiring the same name twice on one call path deadlocks until cancelled.</remarks>
public sealed class VolumeLocks
{
    // Entries no name uses, kept for the next names: every durable change takes a lock, and a new semaphore for each
    // was a fifth of what a state-backed plugin allocated per request. Their semaphores are free (count 1).
    private const int SpareEntries = 16;

    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Stack<Entry> _spare = new(SpareEntries);

    /// <summary>The number of names currently held or awaited (the rest cost nothing).</summary>
    public int ActiveCount
    {
        get
        {
            lock (_entries)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>Waits until the lock for <paramref name="name"/> is free and takes it.</summary>
    /// <param name="name">The volume name (any string; it is only a key).</param>
    /// <param name="cancellationToken">Stops waiting; the lock is then not taken.</param>
    /// <returns>Releases the lock when disposed (once; later disposals do nothing).</returns>
    /// <exception cref="OperationCanceledException">The token was cancelled before the lock was taken.</exception>
    public async ValueTask<Releaser> AcquireAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        Entry entry;
        lock (_entries)
        {
            if (!_entries.TryGetValue(name, out entry!))
            {
                entry = _spare.TryPop(out var spare) ? spare : new Entry();
                _entries.Add(name, entry);
            }

            entry.Users++;
        }

        try
        {
            await entry.Semaphore.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            Leave(name, entry);
            throw;
        }

        return new Releaser(this, name, entry);
    }

    private void Leave(string name, Entry entry)
    {
        lock (_entries)
        {
            if (--entry.Users == 0)
            {
                // No one holds or waits for the semaphore now: a holder releases it before it leaves.
                _entries.Remove(name);
                if (_spare.Count < SpareEntries)
                {
                    _spare.Push(entry);
                }
            }
        }
    }

    /// <summary>Holds one volume's lock until disposed.</summary>
    public sealed class Releaser : IDisposable, IAsyncDisposable
    {
        private VolumeLocks? _owner;
        private readonly string _name;
        private readonly Entry _entry;

        internal Releaser(VolumeLocks owner, string name, Entry entry)
        {
            _owner = owner;
            _name = name;
            _entry = entry;
        }

        /// <summary>The volume name whose lock this holds.</summary>
        public string Name => _name;

        /// <summary>Releases the lock.</summary>
        public void Dispose()
        {
            var owner = Interlocked.Exchange(ref _owner, null);
            if (owner is null)
            {
                return;
            }

            // Release before leaving: a waiter already counted in Users keeps the entry (and so this semaphore) alive.
            _entry.Semaphore.Release();
            owner.Leave(_name, _entry);
        }

        /// <summary>Releases the lock.</summary>
        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }

    internal sealed class Entry
    {
        public SemaphoreSlim Semaphore { get; } = new(1, 1);

        /// <summary>Holders plus waiters; guarded by the dictionary's lock.</summary>
        public int Users;
    }
}

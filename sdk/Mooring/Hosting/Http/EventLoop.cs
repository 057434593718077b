using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;
using Mooring.State;

namespace Mooring.Hosting.Http;

/// <summary>
/// The server's connections on a few poller threads that wait on one epoll descriptor: the poller that takes a
/// connection's event runs its requests inline, from the receive through the driver's call to the answer, until the
/// socket has nothing more to read (<see cref="HttpConnection"/>).
/// </summary>
/// <remarks>
/// <para>Why: with a thread per connection every request is a sleep and a wake-up of that thread, and on two cores those
/// context switches were most of the server's time; answering on the poller that saw the request ready saves them
/// (bench/results/2026-12-04-event-loop/: Get 1.10–1.26× a thread per connection at 8 clients, 1.11–1.16× at 64; the
/// ext4 lifecycle at 8 clients 4–8 % slower). Two pollers, not one: a driver call that sleeps briefly in the file system
/// (a Mount's mkdir on ext4, a durable change's fdatasync) holds its poller, and the other goes on.</para>
/// <para>The first connection starts the loop with one poller; the second and the monitor start once that connection is
/// armed (<see cref="StartRest"/>), while the first poller answers it, so dockerd's first answer does not wait for them.</para>
/// <para>A call that does not return soon (a hung NFS server, a client that does not read its answer) must not hold
/// the loop: a monitor thread looks at the pollers every <see cref="HttpServerLimits.PollerHoldTime"/>/2 while any is
/// busy, and a poller busy in one event for longer than <see cref="HttpServerLimits.PollerHoldTime"/> is replaced by a
/// new one (Go's runtime does the same for a goroutine held in a system call). The held thread finishes its request,
/// then polls again if a poller is missing, or ends. At most <see cref="HttpServerLimits.MaxConnectionThreads"/> threads
/// may be held at once. Once a look finds no poller busy and no event taken since the last, the monitor sleeps without a
/// timeout, and the next event wakes it: an idle loop wakes none of its threads, and a busy one wakes the monitor only on
/// its timer, not once per lull between two requests.</para>
/// <para>Connections are armed one-shot (<c>EPOLLONESHOT</c>), so an event goes to one poller and a connection is never
/// served by two threads at once; the connection arms itself again when it has read everything.</para>
/// </remarks>
internal sealed class EventLoop
{
    private const ulong StopToken = ulong.MaxValue;

    private readonly int _epfd;
    private readonly int _stopFd;
    private readonly int _pollers;
    private readonly int _maxHeld;
    private readonly long _holdTicks;
    private readonly TimeSpan _monitorInterval;
    private readonly ConcurrentDictionary<long, HttpConnection> _connections = new();
    private readonly List<Poller> _threads = [];
    // Never spins before it blocks: the monitor waits a whole interval or for the first event after a quiet spell, and a
    // spin only takes the cores the pollers need (17-46 k sched_yield calls a second under an 8-client Get load before
    // this: bench/results/2026-12-04-monitor-quiet/).
    private readonly ManualResetEventSlim _monitorWake = new(initialState: false, spinCount: 0);
    private long _eventsSeen;
    private int _active;
    private int _monitorAsleep;
    private volatile bool _stopped;
    private bool _closed;

    /// <param name="limits">The number of pollers, how long one may be held, and how many threads may be held.</param>
    /// <exception cref="IOException">epoll or eventfd could not be created.</exception>
    public EventLoop(HttpServerLimits limits)
    {
        _pollers = Math.Max(1, limits.EventLoopThreads);
        _maxHeld = limits.MaxConnectionThreads;
        _holdTicks = (long)(limits.PollerHoldTime.TotalSeconds * Stopwatch.Frequency);
        _monitorInterval = limits.PollerHoldTime / 2;
        _epfd = Libc.EpollCreate();
        _stopFd = _epfd < 0 ? -1 : Libc.EventFd();
        if (_epfd < 0 || _stopFd < 0 || Libc.EpollControl(_epfd, add: true, _stopFd, Libc.EPOLLIN, StopToken) != 0)
        {
            var message = Marshal.GetLastPInvokeErrorMessage();
            CloseDescriptors();
            throw new IOException($"cannot create the server's event loop: {message}");
        }

        try
        {
            lock (_threads)
            {
                StartPoller();
            }
        }
        catch (Exception ex) when (ex is OutOfMemoryException or ThreadStartException)
        {
            CloseDescriptors(); // no poller started: nobody else has them
            throw new IOException($"cannot start the server's event loop: {ex.Message}", ex);
        }
    }

    /// <summary>The poller threads that have not left yet (held ones included).</summary>
    internal int Threads
    {
        get
        {
            lock (_threads)
            {
                return _threads.Count;
            }
        }
    }

    /// <summary>Starts the other pollers and the monitor. Apart from the constructor, so that the first connection is
    /// armed before: its first poller answers it while these threads start (a thread's start is a good part of a
    /// millisecond here, and dockerd's first request waits on the plugin's start-up).</summary>
    /// <exception cref="IOException">A thread could not be started.</exception>
    public void StartRest()
    {
        try
        {
            lock (_threads)
            {
                // Not once stopped: the server may stop between admitting its first connection and this call (a probe
                // connection as it stops), and its descriptors are closed when its last poller leaves. A poller started
                // then would wait on a closed number that the next loop made in this process may have been given, and
                // take that loop's events as its own: they were dropped, and that loop's connections hung.
                if (_stopped)
                {
                    return;
                }

                while (_active < _pollers)
                {
                    StartPoller();
                }

                new Thread(static loop => ((EventLoop)loop!).Monitor()) { IsBackground = true, Name = "mooring-monitor" }.Start(this);
            }
        }
        catch (Exception ex) when (ex is OutOfMemoryException or ThreadStartException)
        {
            // The pollers that did start go on serving the connections they have.
            throw new IOException($"cannot start the server's event loop: {ex.Message}", ex);
        }
    }

    /// <summary>Takes a connection; its first event starts it (<see cref="HttpConnection.OnReady"/>).</summary>
    public void Add(HttpConnection connection) => _connections[connection.Id] = connection;

    /// <summary>Forgets a connection that has ended: an event still on its way for it is then dropped.</summary>
    public void Remove(HttpConnection connection) => _connections.TryRemove(connection.Id, out _);

    /// <summary>Arms <paramref name="socket"/> for one event of <paramref name="events"/> (plus hang-up and error).</summary>
    /// <exception cref="IOException">epoll_ctl failed.</exception>
    /// <exception cref="ObjectDisposedException">The socket is closed.</exception>
    public void Arm(UnixSocket socket, long id, uint events, bool add)
    {
        if (Libc.EpollControl(_epfd, add, socket, events | Libc.EPOLLONESHOT, (ulong)id) != 0)
        {
            throw new IOException($"epoll_ctl failed: {Marshal.GetLastPInvokeErrorMessage()}");
        }
    }

    /// <summary>Stops every poller that is waiting, and each held one when its request ends; the descriptors close when
    /// the last has gone.</summary>
    public void Stop()
    {
        lock (_threads)
        {
            if (_stopped)
            {
                return;
            }

            _stopped = true;

            // Under the lock, as every close is: once the last poller has left the numbers may belong to another file.
            if (_threads.Count == 0)
            {
                CloseDescriptors();
            }
            else
            {
                Libc.Signal(_stopFd); // stays readable: every poller sees it
            }
        }

        _monitorWake.Set();
    }

    // Under the lock. Throws when no thread can be started, leaving the counts as they were.
    private void StartPoller()
    {
        var poller = new Poller();
        var thread = new Thread(static state =>
        {
            var (loop, self) = ((EventLoop, Poller))state!;
            loop.Poll(self);
        }) { IsBackground = true, Name = "mooring-poll" };
        _threads.Add(poller);
        _active++;
        try
        {
            thread.Start((this, poller));
        }
        catch
        {
            _threads.Remove(poller);
            _active--;
            throw;
        }
    }

    private void Poll(Poller self)
    {
        while (true)
        {
            Volatile.Write(ref self.BusySince, 0);
            if (!Libc.EpollWaitOne(_epfd, out var data))
            {
                if (Marshal.GetLastPInvokeError() == Libc.EINTR)
                {
                    continue;
                }

                break; // a descriptor that is not an epoll one: leave rather than spin on the error
            }

            if (data == StopToken)
            {
                break;
            }

            // A full fence between saying busy (and counting the event) and reading whether the monitor sleeps; the
            // monitor does the reverse.
            Volatile.Write(ref self.Events, self.Events + 1);
            Interlocked.Exchange(ref self.BusySince, Stopwatch.GetTimestamp());
            if (Volatile.Read(ref _monitorAsleep) == 1 && Interlocked.Exchange(ref _monitorAsleep, 0) == 1)
            {
                _monitorWake.Set();
            }

            if (_connections.TryGetValue((long)data, out var connection))
            {
                connection.OnReady();
            }

            if (Volatile.Read(ref self.Held) && !Rejoin(self))
            {
                return; // replaced while it was held, and the loop has its pollers
            }
        }

        Exit(self);
    }

    // A held poller whose request has ended polls again if the loop is short of pollers, or leaves.
    private bool Rejoin(Poller self)
    {
        lock (_threads)
        {
            if (!_stopped && _active < _pollers)
            {
                self.Held = false;
                _active++;
                return true;
            }

            RemoveLocked(self);
            return false;
        }
    }

    private void Exit(Poller self)
    {
        lock (_threads)
        {
            _active -= self.Held ? 0 : 1;
            RemoveLocked(self);
        }
    }

    private void RemoveLocked(Poller self)
    {
        _threads.Remove(self);
        if (_stopped && _threads.Count == 0)
        {
            CloseDescriptors();
        }
    }

    // Replaces pollers held longer than the hold time; sleeps without a timeout once a look finds the loop quiet.
    private void Monitor()
    {
        while (!_stopped)
        {
            if (CheckPollers())
            {
                _monitorWake.Wait(_monitorInterval);
                _monitorWake.Reset();
                continue;
            }

            // Say it sleeps, then look once more: a poller that became busy in between either saw the flag (and wakes
            // it) or is seen here.
            Interlocked.Exchange(ref _monitorAsleep, 1);
            if (!CheckPollers())
            {
                _monitorWake.Wait();
            }

            _monitorWake.Reset();
            Interlocked.Exchange(ref _monitorAsleep, 0);
        }
    }

    // Whether any poller is busy or has taken an event since the last look; replaces those held too long. A loop under
    // load has idle instants between requests: sleeping at each of them made every next event wake the monitor.
    private bool CheckPollers()
    {
        var busy = false;
        var events = 0L;
        var now = Stopwatch.GetTimestamp();
        lock (_threads)
        {
            var held = 0;
            foreach (var poller in _threads)
            {
                held += poller.Held ? 1 : 0;
            }

            // A loop over a copy of the count: StartPoller adds to the list.
            var count = _threads.Count;
            for (var i = 0; i < count; i++)
            {
                var poller = _threads[i];
                events += Volatile.Read(ref poller.Events);
                var since = Volatile.Read(ref poller.BusySince);
                if (since == 0 || poller.Held)
                {
                    continue;
                }

                busy = true;
                if (now - since > _holdTicks && held < _maxHeld && !_stopped)
                {
                    poller.Held = true;
                    held++;
                    _active--;
                    try
                    {
                        StartPoller();
                    }
                    catch (Exception ex) when (ex is OutOfMemoryException or ThreadStartException)
                    {
                        // No thread to spare: the held poller stays one, and the next look tries again.
                        poller.Held = false;
                        held--;
                        _active++;
                    }
                }
            }
        }

        // A poller that left takes its count with it; any change, down included, means events were taken.
        var active = events != _eventsSeen;
        _eventsSeen = events;
        return busy || active;
    }

    // Once: a second close would close whatever file has since been given the number.
    private void CloseDescriptors()
    {
        if (_closed)
        {
            return;
        }

        _closed = true;
        if (_stopFd >= 0)
        {
            _ = Libc.close(_stopFd);
        }

        if (_epfd >= 0)
        {
            _ = Libc.close(_epfd);
        }
    }

    private sealed class Poller
    {
        // A Stopwatch timestamp from taking an event until polling again; 0 while waiting in epoll_wait.
        public long BusySince;

        // Replaced by another poller while busy in one event.
        public bool Held;

        // Events taken; written by its poller only, read by the monitor.
        public long Events;
    }
}

namespace Clp.Controller.Queue;

/// <summary>A de-duplicating work queue of keys (STYLE 18, as controller-runtime's workqueue): a key
/// added while queued is queued once; a key added while it is being processed is queued again only
/// after <see cref="Done"/>, so one key is never processed twice at once.</summary>
internal sealed class WorkQueue(TimeProvider clock) : IDisposable
{
    private readonly Lock _gate = new();
    private readonly Queue<string> _ready = new();
    private readonly HashSet<string> _dirty = new(StringComparer.Ordinal);
    private readonly HashSet<string> _processing = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ITimer> _delayed = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _available = new(0);
    private bool _disposed;

    /// <summary>Queues <paramref name="key"/> unless it is queued already.</summary>
    public void Add(string key)
    {
        lock (_gate)
        {
            if (_disposed || !_dirty.Add(key))
            {
                return;
            }

            if (_processing.Contains(key))
            {
                return;
            }

            _ready.Enqueue(key);
        }

        _available.Release();
    }

    /// <summary>Queues <paramref name="key"/> after <paramref name="delay"/> on the queue's clock; an
    /// earlier pending delay of the key is replaced.</summary>
    public void AddAfter(string key, TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero)
        {
            Add(key);
            return;
        }

        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            if (_delayed.Remove(key, out var previous))
            {
                previous.Dispose();
            }

            ITimer? timer = null;
            timer = clock.CreateTimer(_ =>
            {
                lock (_gate)
                {
                    if (_delayed.TryGetValue(key, out var current) && ReferenceEquals(current, timer))
                    {
                        _delayed.Remove(key);
                    }
                }

                Add(key);
            }, null, delay, Timeout.InfiniteTimeSpan);
            _delayed[key] = timer;
        }
    }

    /// <summary>Waits for the next key; the caller must call <see cref="Done"/> with it.</summary>
    public async Task<string> GetAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            await _available.WaitAsync(cancellationToken);
            lock (_gate)
            {
                if (_ready.TryDequeue(out var key))
                {
                    _dirty.Remove(key);
                    _processing.Add(key);
                    return key;
                }
            }
        }
    }

    /// <summary>Ends the processing of <paramref name="key"/>; queues it again if it was added meanwhile.</summary>
    public void Done(string key)
    {
        bool again;
        lock (_gate)
        {
            _processing.Remove(key);
            again = _dirty.Contains(key) && !_disposed;
            if (again)
            {
                _ready.Enqueue(key);
            }
        }

        if (again)
        {
            _available.Release();
        }
    }

    /// <summary>Keys queued and not yet taken.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _ready.Count;
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            foreach (var timer in _delayed.Values)
            {
                timer.Dispose();
            }

            _delayed.Clear();
        }
    }
}

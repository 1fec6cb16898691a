using System.Runtime.InteropServices;
using Clp.Core.Drivers;
using Microsoft.Win32.SafeHandles;

namespace Clp.Drivers.Linux.Partitions;

/// <summary>A Disk resolver's heartbeat area on this server (docs/partition-safety.md, section 5): every
/// exchange reads the whole area (64 slots of 512 bytes), then writes this server's slot with its counter
/// + 1 (pwrite, then fdatasync). Another server is alive on disk while its slot changed within the window,
/// as this server saw it on its own monotonic clock; a slot seen for the first time counts as changed then
/// (a server is presumed alive until it has been seen standing still for the window: the cautious
/// direction, since a server alive on disk can only keep the other sides from surviving).</summary>
/// <remarks>Slots: a server keeps the slot holding its name; else it takes the first free slot from the
/// one its name hashes to (<see cref="DiskSlot.PreferredIndex"/>): empty or torn, or held by a name that
/// is not one of the resolver's servers (a removed server). Adding a server moves nobody. Two servers
/// that take the same free slot at once: the one that reads the other's name in it at its next exchange
/// moves on. Before each read the area's cached pages are dropped (posix_fadvise), so a block device
/// shared by several machines is read from the disk, not from this machine's page cache. The own check
/// fails when opening, reading, writing or flushing fails, or an exchange outlasts its budget.</remarks>
public sealed class DiskHeartbeatArea : INpMedium
{
    private readonly NpMediumContext _context;
    private readonly OwnCheck _own;
    private readonly Lock _gate = new();
    private readonly (string Server, ulong Counter, long ChangedAt)?[] _seen = new (string, ulong, long)?[DiskSlot.Count];
    private SafeFileHandle? _handle;
    private int? _slot;
    private ulong _counter;
    private bool _disposed;

    public DiskHeartbeatArea(NpMediumContext context)
    {
        _context = context;
        _own = new OwnCheck(context.Time, context.ExchangeBudget);
    }

    /// <summary>The slot this server writes, once it has one.</summary>
    internal int? Slot => _slot;

    public void Exchange(NpExchange exchange)
    {
        var start = _own.Started();
        try
        {
            SafeFileHandle handle;
            lock (_gate)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                handle = _handle ??= File.OpenHandle(_context.Location, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite);
            }

            var area = new byte[DiskSlot.AreaSize];
            _ = NpNative.Fadvise(handle.DangerousGetHandle(), 0, DiskSlot.AreaSize, NpNative.FadviseDontNeed);
            var read = 0;
            int n;
            while (read < area.Length && (n = RandomAccess.Read(handle, area.AsSpan(read), read)) > 0)
            {
                read += n;
            }

            var slots = new DiskSlot?[DiskSlot.Count];
            for (var i = 0; i < DiskSlot.Count; i++)
            {
                slots[i] = DiskSlot.Decode(area.AsSpan(i * DiskSlot.Size, DiskSlot.Size));
            }

            Observe(slots);
            var index = ChooseSlot(slots, exchange.Servers);
            var mine = slots[index];
            if (mine is not null && Same(mine.Server, _context.Server) && mine.Counter > _counter)
            {
                // A restarted agent continues its counter: it stays monotonic for readers.
                _counter = mine.Counter;
            }

            var slot = new byte[DiskSlot.Size];
            new DiskSlot(_context.Cluster, _context.Server, ++_counter).Encode(slot);
            RandomAccess.Write(handle, slot, (long)index * DiskSlot.Size);
            if (NpNative.Fdatasync(handle.DangerousGetHandle()) != 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                throw new IOException($"fdatasync {_context.Location} failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})");
            }

            _slot = index;
            _own.Completed(start, failed: false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ObjectDisposedException)
        {
            lock (_gate)
            {
                _handle?.Dispose();
                _handle = null;
            }

            _own.Completed(start, failed: true);
        }
    }

    public NpMediumReading Read(TimeSpan ownDeadline, TimeSpan peerWindow)
    {
        var time = _context.Time;
        var now = time.GetTimestamp();
        var own = _own.Passes(ownDeadline);
        var alive = new SortedSet<string>(StringComparer.OrdinalIgnoreCase);
        lock (_gate)
        {
            for (var i = 0; i < DiskSlot.Count; i++)
            {
                if (_seen[i] is { } seen && !Same(seen.Server, _context.Server) && time.GetElapsedTime(seen.ChangedAt, now) <= peerWindow)
                {
                    alive.Add(seen.Server);
                }
            }
        }

        if (own)
        {
            alive.Add(_context.Server);
        }

        return new NpMediumReading(own, [.. alive]);
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _handle?.Dispose();
            _handle = null;
        }
    }

    /// <summary>Records, per slot, when its contents last changed (on this server's clock).</summary>
    private void Observe(DiskSlot?[] slots)
    {
        var now = _context.Time.GetTimestamp();
        lock (_gate)
        {
            for (var i = 0; i < DiskSlot.Count; i++)
            {
                var slot = slots[i];
                if (slot is null || !Same(slot.Cluster, _context.Cluster))
                {
                    _seen[i] = null;
                }
                else if (_seen[i] is not { } before || !Same(before.Server, slot.Server) || before.Counter != slot.Counter)
                {
                    _seen[i] = (slot.Server, slot.Counter, now);
                }
            }
        }
    }

    /// <summary>This server's slot: the one it wrote last while it still holds its name (or reads empty,
    /// e.g. torn), else one holding its name, else the first free one from its preferred index.</summary>
    private int ChooseSlot(DiskSlot?[] slots, IReadOnlyCollection<string> servers)
    {
        if (_slot is { } current && (slots[current] is not { } held || Ours(held)))
        {
            return current;
        }

        var preferred = DiskSlot.PreferredIndex(_context.Server);
        for (var k = 0; k < DiskSlot.Count; k++)
        {
            var i = (preferred + k) % DiskSlot.Count;
            if (slots[i] is { } slot && Ours(slot))
            {
                return i;
            }
        }

        // A server list without this server is not a view to judge others' slots by: only empty slots then.
        var reclaim = servers.Contains(_context.Server, StringComparer.OrdinalIgnoreCase);
        for (var k = 0; k < DiskSlot.Count; k++)
        {
            var i = (preferred + k) % DiskSlot.Count;
            if (i != _slot && (slots[i] is not { } slot
                               || (reclaim && Same(slot.Cluster, _context.Cluster) && !servers.Contains(slot.Server, StringComparer.OrdinalIgnoreCase))))
            {
                return i;
            }
        }

        throw new IOException($"the heartbeat area {_context.Location} has no free slot for {_context.Server}");
    }

    private bool Ours(DiskSlot slot) => Same(slot.Cluster, _context.Cluster) && Same(slot.Server, _context.Server);

    private static bool Same(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
}

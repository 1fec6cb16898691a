using Clp.Agent.View;
using Clp.Core.Drivers;
using Clp.Core.Model;
using Clp.Policy.Partitions;

namespace Clp.Agent.Partitions;

/// <summary>The NP media of this server: a heartbeat area per Disk resolver and a serial line per Com
/// resolver that applies here (docs/partition-safety.md, section 5). It opens each with the host's
/// factory, exchanges on it once per heartbeat interval (one exchange at a time: a stalled one is not
/// stacked, and this server's own check fails once it outlasts its budget), reopens it when its path or
/// device changes, closes it when its resolver goes, and turns the readings into observations.</summary>
/// <remarks>Timing, all on this server's monotonic clock, T = the heartbeat timeout: the own check fails
/// when no exchange completed within T (or the newest failed or outlasted the resolver's timeoutSeconds);
/// another server is alive on disk while its slot changed within 2 T, so it is seen dead only after it
/// has failed its own check (by T) and has had one interval and its fence budget F ≤ T − 2 I to act on
/// it; a Com line is up while a frame from the other end, echoing one of this end's sent within T,
/// arrived within T.</remarks>
internal sealed partial class NpMediaSet(string self, IReadOnlyDictionary<NpResolverType, NpMediumFactory> factories, TimeProvider time, ILogger logger) : IDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Entry> _media = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Opens, replaces and closes media to match <paramref name="view"/>, then starts an exchange on
    /// every medium whose previous exchange has ended.</summary>
    public void ExchangeDue(ClusterView view, byte[]? secret)
    {
        var cluster = view.Cluster;
        var wanted = Wanted(view);
        List<(Entry Entry, NpExchange Exchange)> due = [];
        lock (_gate)
        {
            foreach (var gone in _media.Keys.Where(name => !wanted.ContainsKey(name)).ToList())
            {
                _media.Remove(gone, out var entry);
                entry!.Medium.Dispose();
            }

            foreach (var (name, (resolver, location)) in wanted)
            {
                var budget = TimeSpan.FromSeconds(Math.Max(1, resolver.TimeoutSeconds));
                if (_media.TryGetValue(name, out var entry) && (entry.Type != resolver.Type || entry.Location != location || entry.Budget != budget))
                {
                    _media.Remove(name);
                    entry.Medium.Dispose();
                    entry = null;
                }

                if (entry is null)
                {
                    var medium = factories[resolver.Type](new NpMediumContext(cluster!.Metadata.Name, self, resolver.Name, location, budget, time));
                    if (medium is null)
                    {
                        continue;
                    }

                    _media[name] = entry = new Entry(resolver.Type, location, budget, medium);
                    LogOpened(name, resolver.Type.ToString(), location);
                }

                if (entry.Running is { IsCompleted: false })
                {
                    continue;
                }

                var servers = resolver.Servers is { Count: > 0 } listed ? listed : [.. view.Servers.Keys];
                due.Add((entry, new NpExchange(servers, secret)));
            }
        }

        foreach (var (entry, exchange) in due)
        {
            entry.Running = Task.Run(() =>
            {
                try
                {
                    entry.Medium.Exchange(exchange);
                }
                catch (Exception e)
                {
                    // A medium records its I/O failures itself; anything else is a bug in it. Its own check
                    // then fails (the exchange never completed), the safe direction; say why once per failure.
                    LogExchangeFailed(entry.Type.ToString(), entry.Location, e);
                }
            });
        }
    }

    /// <summary>Adds each medium's reading to the observation being built.</summary>
    public void Publish(TimeSpan timeout, Dictionary<string, bool> checks, Dictionary<string, List<string>> aliveOnDisk, Dictionary<string, bool> comLineUp)
    {
        List<(string Name, Entry Entry)> media;
        lock (_gate)
        {
            media = [.. _media.Select(m => (m.Key, m.Value))];
        }

        foreach (var (name, entry) in media)
        {
            var reading = entry.Medium.Read(timeout, entry.Type == NpResolverType.Disk ? timeout + timeout : timeout);
            checks[name] = reading.OwnCheck;
            if (entry.Type == NpResolverType.Disk)
            {
                aliveOnDisk[name] = [.. reading.Alive];
            }
            else
            {
                comLineUp[name] = reading.Alive.Count > 0;
            }

            if (entry.LastOwnCheck != reading.OwnCheck)
            {
                entry.LastOwnCheck = reading.OwnCheck;
                LogOwnCheck(name, entry.Type.ToString(), entry.Location, reading.OwnCheck ? "works" : "fails");
            }
        }
    }

    /// <summary>For tests: the exchange in flight (or last run) on a resolver's medium.</summary>
    internal Task? PendingExchange(string resolver)
    {
        lock (_gate)
        {
            return _media.GetValueOrDefault(resolver)?.Running;
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var entry in _media.Values)
            {
                entry.Medium.Dispose();
            }

            _media.Clear();
        }
    }

    /// <summary>The Disk and Com resolvers that apply here with a factory, by name, with the path or device
    /// this server uses (Com: its own <c>spec.npDevices</c> entry, else the resolver's device).</summary>
    private Dictionary<string, (NpResolverSpec Resolver, string Location)> Wanted(ClusterView view)
    {
        var wanted = new Dictionary<string, (NpResolverSpec, string)>(StringComparer.OrdinalIgnoreCase);
        if (view.Cluster is null)
        {
            return wanted;
        }

        var own = view.Servers.GetValueOrDefault(self)?.Spec.NpDevices ?? [];
        foreach (var resolver in view.Cluster.Spec.NpResolvers ?? [])
        {
            if (!factories.ContainsKey(resolver.Type) || !NpResolution.AppliesTo(resolver, self))
            {
                continue;
            }

            var location = resolver.Type switch
            {
                NpResolverType.Disk => resolver.Path,
                NpResolverType.Com => own.FirstOrDefault(d => string.Equals(d.Resolver, resolver.Name, StringComparison.OrdinalIgnoreCase))?.Device ?? resolver.Device,
                _ => null,
            };
            if (!string.IsNullOrEmpty(location))
            {
                wanted[resolver.Name] = (resolver, location);
            }
        }

        return wanted;
    }

    private sealed class Entry(NpResolverType type, string location, TimeSpan budget, INpMedium medium)
    {
        public NpResolverType Type { get; } = type;

        public string Location { get; } = location;

        public TimeSpan Budget { get; } = budget;

        public INpMedium Medium { get; } = medium;

        public Task? Running { get; set; }

        public bool? LastOwnCheck { get; set; }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "NP resolver {Resolver} ({Type}) uses {Location} on this server")]
    private partial void LogOpened(string resolver, string type, string location);

    [LoggerMessage(Level = LogLevel.Error, Message = "An exchange on the {Type} NP medium {Location} failed unexpectedly")]
    private partial void LogExchangeFailed(string type, string location, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "NP resolver {Resolver} ({Type}): this server's medium {Location} {Outcome}")]
    private partial void LogOwnCheck(string resolver, string type, string location, string outcome);
}

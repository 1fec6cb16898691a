using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Clp.Client.Problems;
using Clp.Core.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Clp.Client.Watching;

/// <summary>Reads a clp-api change feed as an endless <c>await foreach</c> of <see cref="WatchEvent"/>s, each
/// change exactly once and in resourceVersion order, across disconnects and history compaction.</summary>
/// <remarks>
/// The list-then-watch loop of Kubernetes reflectors (KubeOps <c>ResourceWatcher</c>, STYLE 23): the caller's
/// relist callback lists what it tracks and answers the list's <c>metadata.resourceVersion</c>; the watcher
/// streams the changes after it (SSE, <c>id</c> = resourceVersion) and remembers the last id. When the stream
/// ends or breaks it reconnects with <c>Last-Event-ID</c>: at once after a stream that delivered events,
/// else after a capped exponential backoff with jitter (<see cref="ClpWatcherOptions"/>, timed by the injected
/// <see cref="TimeProvider"/>). A 410 before the stream, or an <c>Error</c> event carrying a 410 problem, means
/// the resume point is older than the server's history: the watcher relists, yields a
/// <see cref="WatchEventType.Relisted"/> marker and continues after the new list. Events at or below the last
/// id are dropped, so a server replay cannot duplicate one.
/// <para>Failure semantics. Transport errors, 408, 429 and 5xx (on connect or in the relist callback) are
/// retried forever with the backoff; the stream only ends by cancellation (cleanly: the enumeration just
/// stops) or by a terminal error thrown to the consumer: 400/401/403/404 and other 4xx as
/// <see cref="ClpProblemException"/> subclasses (a revoked key, a deleted cluster), an answer that is not
/// <c>text/event-stream</c>, or an event the client cannot parse. A consumer that must keep watching
/// restarts the enumeration after logging such an error.</para>
/// </remarks>
public sealed partial class ClpWatcher
{
    private const string WatchBase = ClpApi.BasePath + "/watch/clusters";

    private readonly HttpClient _http;
    private readonly TimeProvider _time;
    private readonly ClpWatcherOptions _options;
    private readonly ILogger _logger;

    /// <param name="http">Has the server's base address and sends the key (see <see cref="BearerKeyHandler"/>).
    /// Its <see cref="HttpClient.Timeout"/> bounds each connect up to the response headers, not the stream.</param>
    public ClpWatcher(HttpClient http, TimeProvider? timeProvider = null, ClpWatcherOptions? options = null, ILogger<ClpWatcher>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        options ??= new ClpWatcherOptions();
        options.Validate();
        _http = http;
        _time = timeProvider ?? TimeProvider.System;
        _options = options;
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <summary>Every kind in <paramref name="cluster"/>: the one stream an agent needs.</summary>
    /// <param name="relist">Lists what the consumer tracks and answers the list's resourceVersion; called
    /// first when <paramref name="after"/> is null, and whenever the resume point is gone.</param>
    /// <param name="after">Resume after this resourceVersion (a list's <c>metadata.resourceVersion</c>).</param>
    public IAsyncEnumerable<WatchEvent> WatchClusterAsync(string cluster, Func<CancellationToken, Task<long>> relist, long? after = null, CancellationToken cancellationToken = default) =>
        WatchAsync($"{WatchBase}/{Uri.EscapeDataString(cluster)}", relist, after, cancellationToken);

    /// <summary>One kind: in <paramref name="cluster"/>, or every Cluster for <see cref="Kinds.Cluster"/>
    /// (then <paramref name="cluster"/> is ignored).</summary>
    /// <inheritdoc cref="WatchClusterAsync" path="/param"/>
    public IAsyncEnumerable<WatchEvent> WatchKindAsync(KindInfo kind, string cluster, Func<CancellationToken, Task<long>> relist, long? after = null, CancellationToken cancellationToken = default) =>
        WatchAsync(kind.TopLevel ? WatchBase : $"{WatchBase}/{Uri.EscapeDataString(cluster)}/{kind.Plural}", relist, after, cancellationToken);

    /// <summary>Any watch route of the API, by its path (<c>/apis/clp/v1/watch/clusters/...</c>).</summary>
    /// <inheritdoc cref="WatchClusterAsync" path="/param"/>
    public IAsyncEnumerable<WatchEvent> WatchAsync(string path, Func<CancellationToken, Task<long>> relist, long? after = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(relist);
        return RunAsync(path, relist, after, cancellationToken);
    }

    private async IAsyncEnumerable<WatchEvent> RunAsync(string path, Func<CancellationToken, Task<long>> relist, long? after, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var last = after ?? 0;
        var mustRelist = after is null;
        var failures = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            if (failures > 0 && !await BackOffAsync(path, failures, last, cancellationToken))
            {
                yield break;
            }

            var relisted = false;
            if (mustRelist)
            {
                var listed = await TryRelistAsync(path, relist, cancellationToken);
                if (listed is null)
                {
                    if (cancellationToken.IsCancellationRequested)
                    {
                        yield break;
                    }

                    failures++;
                    continue;
                }

                last = listed.Value;
                mustRelist = false;
                relisted = true;
                yield return WatchEvent.Relisted(last);
            }

            var (response, outcome) = await ConnectAsync(path, last, cancellationToken);
            if (response is null)
            {
                switch (outcome)
                {
                    case Outcome.Canceled:
                        yield break;
                    case Outcome.Gone:
                        // Resume point compacted away: relist at once, unless we had just relisted, which
                        // means the history outruns the relist and must be backed off from.
                        mustRelist = true;
                        failures = relisted ? failures + 1 : failures;
                        continue;
                    default:
                        failures++;
                        continue;
                }
            }

            var progress = new StreamProgress(last);
            await foreach (var change in ReadStreamAsync(path, response, progress, cancellationToken))
            {
                yield return change;
            }

            if (progress.Canceled)
            {
                yield break;
            }

            (last, outcome) = (progress.Last, progress.Outcome);
            var delivered = progress.Delivered;
            if (outcome == Outcome.Gone)
            {
                mustRelist = true;
                failures = delivered > 0 ? 0 : failures + 1;
                continue;
            }

            // A stream that delivered something is healthy: resume at once. One that delivered nothing
            // counts as a failure, so a server that accepts and closes cannot make the watcher spin.
            failures = delivered > 0 ? 0 : failures + 1;
        }
    }

    /// <summary>Waits the backoff after <paramref name="failures"/> failures in a row; false when cancelled meanwhile.</summary>
    private Task<bool> BackOffAsync(string path, int failures, long last, CancellationToken cancellationToken)
    {
        var delay = WatchBackoff.Delay(failures, _options.InitialBackoff, _options.MaxBackoff, Random.Shared.NextDouble());
        LogBackoff(path, failures, delay, last);
        return DelayAsync(delay, cancellationToken);
    }

    /// <summary>How far one stream got: the resume point, what it delivered, how it ended.</summary>
    private sealed class StreamProgress(long last)
    {
        public long Last { get; set; } = last;

        public int Delivered { get; set; }

        public Outcome Outcome { get; set; } = Outcome.Ended;

        /// <summary>The watch was cancelled while reading: the watcher ends.</summary>
        public bool Canceled { get; set; }
    }

    /// <summary>Reads one connected stream to its end, its idle timeout, an error event or a break: yields each new
    /// change once (a replayed one, at or below the resume point, is skipped) and records how far it got.</summary>
    private async IAsyncEnumerable<WatchEvent> ReadStreamAsync(string path, HttpResponseMessage response, StreamProgress progress, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using (response)
        {
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            using var idle = new CancellationTokenSource(_options.IdleTimeout, _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, idle.Token);
            await using var items = SseParser.Create(stream, static (type, data) => ParseData(type, data)).EnumerateAsync(linked.Token).GetAsyncEnumerator(linked.Token);
            progress.Outcome = Outcome.Ended;
            while (true)
            {
                SseItem<JsonElement> item;
                try
                {
                    if (!await items.MoveNextAsync())
                    {
                        break;
                    }

                    item = items.Current;
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    progress.Canceled = true;
                    yield break;
                }
                catch (OperationCanceledException) when (idle.IsCancellationRequested)
                {
                    LogIdle(path, _options.IdleTimeout, progress.Last);
                    break;
                }
                catch (Exception e) when (e is IOException or HttpRequestException)
                {
                    LogBroken(path, e.Message, progress.Last);
                    break;
                }

                idle.CancelAfter(_options.IdleTimeout);
                if (item.EventType == "Error")
                {
                    progress.Outcome = OnErrorEvent(path, item.Data, progress.Last);
                    break;
                }

                if (!TryVersion(item, out var version))
                {
                    throw new InvalidDataException($"watch {path}: a {item.EventType} event has no resourceVersion id");
                }

                if (version <= progress.Last)
                {
                    // Already delivered (a replay): exactly once means never twice.
                    continue;
                }

                progress.Last = version;
                progress.Delivered++;
                if (ChangeType(item.EventType) is { } type)
                {
                    yield return WatchEvent.Change(type, version, ObjectOf(path, item));
                }

                // Any other event type with an id (a future progress marker) only moves the resume point.
            }
        }
    }
}

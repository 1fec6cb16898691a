using System.Net;
using System.Text;
using Clp.Client.Tests.Support;
using Clp.Client.Watching;

namespace Clp.Client.Tests.Watching;

/// <summary>The watcher against a scripted server, for the wire conditions the real API cannot produce on
/// demand: an <c>Error</c> event mid-stream, a string of 503s, a silent stream, a replay, a wrong answer.
/// The test is the only driver of the watcher's clock.</summary>
public class ClpWatcherWireTests
{
    private const string Gone410 = """
        event: Error
        data: {"type":"urn:clp:problem:resource-version-gone","title":"Resource version too old","status":410,"detail":"compacted"}


        """;

    private readonly ScriptedHandler _server = new();
    private readonly SignalingTimeProvider _time = new();

    private ClpWatcher Watcher(ClpWatcherOptions? options = null) =>
        new(_server.Client(), _time, options ?? new ClpWatcherOptions { IdleTimeout = Timeout.InfiniteTimeSpan });

    private static Task<long> NoRelist(CancellationToken ct) => throw new InvalidOperationException("no relist expected");

    [Fact]
    public async Task Watch_ErrorEvent410MidStream_RelistsAndResumesAfterTheList()
    {
        _server.ReplyEvents(ScriptedHandler.Event("Added", 11, "Group", "g1") + Gone410);
        _server.ReplyEventsThenSilence(ScriptedHandler.Event("Modified", 21, "Group", "g1"));
        await using var pump = new WatchPump(ct => Watcher().WatchClusterAsync("c1", _ => Task.FromResult(20L), after: 10, ct));

        var events = await pump.NextAsync(3, "g1 added, the Relisted marker, g1 modified");
        var first = await _server.NextRequestAsync("the first watch request");
        var second = await _server.NextRequestAsync("the watch after the relist");

        Assert.Equal(["Added 11", "Relisted 20", "Modified 21"], events.Select(e => $"{e.Type} {e.ResourceVersion}"));
        Assert.Equal(("10", "20"), (LastEventId(first), LastEventId(second)));
        Assert.False(_time.HasPendingTimer, "a stream that delivered events relists at once");
    }

    [Fact]
    public async Task Watch_ServerUnavailable_BacksOffExponentiallyWithJitterUpToTheCap()
    {
        var options = new ClpWatcherOptions { InitialBackoff = TimeSpan.FromSeconds(1), MaxBackoff = TimeSpan.FromSeconds(4), IdleTimeout = Timeout.InfiniteTimeSpan };
        for (var i = 0; i < 4; i++)
        {
            _server.ReplyStatus(HttpStatusCode.ServiceUnavailable);
        }

        _server.ReplyEventsThenSilence(ScriptedHandler.Event("Added", 11, "Group", "g1"));
        await using var pump = new WatchPump(ct => Watcher(options).WatchClusterAsync("c1", NoRelist, after: 10, ct));

        double[] ceilings = [1, 2, 4, 4];
        foreach (var (ceiling, attempt) in ceilings.Select((c, i) => (c, i + 1)))
        {
            Assert.Equal("10", LastEventId(await _server.NextRequestAsync($"attempt {attempt}")));
            var delay = await _time.NextTimerAsync($"the backoff after failure {attempt}");
            Assert.InRange(delay.TotalSeconds, ceiling / 2, ceiling);
            _time.Advance(delay);
        }

        Assert.Equal("10", LastEventId(await _server.NextRequestAsync("the attempt after the backoffs")));
        Assert.Equal(11, (await pump.NextAsync("the event once the server is back")).ResourceVersion);
    }

    [Fact]
    public async Task Watch_SilentStream_ResumesAfterTheIdleTimeout()
    {
        var idle = TimeSpan.FromSeconds(30);
        _server.ReplyEventsThenSilence(ScriptedHandler.Event("Added", 11, "Group", "g1"));
        _server.ReplyEventsThenSilence(ScriptedHandler.Event("Added", 12, "Group", "g2"));
        await using var pump = new WatchPump(ct => Watcher(new() { IdleTimeout = idle }).WatchClusterAsync("c1", NoRelist, after: 10, ct));
        await _server.NextRequestAsync("the first watch request");
        Assert.Equal(idle, await _time.NextTimerAsync("the idle timer of the first stream"));
        Assert.Equal(11, (await pump.NextAsync("the first event")).ResourceVersion);

        _time.Advance(idle - TimeSpan.FromTicks(1));
        Assert.False(_server.HasPendingRequest(), "one tick before the idle timeout the stream is kept");
        _time.Advance(TimeSpan.FromTicks(1));

        Assert.Equal("11", LastEventId(await _server.NextRequestAsync("the reconnect after the idle timeout")));
        Assert.Equal(12, (await pump.NextAsync("the event of the resumed stream")).ResourceVersion);
    }

    [Fact]
    public async Task Watch_ReplayedOrOlderEvent_IsDropped()
    {
        _server.ReplyEventsThenSilence(
            ScriptedHandler.Event("Added", 11, "Group", "g1") + ScriptedHandler.Event("Added", 11, "Group", "g1")
            + ScriptedHandler.Event("Deleted", 9, "Group", "g0") + ScriptedHandler.Event("Modified", 12, "Group", "g1"));
        await using var pump = new WatchPump(ct => Watcher().WatchClusterAsync("c1", NoRelist, after: 10, ct));

        var events = await pump.NextAsync(2, "the two new events");

        Assert.Equal([11L, 12L], events.Select(e => e.ResourceVersion));
    }

    [Fact]
    public async Task Watch_UnknownEventTypeWithId_OnlyMovesTheResumePoint()
    {
        _server.ReplyEvents(ScriptedHandler.Event("Added", 11, "Group", "g1") + "event: Bookmark\ndata: {}\nid: 15\n\n");
        _server.ReplyEventsThenSilence(ScriptedHandler.Event("Added", 16, "Group", "g2"));
        await using var pump = new WatchPump(ct => Watcher().WatchClusterAsync("c1", NoRelist, after: 10, ct));

        var events = await pump.NextAsync(2, "the two changes around the marker");
        await _server.NextRequestAsync("the first watch request");

        Assert.Equal([11L, 16L], events.Select(e => e.ResourceVersion));
        Assert.Equal("15", LastEventId(await _server.NextRequestAsync("the resume after the marker")));
    }

    [Fact]
    public async Task Watch_RelistFailsTransiently_RetriesAfterABackoff()
    {
        var calls = 0;
        _server.ReplyEventsThenSilence(ScriptedHandler.Event("Added", 6, "Group", "g1"));
        await using var pump = new WatchPump(ct => Watcher().WatchClusterAsync("c1", _ =>
            Interlocked.Increment(ref calls) == 1 ? throw new HttpRequestException("connection refused") : Task.FromResult(5L), cancellationToken: ct));

        _time.Advance(await _time.NextTimerAsync("the backoff after the failed relist"));
        var events = await pump.NextAsync(2, "the Relisted marker and the first event");

        Assert.Equal(["Relisted 5", "Added 6"], events.Select(e => $"{e.Type} {e.ResourceVersion}"));
        Assert.Equal("5", LastEventId(await _server.NextRequestAsync("the watch request after the relist")));
        Assert.Equal(2, calls);
    }

    [Fact]
    public async Task Watch_AnswerIsNotAnEventStream_Throws()
    {
        _server.Reply(_ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("<html/>", Encoding.UTF8, "text/html") });

        var e = await Assert.ThrowsAsync<InvalidDataException>(async () =>
        {
            await foreach (var _ in Watcher().WatchClusterAsync("c1", NoRelist, after: 10))
            {
            }
        }).WaitAsync("the refusal of a non-SSE answer");

        Assert.Contains("text/html", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Watch_Forbidden_ThrowsWithoutRetrying()
    {
        _server.ReplyStatus(HttpStatusCode.Forbidden, """{"type":"urn:clp:problem:forbidden","status":403,"detail":"viewer"}""");

        await Assert.ThrowsAsync<Clp.Client.Problems.ClpForbiddenException>(async () =>
        {
            await foreach (var _ in Watcher().WatchClusterAsync("c1", NoRelist, after: 10))
            {
            }
        }).WaitAsync("the 403 of the watch");

        Assert.False(_time.HasPendingTimer, "a 403 is terminal: no backoff, no retry");
    }

    private static string? LastEventId(HttpRequestMessage request) =>
        request.Headers.TryGetValues("Last-Event-ID", out var values) ? values.Single() : null;
}

using Clp.Core.Store;

namespace Clp.Store.Conformance.Tests;

/// <summary>Reads one watch step by step with bounded waits whose failures name what was awaited.</summary>
internal sealed class WatchProbe : IAsyncDisposable
{
    private readonly CancellationTokenSource _cancel = new();
    private readonly IAsyncEnumerator<WatchEvent> _events;
    private readonly string _name;
    private Task<bool>? _pending;

    public WatchProbe(IResourceStore store, WatchQuery query)
    {
        _name = $"watch(cluster '{query.Cluster}', kind {query.Kind ?? "*"}, after {query.AfterResourceVersion})";
        _events = store.WatchAsync(query, _cancel.Token).GetAsyncEnumerator(_cancel.Token);
    }

    /// <summary>The next event; <paramref name="what"/> names it in the timeout message.</summary>
    public async Task<WatchEvent> NextAsync(string what)
    {
        _pending = _events.MoveNextAsync().AsTask();
        var hasNext = await Bounded.Within(_pending, $"{what} on {_name}");
        _pending = null;
        Assert.True(hasNext, $"{_name} ended while waiting for {what}");
        return _events.Current;
    }

    public async Task<IReadOnlyList<WatchEvent>> TakeAsync(int count, string what)
    {
        var events = new List<WatchEvent>();
        for (var i = 0; i < count; i++)
        {
            events.Add(await NextAsync($"{what} (event {i + 1} of {count})"));
        }

        return events;
    }

    public async ValueTask DisposeAsync()
    {
        await _cancel.CancelAsync();
        if (_pending is not null)
        {
            // A step that timed out is still running; let it observe the cancellation before disposing.
            await _pending.ContinueWith(_ => { }, TaskScheduler.Default).WaitAsync(Bounded.Limit);
        }

        await _events.DisposeAsync();
        _cancel.Dispose();
    }
}

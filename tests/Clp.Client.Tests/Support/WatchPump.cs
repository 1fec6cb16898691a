using System.Threading.Channels;
using Clp.Client.Watching;

namespace Clp.Client.Tests.Support;

/// <summary>Runs a watch enumeration in the background and hands its events to the test through a channel;
/// a failure of the enumeration is rethrown by the next read.</summary>
internal sealed class WatchPump : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Channel<WatchEvent> _events = Channel.CreateUnbounded<WatchEvent>();

    public WatchPump(Func<CancellationToken, IAsyncEnumerable<WatchEvent>> watch)
    {
        Completion = Task.Run(async () =>
        {
            try
            {
                await foreach (var e in watch(_stop.Token))
                {
                    _events.Writer.TryWrite(e);
                }

                _events.Writer.TryComplete();
            }
            catch (Exception e)
            {
                _events.Writer.TryComplete(e);
                throw;
            }
        });
    }

    /// <summary>Ends when the enumeration ends (cleanly after <see cref="Stop"/>).</summary>
    public Task Completion { get; }

    public Task<WatchEvent> NextAsync(string awaited) => _events.Reader.ReadAsync(awaited);

    public async Task<List<WatchEvent>> NextAsync(int count, string awaited)
    {
        var events = new List<WatchEvent>();
        while (events.Count < count)
        {
            events.Add(await _events.Reader.ReadAsync($"{awaited} (event {events.Count + 1} of {count})"));
        }

        return events;
    }

    public void Stop() => _stop.Cancel();

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        try
        {
            await Completion.WaitAsync(Bounded.Limit);
        }
        catch (Exception)
        {
            // The test has already asserted what it expects of the enumeration's end.
        }

        _stop.Dispose();
    }
}

using Clp.Controller.Queue;
using Microsoft.Extensions.Time.Testing;

namespace Clp.Controller.Tests.Queue;

/// <summary>STYLE 18: one reconcile per key at a time through a de-duplicating queue.</summary>
public sealed class WorkQueueTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Add_SameKeyTwiceWhileQueued_IsQueuedOnce()
    {
        using var queue = new WorkQueue(new FakeTimeProvider());
        queue.Add("a");
        queue.Add("a");
        queue.Add("b");
        Assert.Equal(2, queue.Count);
        Assert.Equal("a", await queue.GetAsync(CancellationToken.None).WaitAsync(Bound));
        Assert.Equal("b", await queue.GetAsync(CancellationToken.None).WaitAsync(Bound));
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public async Task Add_WhileProcessing_IsQueuedAgainOnlyAfterDone()
    {
        using var queue = new WorkQueue(new FakeTimeProvider());
        queue.Add("a");
        var key = await queue.GetAsync(CancellationToken.None).WaitAsync(Bound);
        queue.Add("a");
        queue.Add("a");
        Assert.Equal(0, queue.Count);
        queue.Done(key);
        Assert.Equal(1, queue.Count);
        Assert.Equal("a", await queue.GetAsync(CancellationToken.None).WaitAsync(Bound));
    }

    [Fact]
    public async Task AddAfter_QueuesAtTheDelay_NotBefore()
    {
        var clock = new FakeTimeProvider();
        using var queue = new WorkQueue(clock);
        queue.AddAfter("a", TimeSpan.FromSeconds(2));
        clock.Advance(TimeSpan.FromSeconds(2) - TimeSpan.FromTicks(1));
        Assert.Equal(0, queue.Count);
        clock.Advance(TimeSpan.FromTicks(1));
        Assert.Equal(1, queue.Count);
        Assert.Equal("a", await queue.GetAsync(CancellationToken.None).WaitAsync(Bound));
    }
}

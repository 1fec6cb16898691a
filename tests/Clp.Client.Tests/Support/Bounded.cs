using System.Threading.Channels;

namespace Clp.Client.Tests.Support;

/// <summary>Waits that end: every await in a test is bounded, and a timeout names what was awaited.</summary>
internal static class Bounded
{
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(20);

    public static async Task<T> ReadAsync<T>(this ChannelReader<T> reader, string awaited)
    {
        using var cts = new CancellationTokenSource(Limit);
        try
        {
            return await reader.ReadAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"no {awaited} within {Limit.TotalSeconds} s");
        }
        catch (ChannelClosedException e) when (e.InnerException is not null)
        {
            // The producer failed: surface its exception as it was thrown.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }
        catch (ChannelClosedException)
        {
            throw new InvalidOperationException($"the channel closed while awaiting {awaited}");
        }
    }

    public static async Task<T> WaitAsync<T>(this Task<T> task, string awaited)
    {
        try
        {
            return await task.WaitAsync(Limit);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"no {awaited} within {Limit.TotalSeconds} s");
        }
    }

    public static async Task WaitAsync(this Task task, string awaited)
    {
        try
        {
            await task.WaitAsync(Limit);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"no {awaited} within {Limit.TotalSeconds} s");
        }
    }
}

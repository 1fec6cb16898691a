namespace Clp.Store.Conformance.Tests;

/// <summary>Bounded waits: a scenario never hangs, and a timeout says what it was waiting for. A task that
/// fails by itself (with its own timeout, say) keeps its own exception.</summary>
internal static class Bounded
{
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(10);

    public static async Task<T> Within<T>(Task<T> task, string what, TimeSpan? limit = null)
    {
        var bound = limit ?? Limit;
        try
        {
            return await task.WaitAsync(bound);
        }
        catch (TimeoutException) when (!task.IsCompleted)
        {
            throw new TimeoutException($"Timed out after {bound.TotalSeconds:0} s waiting for {what}.");
        }
    }

    public static async Task Within(Task task, string what, TimeSpan? limit = null)
    {
        var bound = limit ?? Limit;
        try
        {
            await task.WaitAsync(bound);
        }
        catch (TimeoutException) when (!task.IsCompleted)
        {
            throw new TimeoutException($"Timed out after {bound.TotalSeconds:0} s waiting for {what}.");
        }
    }
}

namespace Clp.Store.Sqlite.Internal;

/// <summary>Wakes every watcher after a commit: a task that completes at the next
/// <see cref="Notify"/>, replaced by a fresh one each time.</summary>
/// <remarks>A watcher takes <see cref="Next"/> before it reads the history. A commit that lands after that
/// read completes the task it holds, and a commit before it is in what it read, so no wake-up is lost.</remarks>
internal sealed class ChangeSignal
{
    private TaskCompletionSource _next = NewSource();

    public Task Next => Volatile.Read(ref _next).Task;

    public void Notify() => Interlocked.Exchange(ref _next, NewSource()).TrySetResult();

    private static TaskCompletionSource NewSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}

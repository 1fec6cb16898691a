namespace Clp.Controller.Queue;

/// <summary>Per-key exponential backoff with jitter and a cap (STYLE 17): base × 2^(failures − 1),
/// capped, then scaled by a random factor in [0.8, 1.2) so keys that failed together do not retry in
/// step.</summary>
internal sealed class Backoff(TimeSpan baseDelay, TimeSpan maxDelay, Func<double>? random = null)
{
    private readonly Dictionary<string, int> _failures = new(StringComparer.Ordinal);
    private readonly Func<double> _random = random ?? Random.Shared.NextDouble;

    /// <summary>Counts a failure of <paramref name="key"/> and returns how long to wait before retrying.</summary>
    public TimeSpan Next(string key)
    {
        lock (_failures)
        {
            var failures = _failures[key] = _failures.GetValueOrDefault(key) + 1;
            return Delay(failures);
        }
    }

    /// <summary>Forgets <paramref name="key"/>'s failures (after a success).</summary>
    public void Forget(string key)
    {
        lock (_failures)
        {
            _failures.Remove(key);
        }
    }

    public int Failures(string key)
    {
        lock (_failures)
        {
            return _failures.GetValueOrDefault(key);
        }
    }

    internal TimeSpan Delay(int failures)
    {
        var exponent = Math.Min(failures - 1, 30);
        var raw = baseDelay.Ticks * Math.Pow(2, exponent);
        var capped = Math.Min(raw, maxDelay.Ticks);
        var jittered = capped * (0.8 + (0.4 * _random()));
        return TimeSpan.FromTicks((long)Math.Min(jittered, maxDelay.Ticks));
    }
}

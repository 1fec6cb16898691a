using Clp.Core.Drivers;
using Clp.Drivers.Linux.Shell;

namespace Clp.Drivers.Linux.Monitors;

/// <summary><c>ipw</c>: ICMP echo to the targets with <c>ping</c>; healthy as soon as one target answers, an
/// error only when none does (the catalog's rule, as CLUSTERPRO's IP monitor).</summary>
/// <remarks>The targets are pinged in parallel, each up to <see cref="Attempts"/> times with a one-second reply
/// wait, so a probe that fails does so in about three seconds, well inside any monitor timeout; the first
/// answer cancels the other pings (Command kills their process groups).</remarks>
internal sealed class IpwProbe : Probe
{
    public const int Attempts = 3;

    public override string Type => "ipw";

    protected override async Task<ProbeResult> CheckAsync(MonitorContext context, ProbeParameters parameters, CancellationToken cancellationToken)
    {
        var targets = parameters.StringList("targets");
        if (targets.Count == 0)
        {
            throw new ArgumentException("ipw parameter targets is empty");
        }

        using var answered = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var pings = targets.Select(t => PingAsync(t, answered)).ToList();
        var failures = new List<string>();
        while (pings.Count > 0)
        {
            var done = await Task.WhenAny(pings);
            pings.Remove(done);
            var (target, error) = await done;
            if (error is null)
            {
                await answered.CancelAsync();
                await Task.WhenAll(pings);
                return ProbeResult.Ok($"{target} answers");
            }

            failures.Add($"{target} ({error})");
        }

        cancellationToken.ThrowIfCancellationRequested();
        return ProbeResult.Failed("no target answers: " + string.Join("; ", failures));
    }

    /// <summary>Pings <paramref name="target"/> until it answers; the error of the last attempt, or null.</summary>
    private static async Task<(string Target, string? Error)> PingAsync(string target, CancellationTokenSource answered)
    {
        var error = "not tried";
        try
        {
            for (var attempt = 0; attempt < Attempts; attempt++)
            {
                var result = await Command.RunAsync("ping", ["-n", "-q", "-c", "1", "-W", "1", target], answered.Token);
                if (result.Succeeded)
                {
                    return (target, null);
                }

                error = result.ExitCode == 1 ? "no reply" : result.Summary;
            }
        }
        catch (OperationCanceledException)
        {
            // Another target answered, or the caller cancelled (checked after the loop).
            error = "cancelled";
        }

        return (target, error);
    }
}

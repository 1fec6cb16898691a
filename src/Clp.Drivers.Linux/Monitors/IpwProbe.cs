using System.Net.NetworkInformation;
using Clp.Core.Drivers;

namespace Clp.Drivers.Linux.Monitors;

/// <summary><c>ipw</c>: ICMP echo to the targets; healthy as soon as one target answers, an error only when none
/// does (the catalog's rule, as CLUSTERPRO's IP monitor).</summary>
/// <remarks>The targets are pinged in parallel, each up to <see cref="Attempts"/> times with a one-second reply
/// wait, so a probe that fails does so in about three seconds, well inside any monitor timeout; the first
/// answer cancels the other pings. The echo is sent in process by <see cref="Ping"/> (a raw ICMP socket, which
/// the agent as root may open), not by starting <c>ping</c>: twenty ipw monitors at 1 s were forty execs a
/// second per server (ping under setsid), CPU that starved the lease renewals on a small server.</remarks>
internal sealed class IpwProbe : Probe
{
    public const int Attempts = 3;

    private static readonly TimeSpan ReplyWait = TimeSpan.FromSeconds(1);

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
            using var ping = new Ping();
            for (var attempt = 0; attempt < Attempts; attempt++)
            {
                var reply = await ping.SendPingAsync(target, ReplyWait, buffer: null, options: null, answered.Token);
                if (reply.Status == IPStatus.Success)
                {
                    return (target, null);
                }

                error = reply.Status == IPStatus.TimedOut ? "no reply" : reply.Status.ToString();
            }
        }
        catch (PingException e)
        {
            // A name that does not resolve, or a socket error: what ping would have printed.
            error = e.InnerException?.Message ?? e.Message;
        }
        catch (OperationCanceledException)
        {
            // Another target answered, or the caller cancelled (checked after the loop).
            error = "cancelled";
        }

        return (target, error);
    }
}

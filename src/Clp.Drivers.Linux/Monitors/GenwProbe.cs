using Clp.Core.Drivers;

namespace Clp.Drivers.Linux.Monitors;

/// <summary><c>genw</c>: runs the script (an executable's path or inline shell, both through <c>/bin/sh -c</c>)
/// and expects okExitCode. The run is synchronous: a script still running at the monitor's timeout is killed
/// with its whole process group when the caller cancels (the catalog defines no asynchronous mode).</summary>
/// <remarks>The script sees CLP_CLUSTER, CLP_SERVER, CLP_MONITOR (and CLP_TARGET when the monitor has one) in
/// its environment. The first line of its stderr (else stdout) goes into the failure message.</remarks>
internal sealed class GenwProbe : Probe
{
    public override string Type => "genw";

    /// <summary>Test seam: told the PID (= process group) of each script run.</summary>
    internal Action<int>? Started { get; set; }

    protected override async Task<ProbeResult> CheckAsync(MonitorContext context, ProbeParameters parameters, CancellationToken cancellationToken)
    {
        var script = parameters.String("script");
        var ok = (int)parameters.Integer("okExitCode");
        var environment = new Dictionary<string, string>
        {
            ["CLP_CLUSTER"] = context.Cluster,
            ["CLP_SERVER"] = context.Server,
            ["CLP_MONITOR"] = context.Monitor,
        };
        if (context.Target is not null)
        {
            environment["CLP_TARGET"] = context.Target;
        }

        var result = await ScriptRun.RunAsync(script, environment, cancellationToken, Started);
        return result.ExitCode == ok
            ? ProbeResult.Ok($"exit status {ok}")
            : ProbeResult.Failed($"exit status {result.ExitCode}, expected {ok}: {result.Summary}");
    }
}

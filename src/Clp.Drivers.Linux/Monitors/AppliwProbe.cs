using Clp.Core.Drivers;

namespace Clp.Drivers.Linux.Monitors;

/// <summary><c>appliw</c>: the process a resident appli resource supervises is still the one it started.</summary>
/// <remarks>Contract with the appli driver: <c>{StateDirectory}/appli/{resource}.pid</c> holds "PID STARTTIME",
/// STARTTIME being field 22 of <c>/proc/PID/stat</c>. The application is alive when /proc/PID exists, is not a
/// zombie, and has that start time (a recycled PID has another). No file means this agent did not start it.</remarks>
internal sealed class AppliwProbe(LinuxDriverOptions options) : Probe
{
    public override string Type => "appliw";

    /// <summary>Where the appli driver records the process of <paramref name="resource"/> (its <see cref="Resources.PidFile"/>).</summary>
    public static string PidFile(string stateDirectory, string resource) => new Resources.PidFile(stateDirectory, resource).Path;

    protected override async Task<ProbeResult> CheckAsync(MonitorContext context, ProbeParameters parameters, CancellationToken cancellationToken)
    {
        var resource = context.Target ?? throw new ArgumentException("appliw needs a target appli resource");
        var file = PidFile(options.StateDirectory, resource);
        string text;
        try
        {
            text = await File.ReadAllTextAsync(file, cancellationToken);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return ProbeResult.Failed($"appli {resource} was not started by this agent (no {file})");
        }

        return Resources.PidFile.Parse(text) is { } recorded
            ? Check(resource, recorded.Pid, recorded.StartTime, ProcStat.Read(recorded.Pid))
            : ProbeResult.Failed($"appli {resource}: {file} does not hold \"PID STARTTIME\" ({text.Trim()})");
    }

    /// <summary>The verdict on the recorded process given what /proc says of its PID (null: no such process).</summary>
    public static ProbeResult Check(string resource, int pid, ulong startTime, ProcStat? stat) => stat switch
    {
        null => ProbeResult.Failed($"appli {resource}: process {pid} is gone"),
        { IsZombie: true } => ProbeResult.Failed($"appli {resource}: process {pid} has exited (zombie)"),
        _ when stat.StartTime != startTime => ProbeResult.Failed(
            $"appli {resource}: process {pid} is gone (the PID now belongs to {stat.Name}, started at {stat.StartTime}, not {startTime})"),
        _ => ProbeResult.Ok($"appli {resource}: process {pid} ({stat.Name}) is running"),
    };
}

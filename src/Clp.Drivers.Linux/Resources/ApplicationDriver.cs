using Clp.Core.Drivers;
using Microsoft.Extensions.Logging;

namespace Clp.Drivers.Linux.Resources;

/// <summary>The <c>appli</c> driver: a resident application started in its own process group and supervised
/// through a pid file, or (resident=false) a start command run to completion and a stop command.</summary>
/// <remarks>
/// Resident: <c>startCommand</c> runs with <c>/bin/sh -c</c> under setsid; its output is appended to
/// <c>StateDirectory/appli/RESOURCE.log</c> and its PID and start time to <c>StateDirectory/appli/RESOURCE.pid</c>
/// (see <see cref="PidFile"/>, read by the appliw monitor). Activation fails when the process exits within the
/// settle time. Stop: <c>stopCommand</c> if given, else <c>stopSignal</c> to the whole group, then SIGKILL of the
/// group after <c>stopGraceSeconds</c>. The probe and a restarted agent trust the pid file only when the PID still
/// has the recorded start time, so a reused PID is never taken for the application.
/// Non-resident: activation runs <c>startCommand</c> to its end (non-zero exit fails) and sets an
/// <see cref="ActiveMarker"/>; deactivation runs <c>stopCommand</c> and clears it.
/// Failure modes: a process that left the group (its own setsid) or sits in uninterruptible sleep can outlive
/// the stop; the latter fails the deactivation with the surviving PIDs named.
/// </remarks>
public sealed partial class ApplicationDriver(LinuxDriverOptions options) : IResourceDriver
{
    private readonly ILogger _log = options.Loggers.CreateLogger<ApplicationDriver>();

    public string Type => "appli";

    /// <summary>How long a resident application must keep running after its start for the activation to
    /// succeed. Default 200 ms.</summary>
    public TimeSpan SettleTime { get; init; } = TimeSpan.FromMilliseconds(200);

    public async Task ActivateAsync(ResourceContext context, CancellationToken cancellationToken)
    {
        if (!context.Boolean("resident", true))
        {
            await RunNonResidentAsync(context, "startCommand", start: true, cancellationToken);
            return;
        }

        var pidFile = new PidFile(options.StateDirectory, context.Resource);
        if (pidFile.LiveProcess() is { } running)
        {
            LogAdopted(context.Resource, running.Pid);
            return;
        }

        // A pid file whose process is gone: whatever is left of that group goes before a new start.
        await StopRecordedAsync(context, pidFile, cancellationToken);
        var shell = Shell(context, context.RequiredString("startCommand"));
        var from = FileNames.Length(shell.LogPath);
        options.Gate.Check($"appli {context.Resource}", "startCommand");
        using var process = shell.Start($"appli {context.Resource} startCommand");
        try
        {
            if (ProcessTable.Read(process.Id) is { IsLive: true } stat)
            {
                pidFile.Write(process.Id, stat.StartTime);
            }

            var settle = Task.Delay(SettleTime, options.Time, cancellationToken);
            var exited = process.WaitForExitAsync(cancellationToken);
            if (await Task.WhenAny(settle, exited) == exited || !File.Exists(pidFile.Path))
            {
                await exited;
                pidFile.Delete();
                throw new DriverException($"appli {context.Resource}: startCommand exited with code {process.ExitCode} within "
                    + $"{SettleTime.TotalMilliseconds:0} ms of its start: {FileNames.Tail(shell.LogPath, from)}");
            }

            await settle;
        }
        catch (OperationCanceledException)
        {
            _ = Linux.Shell.Native.Kill(-process.Id, Linux.Shell.Native.SigKill);
            pidFile.Delete();
            throw;
        }

        LogStarted(context.Resource, process.Id);
    }

    public async Task DeactivateAsync(ResourceContext context, CancellationToken cancellationToken)
    {
        if (!context.Boolean("resident", true))
        {
            await RunNonResidentAsync(context, "stopCommand", start: false, cancellationToken);
            return;
        }

        await StopRecordedAsync(context, new PidFile(options.StateDirectory, context.Resource), cancellationToken);
    }

    public Task<ProbeResult> ProbeAsync(ResourceContext context, CancellationToken cancellationToken)
    {
        if (!context.Boolean("resident", true))
        {
            return Task.FromResult(Marker(context).IsSet ? ProbeResult.Ok("started") : ProbeResult.Failed("not started"));
        }

        var pidFile = new PidFile(options.StateDirectory, context.Resource);
        return Task.FromResult(pidFile.Read() switch
        {
            null => ProbeResult.Failed("not started (no pid file)"),
            var (pid, _) when pidFile.LiveProcess() is not null => ProbeResult.Ok($"process {pid} runs"),
            var (pid, _) => ProbeResult.Failed($"process {pid} has exited"),
        });
    }

    private async Task StopRecordedAsync(ResourceContext context, PidFile pidFile, CancellationToken cancellationToken)
    {
        if (pidFile.Read() is not var (pid, startTime))
        {
            return;
        }

        var leader = ProcessTable.Read(pid);
        if (leader is not null && leader.StartTime != startTime)
        {
            // The PID was reused: the kernel does not hand out a PID still used as a process group id, so the
            // recorded group is empty and this process is a stranger.
            pidFile.Delete();
            return;
        }

        if (ProcessTable.GroupMembers(pid).Count > 0)
        {
            var grace = TimeSpan.FromSeconds(context.Integer("stopGraceSeconds", 10));
            int? signal = StopSignal(context);
            if (leader is { IsLive: true } && context.OptionalString("stopCommand") is { Length: > 0 } stopCommand)
            {
                signal = null;
                int code;
                string output;
                try
                {
                    (code, output) = await Shell(context, stopCommand).RunAsync($"appli {context.Resource} stopCommand", grace, options.Time, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    // A fence or the step's timeout: the application must not outlive the cancelled stop.
                    _ = Linux.Shell.Native.Kill(-pid, Linux.Shell.Native.SigKill);
                    throw;
                }

                if (code != 0)
                {
                    LogStopCommandFailed(context.Resource, code, output);
                }
            }

            var survivors = await ProcessGroup.StopAsync(pid, signal, grace, options.Time, cancellationToken);
            if (survivors.Count > 0)
            {
                throw new DriverException($"appli {context.Resource}: processes {string.Join(", ", survivors.Select(s => s.Pid))} "
                    + $"of group {pid} survived SIGKILL (state {string.Join("", survivors.Select(s => s.State))})");
            }

            LogStopped(context.Resource, pid);
        }

        pidFile.Delete();
    }

    private async Task RunNonResidentAsync(ResourceContext context, string parameter, bool start, CancellationToken cancellationToken)
    {
        var marker = Marker(context);
        if (marker.IsSet == start)
        {
            return;
        }

        if (context.OptionalString(parameter) is { Length: > 0 } command)
        {
            if (start)
            {
                options.Gate.Check($"appli {context.Resource}", parameter);
            }

            var (code, output) = await Shell(context, command).RunAsync($"appli {context.Resource} {parameter}", null, options.Time, cancellationToken);
            if (code != 0)
            {
                throw new DriverException($"appli {context.Resource}: {parameter} exited with code {code}: {output}");
            }
        }

        if (start)
        {
            marker.Set();
        }
        else
        {
            marker.Clear();
        }
    }

    private ShellProcess Shell(ResourceContext context, string commandLine) => new(
        ShellProcess.Inline(commandLine),
        Path.Combine(options.StateDirectory, "appli", FileNames.Safe(context.Resource) + ".log"),
        context.OptionalString("user"),
        context.OptionalString("workingDirectory"),
        WithClpVariables(context));

    /// <summary>The resource's <c>environment</c> over the CLP_* variables scripts get too (CLP_SERVER names
    /// the server the application runs on).</summary>
    private static IReadOnlyDictionary<string, string> WithClpVariables(ResourceContext context)
    {
        var variables = ScriptDriver.Environment(context);
        foreach (var (name, value) in context.Map("environment"))
        {
            variables[name] = value;
        }

        return variables;
    }

    private ActiveMarker Marker(ResourceContext context) => new(options.StateDirectory, "appli", context.Resource);

    private static int StopSignal(ResourceContext context) => context.OptionalString("stopSignal") switch
    {
        null or "SIGTERM" => Linux.Shell.Native.SigTerm,
        "SIGINT" => 2,
        "SIGHUP" => 1,
        "SIGQUIT" => 3,
        var other => throw new DriverException($"appli {context.Resource}: stopSignal {other} is not one of SIGTERM, SIGINT, SIGHUP, SIGQUIT"),
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "appli {Resource}: started, process group {Pid}")]
    private partial void LogStarted(string resource, int pid);

    [LoggerMessage(Level = LogLevel.Information, Message = "appli {Resource}: adopted running process {Pid} from its pid file")]
    private partial void LogAdopted(string resource, int pid);

    [LoggerMessage(Level = LogLevel.Information, Message = "appli {Resource}: process group {Pid} stopped")]
    private partial void LogStopped(string resource, int pid);

    [LoggerMessage(Level = LogLevel.Warning, Message = "appli {Resource}: stopCommand exited with code {Code} ({Output}); the process group is signalled and killed")]
    private partial void LogStopCommandFailed(string resource, int code, string output);
}

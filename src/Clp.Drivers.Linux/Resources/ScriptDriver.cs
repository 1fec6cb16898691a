using System.Globalization;
using Clp.Core.Drivers;

namespace Clp.Drivers.Linux.Resources;

/// <summary>The <c>script</c> driver: runs <c>startScript</c> at activation and <c>stopScript</c> at deactivation,
/// each an absolute path of an executable or inline shell (<c>/bin/sh -c</c>), in a process group of its own.</summary>
/// <remarks>The scripts see CLP_CLUSTER, CLP_GROUP, CLP_RESOURCE, CLP_SERVER, CLP_EVENT (START, FAILOVER, MOVE or
/// STOP, CLUSTERPRO's event names) and CLP_EPOCH. A script that runs past <c>timeoutSeconds</c> (default 60) has its
/// process group killed and fails the step, as does a non-zero exit. Output is appended to
/// <c>StateDirectory/script/RESOURCE.log</c>. What a script starts and leaves running is not tracked: the probe
/// only knows that the start script succeeded (an <see cref="ActiveMarker"/>), and a daemon a script leaves
/// behind belongs to the script's author to stop.</remarks>
public sealed class ScriptDriver(LinuxDriverOptions options) : IResourceDriver
{
    public string Type => "script";

    public Task ActivateAsync(ResourceContext context, CancellationToken cancellationToken) =>
        RunAsync(context, "startScript", start: true, cancellationToken);

    public Task DeactivateAsync(ResourceContext context, CancellationToken cancellationToken) =>
        RunAsync(context, "stopScript", start: false, cancellationToken);

    public Task<ProbeResult> ProbeAsync(ResourceContext context, CancellationToken cancellationToken) =>
        Task.FromResult(Marker(context).IsSet ? ProbeResult.Ok("start script succeeded") : ProbeResult.Failed("not started"));

    /// <summary>The environment a script of <paramref name="context"/> runs with.</summary>
    internal static Dictionary<string, string> Environment(ResourceContext context) => new(StringComparer.Ordinal)
    {
        ["CLP_CLUSTER"] = context.Cluster,
        ["CLP_GROUP"] = context.Group,
        ["CLP_RESOURCE"] = context.Resource,
        ["CLP_SERVER"] = context.Server,
        ["CLP_EVENT"] = context.Reason.ToString().ToUpperInvariant(),
        ["CLP_EPOCH"] = context.Epoch.ToString(CultureInfo.InvariantCulture),
    };

    private async Task RunAsync(ResourceContext context, string parameter, bool start, CancellationToken cancellationToken)
    {
        var marker = Marker(context);
        if (marker.IsSet == start)
        {
            return;
        }

        var script = start ? context.RequiredString(parameter) : context.OptionalString(parameter);
        if (script is { Length: > 0 })
        {
            var timeout = TimeSpan.FromSeconds(context.Integer("timeoutSeconds", 60));
            var shell = new ShellProcess(
                ShellProcess.PathOrInline(script),
                Path.Combine(options.StateDirectory, "script", FileNames.Safe(context.Resource) + ".log"),
                User: null,
                WorkingDirectory: null,
                Environment(context));
            if (start)
            {
                options.Gate.Check($"script {context.Resource}", parameter);
            }

            var (code, output) = await shell.RunAsync($"script {context.Resource} {parameter}", timeout, options.Time, cancellationToken);
            if (code != 0)
            {
                throw new DriverException($"script {context.Resource}: {parameter} exited with code {code}: {output}");
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

    private ActiveMarker Marker(ResourceContext context) => new(options.StateDirectory, "script", context.Resource);
}

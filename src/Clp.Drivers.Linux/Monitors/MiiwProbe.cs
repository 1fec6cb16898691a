using Clp.Core.Drivers;

namespace Clp.Drivers.Linux.Monitors;

/// <summary><c>miiw</c>: the network device has a link (carrier and operstate, see <see cref="LinkState"/>).</summary>
internal sealed class MiiwProbe : Probe
{
    public override string Type => "miiw";

    protected override Task<ProbeResult> CheckAsync(MonitorContext context, ProbeParameters parameters, CancellationToken cancellationToken)
    {
        var device = parameters.String("interface");
        var link = LinkState.Read(device);
        return Task.FromResult(link switch
        {
            null => ProbeResult.Failed($"no network device {device}"),
            { IsUp: true } => ProbeResult.Ok($"link up ({link.Describe()})"),
            _ => ProbeResult.Failed($"link down ({link.Describe()})"),
        });
    }
}

namespace Clp.Agent.Fencing;

/// <summary>Releases everything this server runs for the cluster: stops its groups (in parallel, each in
/// reverse dependency order), kills what outlives the budget, and escalates to the system
/// actions port if anything is still held when the budget ends (DESIGN rule 3).</summary>
public interface IFence
{
    Task FenceAsync(string reason, TimeSpan budget, CancellationToken cancellationToken);
}

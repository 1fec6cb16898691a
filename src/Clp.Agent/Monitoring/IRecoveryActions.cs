using Clp.Core.Model;
using Clp.Policy.Recovery;

namespace Clp.Agent.Monitoring;

/// <summary>What a monitor's recovery can ask of the agent: restart a resource or a group here, ask the
/// controller to fail a group over, or run a final action through the system-actions port.</summary>
public interface IRecoveryActions
{
    Task RestartAsync(RecoveryTarget target, string reason, CancellationToken cancellationToken);

    Task RequestFailoverAsync(RecoveryTarget target, string reason, CancellationToken cancellationToken);

    Task FinalActionAsync(FinalAction action, RecoveryTarget target, string reason, CancellationToken cancellationToken);
}

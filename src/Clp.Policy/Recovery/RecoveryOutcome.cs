namespace Clp.Policy.Recovery;

/// <summary>A recovery step and the state to keep after it.</summary>
public sealed record RecoveryOutcome<TState>(RecoveryStep Step, TState Next);

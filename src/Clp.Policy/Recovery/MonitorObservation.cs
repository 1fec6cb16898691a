namespace Clp.Policy.Recovery;

/// <summary>The verdict of one probe result and the state to keep for the next.</summary>
public readonly record struct MonitorObservation(MonitorVerdict Verdict, MonitorCheckState Next);

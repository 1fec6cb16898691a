namespace Clp.Policy.Recovery;

/// <summary>A monitor's probe history on one server: consecutive failures since the last success or
/// the last error, and whether it is in error.</summary>
public readonly record struct MonitorCheckState(int ConsecutiveFailures, bool InError)
{
    public static MonitorCheckState Initial => default;
}

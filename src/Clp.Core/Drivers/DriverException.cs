namespace Clp.Core.Drivers;

/// <summary>An activation or deactivation failed for a reason the driver understands (the recovery state
/// machine retries, fails over or runs the final action); the message goes to the status and the alert log.</summary>
public class DriverException(string message, Exception? inner = null) : Exception(message, inner);

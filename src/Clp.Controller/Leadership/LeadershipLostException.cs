namespace Clp.Controller.Leadership;

/// <summary>A controller write found its leader term stale (another instance took over, or this one
/// released the lease); the write is rolled back and this instance stops acting.</summary>
public sealed class LeadershipLostException(string message) : Exception(message);

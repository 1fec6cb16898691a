namespace Clp.Agent.Host.Configuration;

/// <summary>A missing or invalid setting; its message is the one line clp-agent prints before it exits 2.</summary>
public sealed class AgentConfigurationException(string message) : Exception(message);

using Clp.Agent.Host;
using Clp.Agent.Host.Configuration;
using Clp.Agent.Host.Hosting;
using Clp.Agent.Host.Locking;
using Clp.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

// clp-agent: the CLP agent of one server (see --help). Settings first (exit 2), then the one-agent lock
// (exit 3), then the generic host; SIGTERM releases the groups through the fence path and exits 0.
MallocArenas.Apply(Environment.GetEnvironmentVariable);
if (Usage.TryAnswer(args, Console.Out))
{
    return ExitCodes.Ok;
}

AgentHostOptions options;
try
{
    options = AgentHostOptionsReader.Read(args, Environment.GetEnvironmentVariable, Environment.MachineName);
}
catch (AgentConfigurationException e)
{
    await Console.Error.WriteLineAsync($"clp-agent: {e.Message}");
    return ExitCodes.Configuration;
}

using var agentLock = AgentLock.TryAcquire(options.LockFile, out var holder);
if (agentLock is null)
{
    await Console.Error.WriteLineAsync($"clp-agent: another clp-agent (pid {holder?.ToString() ?? "unknown"}) already runs server {options.Server} (lock {options.LockFile})");
    return ExitCodes.AlreadyRunning;
}

var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], ContentRootPath = AppContext.BaseDirectory });
builder.AddClpServiceDefaults(new Dictionary<string, string> { ["Server"] = options.Server });
builder.AddClpAgentHost(options);
using var host = builder.Build();
var exit = host.Services.GetRequiredService<AgentExit>(); // RunAsync disposes the host's services
await host.RunAsync();
return exit.Code;

using Clp.Agent.Host.Configuration;
using Clp.Agent.Host.TestSeams;
using Clp.Core.Drivers;
using Clp.Drivers.Linux.SystemActions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Clp.Agent.Host.Hosting;

/// <summary>Registers clp-agent's parts with the generic host.</summary>
public static class AgentHostExtensions
{
    /// <summary>The longest the host waits for the graceful stop; the stop itself ignores it (see
    /// <see cref="AgentHostService"/>), so this only keeps the host from reporting a timeout.</summary>
    public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromMinutes(30);

    public static IHostApplicationBuilder AddClpAgentHost(this IHostApplicationBuilder builder, AgentHostOptions options)
    {
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = ShutdownTimeout);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton<AgentExit>();
        builder.Services.AddSingleton<ISystemActions>(sp =>
        {
            var lifetime = sp.GetRequiredService<IHostApplicationLifetime>();
            var loggers = sp.GetRequiredService<ILoggerFactory>();

            // Stop cluster service = the host's graceful stop (AgentHostService.StopAsync releases the groups).
            void Stop(string reason) => lifetime.StopApplication();
            return options.SystemActions switch
            {
                SystemActionsKind.TestHost => new TestHostPowerActions(options.TestHostPowerFile!, Stop, loggers.CreateLogger<TestHostPowerActions>()),
                _ => new LinuxSystemActions(Stop, sp.GetRequiredService<TimeProvider>(), loggers.CreateLogger<LinuxSystemActions>()),
            };
        });
        builder.Services.AddHostedService<AgentHostService>();
        return builder;
    }
}

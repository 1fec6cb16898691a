using Clp.Controller.Leases;
using Clp.Controller.Options;
using Clp.Core.Time;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Clp.Controller;

public static class ControllerServiceCollectionExtensions
{
    /// <summary>Registers the lease registry and protocol, and the controller as a hosted service
    /// (section <c>Controller</c>, <see cref="ControllerOptions"/>). The controller's clock is the keyed
    /// <see cref="TimeProvider"/> <see cref="ClpClocks.Controller"/>, the process clock unless a test
    /// registers another.</summary>
    public static IServiceCollection AddClpController(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ControllerOptions>().Bind(configuration.GetSection(ControllerOptions.Section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ControllerOptions>, ControllerOptionsValidator>());
        services.TryAddKeyedSingleton<TimeProvider>(ClpClocks.Controller, (sp, _) => sp.GetService<TimeProvider>() ?? TimeProvider.System);
        services.TryAddSingleton<ControllerMetrics>();
        services.TryAddSingleton<LeaseRegistry>();
        services.TryAddSingleton<NodeLeaseService>();
        services.TryAddSingleton<ControllerService>();
        services.AddHostedService(sp => sp.GetRequiredService<ControllerService>());
        return services;
    }
}

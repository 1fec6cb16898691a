using Clp.Client.Api;
using Clp.Client.Watching;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Refit;

namespace Clp.Client;

/// <summary>Registers the SDK with <see cref="IHttpClientFactory"/>: every API interface (inject
/// <c>IServersApi</c> alone if that is all a class needs) and the <see cref="IClpClient"/> facade.</summary>
public static class ClpClientServiceCollectionExtensions
{
    /// <summary>The name of the HttpClient the <see cref="ClpWatcher"/> streams with.</summary>
    public const string WatchHttpClientName = "Clp.Client.Watch";

    /// <summary>Every interface talks to <paramref name="baseAddress"/> and sends <paramref name="key"/> as a
    /// bearer token. The watcher takes the registered <see cref="TimeProvider"/> (the system clock when none is
    /// registered; construct <see cref="ClpClient"/> yourself to give it a keyed clock)
    /// and <paramref name="configureWatcher"/>'s options. Returns one builder per HttpClient so callers can
    /// add handlers (resilience, logging) to all of them.</summary>
    public static IReadOnlyList<IHttpClientBuilder> AddClpClient(this IServiceCollection services, Uri baseAddress, string key, Action<ClpWatcherOptions>? configureWatcher = null)
    {
        ArgumentNullException.ThrowIfNull(baseAddress);
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        var settings = ClpRefit.CreateSettings();
        var builders = new List<IHttpClientBuilder>
        {
            services.AddRefitGeneratedClient<IClustersApi>(settings),
            services.AddRefitGeneratedClient<IServersApi>(settings),
            services.AddRefitGeneratedClient<IServerGroupsApi>(settings),
            services.AddRefitGeneratedClient<IGroupsApi>(settings),
            services.AddRefitGeneratedClient<IResourcesApi>(settings),
            services.AddRefitGeneratedClient<IMonitorsApi>(settings),
            services.AddRefitGeneratedClient<ILicensesApi>(settings),
            services.AddRefitGeneratedClient<ILeasesApi>(settings),
            services.AddRefitGeneratedClient<IOperationsApi>(settings),
            services.AddRefitGeneratedClient<IEventsApi>(settings),
            services.AddRefitGeneratedClient<IApiKeysApi>(settings),
            services.AddRefitGeneratedClient<ICatalogApi>(settings),
            services.AddRefitGeneratedClient<IWatchApi>(settings),
            services.AddHttpClient(WatchHttpClientName),
        };
        foreach (var builder in builders)
        {
            builder.ConfigureHttpClient(c => c.BaseAddress = baseAddress).AddHttpMessageHandler(() => new BearerKeyHandler(key));
        }

        var options = new ClpWatcherOptions();
        configureWatcher?.Invoke(options);
        options.Validate();
        services.AddTransient<IClpClient>(sp => new ClpClient(
            sp.GetRequiredService,
            new ClpWatcher(
                sp.GetRequiredService<IHttpClientFactory>().CreateClient(WatchHttpClientName),
                sp.GetService<TimeProvider>() ?? TimeProvider.System,
                options,
                sp.GetService<ILogger<ClpWatcher>>())));
        return builders;
    }
}

using Clp.Client.Api;
using Clp.Client.Watching;
using Microsoft.Extensions.Logging;
using Refit;

namespace Clp.Client;

/// <summary>The SDK of clp-api's native API (<c>/apis/clp/v1</c>): typed calls that throw the
/// <see cref="Problems.ClpProblemException"/> of the answer's status on an error, and a watch reader that
/// resumes and relists on its own.</summary>
/// <remarks>Transport failures surface as the HttpClient's own exceptions (<see cref="HttpRequestException"/>;
/// <see cref="TaskCanceledException"/> when <see cref="HttpClient.Timeout"/> passes), not wrapped.</remarks>
public sealed class ClpClient : IClpClient, IDisposable
{
    private readonly HttpClient? _owned;

    /// <summary>A client over <paramref name="http"/>, which has the server's base address and sends the key
    /// (see <see cref="BearerKeyHandler"/>); the caller keeps owning it.</summary>
    public ClpClient(HttpClient http, TimeProvider? timeProvider = null, ClpWatcherOptions? watcherOptions = null, ILogger<ClpWatcher>? watcherLogger = null)
        : this(ForHttpClient(http), new ClpWatcher(http, timeProvider, watcherOptions, watcherLogger))
    {
    }

    private ClpClient(HttpClient owned, bool owns, TimeProvider? timeProvider, ClpWatcherOptions? watcherOptions, ILogger<ClpWatcher>? watcherLogger)
        : this(owned, timeProvider, watcherOptions, watcherLogger)
    {
        _owned = owns ? owned : null;
    }

    /// <summary>Builds the facade from interfaces resolved elsewhere (dependency injection).</summary>
    internal ClpClient(Func<Type, object> api, ClpWatcher watcher)
    {
        Clusters = (IClustersApi)api(typeof(IClustersApi));
        Servers = (IServersApi)api(typeof(IServersApi));
        ServerGroups = (IServerGroupsApi)api(typeof(IServerGroupsApi));
        Groups = (IGroupsApi)api(typeof(IGroupsApi));
        Resources = (IResourcesApi)api(typeof(IResourcesApi));
        Monitors = (IMonitorsApi)api(typeof(IMonitorsApi));
        Licenses = (ILicensesApi)api(typeof(ILicensesApi));
        Leases = (ILeasesApi)api(typeof(ILeasesApi));
        Operations = (IOperationsApi)api(typeof(IOperationsApi));
        Events = (IEventsApi)api(typeof(IEventsApi));
        ApiKeys = (IApiKeysApi)api(typeof(IApiKeysApi));
        Catalog = (ICatalogApi)api(typeof(ICatalogApi));
        Watch = (IWatchApi)api(typeof(IWatchApi));
        Watcher = watcher;
    }

    public IClustersApi Clusters { get; }

    public IServersApi Servers { get; }

    public IServerGroupsApi ServerGroups { get; }

    public IGroupsApi Groups { get; }

    public IResourcesApi Resources { get; }

    public IMonitorsApi Monitors { get; }

    public ILicensesApi Licenses { get; }

    public ILeasesApi Leases { get; }

    public IOperationsApi Operations { get; }

    public IEventsApi Events { get; }

    public IApiKeysApi ApiKeys { get; }

    public ICatalogApi Catalog { get; }

    public IWatchApi Watch { get; }

    public ClpWatcher Watcher { get; }

    /// <summary>A client of the clp-api at <paramref name="baseAddress"/> (its root, e.g.
    /// <c>http://10.0.0.5:29009/</c>) that sends <paramref name="key"/> as a bearer token and owns its
    /// HttpClient (dispose the client to release it).</summary>
    public static ClpClient Create(Uri baseAddress, string key, TimeProvider? timeProvider = null, ClpWatcherOptions? watcherOptions = null, ILogger<ClpWatcher>? watcherLogger = null)
    {
        ArgumentNullException.ThrowIfNull(baseAddress);
        // Connections are recycled so a changed DNS answer (a moved clp-api) is picked up.
        var transport = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        var http = new HttpClient(new BearerKeyHandler(key, transport)) { BaseAddress = baseAddress };
        return new ClpClient(http, owns: true, timeProvider, watcherOptions, watcherLogger);
    }

    public void Dispose() => _owned?.Dispose();

    private static Func<Type, object> ForHttpClient(HttpClient http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var settings = ClpRefit.CreateSettings();
        return type => RestService.ForGenerated(type, http, settings);
    }
}

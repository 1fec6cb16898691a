using Clp.Core.Store;
using Clp.Store.Sqlite;
using Clp.Store.Sqlite.Options;

namespace Clp.Api.Composition;

/// <summary>Chooses the store: the embedded SQLite store in <c>CLP_DATA_DIR</c> (default <c>./data</c>).</summary>
internal static class StoreComposition
{
    public const string DataDirectoryVariable = "CLP_DATA_DIR";

    public static IServiceCollection AddClpSqliteStore(this IServiceCollection services, IConfiguration configuration)
    {
        var dataDirectory = Path.GetFullPath(configuration[DataDirectoryVariable] is { Length: > 0 } configured ? configured : "data");
        // History retention and compaction pace from the "Store" section (Store:HistoryMinChanges,
        // Store:HistoryMinAge, Store:CompactionInterval); the defaults are DESIGN.md's.
        var sqlite = new SqliteStoreOptions { DataDirectory = dataDirectory };
        var retention = new StoreOptions();
        configuration.GetSection("Store").Bind(sqlite);
        configuration.GetSection("Store").Bind(retention);
        sqlite.DataDirectory = dataDirectory;
        services.AddSingleton(sqlite);
        services.AddSingleton(new Clp.Controller.Leases.MasterKey(dataDirectory));
        services.AddSingleton(retention);
        services.AddSingleton<SqliteResourceStore>();
        services.AddSingleton<IResourceStore>(sp => sp.GetRequiredService<SqliteResourceStore>());
        return services;
    }
}

using Clp.Core.Store;
using Clp.Store.Sqlite;
using Clp.Store.Sqlite.Options;
using Microsoft.Extensions.Logging.Abstractions;

namespace Clp.Controller.Tests;

/// <summary>An embedded SQLite store in a fresh temporary folder.</summary>
internal sealed class TempStore : IAsyncDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("clp-controller-store-").FullName;

    private TempStore(SqliteResourceStore store) => Store = store;

    public SqliteResourceStore Store { get; private set; } = null!;

    public static async Task<TempStore> OpenAsync()
    {
        var temp = new TempStore(null!);
        temp.Store = await SqliteResourceStore.OpenAsync(
            new SqliteStoreOptions { DataDirectory = temp._directory }, new StoreOptions(), TimeProvider.System, NullLogger<SqliteResourceStore>.Instance);
        return temp;
    }

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}

using System.Text.Json;
using Clp.Core.Model;
using Clp.Core.Security;
using Clp.Core.Store;

namespace Clp.Api.Auth;

/// <summary>System admin keys (the bootstrap key): kept in the store as hashes under an internal kind that
/// the API never serves, so they survive restarts and are never readable.</summary>
public static class SystemKeys
{
    /// <summary>The internal kind; not in <see cref="Kinds.All"/>.</summary>
    public const string Kind = "SystemKey";

    public const string BootstrapName = "bootstrap-admin";

    public static async Task<Caller?> FindAsync(IResourceStore store, string token, CancellationToken ct)
    {
        var page = await store.ListAsync(new ListQuery(Kind, ""), ct);
        var match = page.Items.FirstOrDefault(k => ApiKeyTokens.Matches(token, k.SecretHash));
        return match is null ? null : new Caller(match.Key.Name, ApiKeyRole.Admin, null, null);
    }

    /// <summary>Stores (or replaces) the system key <paramref name="name"/> with the hash of <paramref name="token"/>.</summary>
    public static Task SetAsync(IResourceStore store, string name, string token, CancellationToken ct) =>
        store.WriteAsync(async (tx, _) =>
        {
            var key = new ObjectKey(Kind, "", name);
            var json = JsonSerializer.Serialize(new { apiVersion = ClpApi.Version, kind = Kind, metadata = new { name } });
            if (await tx.GetAsync(key) is not null)
            {
                await tx.DeleteAsync(key, null);
            }

            await tx.CreateAsync(key, json, ApiKeyTokens.Hash(token));
            return true;
        }, ct);

    public static async Task<bool> ExistsAsync(IResourceStore store, CancellationToken ct) =>
        (await store.ListAsync(new ListQuery(Kind, ""), ct)).Items.Count > 0;
}

using System.Text;
using Clp.Core.Model;
using Clp.Core.Store;
using Clp.Core.Validation;

namespace Clp.Api.Objects;

/// <summary>Reads for the API: get and list with label selectors, filters and paging, and the computed
/// per-server status view of Resources and Monitors (each agent writes only its own Server's status).</summary>
public sealed class ObjectReader(IResourceStore store)
{
    public async Task<ClpObject> GetAsync(KindInfo kind, string cluster, string name, CancellationToken cancellationToken)
    {
        var stored = await store.GetAsync(ObjectService.KeyOf(kind, cluster, name), cancellationToken)
            ?? throw ObjectService.NotFound(kind, cluster, name);
        var value = stored.ToObject(kind);
        await AddServerViewsAsync(kind, cluster, [value], cancellationToken);
        return value;
    }

    public async Task<ObjectList<T>> ListAsync<T>(KindInfo kind, string cluster, ListParameters parameters, Func<T, bool>? filter, CancellationToken cancellationToken)
        where T : ClpObject
    {
        if (!kind.TopLevel && await store.GetAsync(new ObjectKey(Kinds.Cluster.Kind, "", cluster), cancellationToken) is null)
        {
            throw ApiProblemException.NotFound($"Cluster '{cluster}'");
        }

        if (!LabelSelector.TryParse(parameters.LabelSelector, out var selector, out var error))
        {
            throw ApiProblemException.BadParameter("labelSelector", $"labelSelector: {error}");
        }

        if (parameters.Limit is < 1 or > 10_000)
        {
            throw ApiProblemException.BadParameter("limit", $"limit ({parameters.Limit}) must be between 1 and 10000");
        }

        var after = DecodeContinue(parameters.Continue);
        var page = await store.ListAsync(
            new ListQuery(kind.Kind, kind.TopLevel ? "" : cluster, parameters.Limit, after, stored =>
            {
                var value = stored.ToObject<T>();
                return selector.Matches(value.Metadata.Labels) && (filter?.Invoke(value) ?? true);
            }),
            cancellationToken);
        var items = page.Items.Select(s => s.ToObject<T>()).ToList();
        await AddServerViewsAsync(kind, cluster, items, cancellationToken);
        return new ObjectList<T>
        {
            Kind = kind.Kind + "List",
            Items = items,
            Metadata = new ListMeta
            {
                ResourceVersion = page.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Continue = page.Continue is null ? null : Convert.ToBase64String(Encoding.UTF8.GetBytes(page.Continue)),
            },
        };
    }

    private static string? DecodeContinue(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }

        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(token));
        }
        catch (FormatException)
        {
            throw ApiProblemException.BadParameter("continue", "continue is not a token this server issued");
        }
    }

    private async Task AddServerViewsAsync<T>(KindInfo kind, string cluster, IReadOnlyList<T> items, CancellationToken cancellationToken)
        where T : ClpObject
    {
        if ((kind != Kinds.Resource && kind != Kinds.Monitor) || items.Count == 0)
        {
            return;
        }

        var servers = (await store.ListAsync(new ListQuery(Kinds.Server.Kind, cluster), cancellationToken)).Items
            .Select(s => s.ToObject<Server>()).ToList();
        foreach (var item in items)
        {
            var view = new Dictionary<string, ObjectStateOnServer>(StringComparer.Ordinal);
            foreach (var server in servers)
            {
                var states = item is Resource ? server.Status?.Resources : server.Status?.Monitors;
                if (states?.TryGetValue(item.Metadata.Name, out var state) == true)
                {
                    view[server.Metadata.Name] = state;
                }
            }

            switch (item)
            {
                case Resource resource:
                    resource.Status ??= new ResourceStatus();
                    resource.Status.Servers = view;
                    break;
                case Monitor monitor:
                    monitor.Status ??= new MonitorStatus();
                    monitor.Status.Servers = view;
                    break;
            }
        }
    }
}

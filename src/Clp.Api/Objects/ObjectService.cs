using System.Text.Json.Nodes;
using Clp.Core.Catalog;
using Clp.Core.Model;
using Clp.Core.Security;
using Clp.Core.Store;
using Clp.Core.Validation;

namespace Clp.Api.Objects;

/// <summary>Every create, replace, patch, status write and delete of every kind: parse, validate against
/// the cluster as it will be, and write, all in one store transaction so the checks still hold at commit.</summary>
public sealed partial class ObjectService(IResourceStore store, ObjectValidator validator, TimeProvider time, Controller.Leases.LeaseRegistry leases, ILogger<ObjectService> logger)
{
    public IResourceStore Store { get; } = store;

    private TypeCatalog Catalog => validator.Catalog;

    /// <summary>Creates the object; for an Operation whose client request id was seen, returns the first
    /// one with <c>Created</c> false.</summary>
    public async Task<(ClpObject Value, bool Created)> CreateAsync(KindInfo kind, string cluster, JsonNode body, CreateOptions options, CancellationToken cancellationToken)
    {
        var candidate = Parse(kind, body, routeName: null);
        candidate.SetStatus(null);
        PrepareForCreate(kind, candidate, options);
        var result = await Store.WriteAsync(async (tx, _) =>
        {
            var snapshot = await SnapshotLoader.LoadAsync(tx, kind.TopLevel ? candidate.Metadata.Name : cluster, configuration: kind != Kinds.Event);
            if (!kind.TopLevel && snapshot.Cluster is null)
            {
                throw ApiProblemException.NotFound($"Cluster '{cluster}'");
            }

            if (kind == Kinds.Operation && await FindByClientRequestIdAsync(tx, cluster, (Operation)candidate) is { } existing)
            {
                return (existing, false);
            }

            // A taken name is a conflict, whatever else is wrong: validating would compare the candidate
            // against a cluster where it replaced the existing object.
            var key = KeyOf(kind, cluster, candidate.Metadata.Name);
            if (Names.IsValid(candidate.Metadata.Name) && await tx.GetAsync(key) is { } taken)
            {
                throw new ObjectAlreadyExistsException(key, taken.Key.Name);
            }

            ThrowIfInvalid(validator.Validate(candidate, snapshot));
            var stored = await tx.CreateAsync(key, candidate.ToJson(), options.SecretHash);
            await CreateAutoMonitorsAsync(tx, cluster, candidate, snapshot, options);
            return (stored.ToObject(kind), true);
        }, cancellationToken);
        LogCreated(kind.Kind, cluster, result.Item1.Metadata.Name, result.Item2);
        return result;
    }

    public async Task<ClpObject> ReplaceAsync(KindInfo kind, string cluster, string name, JsonNode body, long? ifMatch, CancellationToken cancellationToken)
    {
        var candidate = Parse(kind, body, name);
        var bodyVersion = candidate.Metadata.ResourceVersion;
        return await Store.WriteAsync(async (tx, _) =>
        {
            var current = await GetForWriteAsync(tx, kind, cluster, name, ifMatch);
            if (bodyVersion is not null && bodyVersion != current.Metadata.ResourceVersion)
            {
                throw new ApiProblemException(409, Core.Problems.ProblemTypes.Conflict, "Conflict",
                    $"metadata.resourceVersion {bodyVersion} is stale; the object is at {current.Metadata.ResourceVersion}. Read it again and retry.");
            }

            return await WriteSpecAsync(tx, kind, cluster, current, candidate);
        }, cancellationToken);
    }

    public async Task<ClpObject> PatchAsync(KindInfo kind, string cluster, string name, JsonNode patch, long? ifMatch, CancellationToken cancellationToken)
    {
        if (patch is not JsonObject patchObject)
        {
            throw ApiProblemException.Malformed("$", "a merge patch must be a JSON object");
        }

        if (patchObject.ContainsKey("status"))
        {
            throw ApiProblemException.Invalid("status", "status-endpoint", $"status is written through PUT .../{kind.Plural}/{{name}}/status, not patched");
        }

        return await Store.WriteAsync(async (tx, _) =>
        {
            var current = await GetForWriteAsync(tx, kind, cluster, name, ifMatch);
            var node = current.ToNode();
            node.Remove("status");
            var merged = Core.Json.MergePatch.Apply(node, patchObject)!;
            var candidate = Parse(kind, merged, name);
            return await WriteSpecAsync(tx, kind, cluster, current, candidate);
        }, cancellationToken);
    }

    public async Task<ClpObject> ReplaceStatusAsync(KindInfo kind, string cluster, string name, JsonNode body, long? ifMatch, CancellationToken cancellationToken)
    {
        var status = JsonBody.Bind(body, kind.StatusType());
        return await Store.WriteAsync(async (tx, _) =>
        {
            var current = await GetForWriteAsync(tx, kind, cluster, name, ifMatch);
            current.SetStatus(status);
            var stored = await tx.UpdateAsync(KeyOf(kind, cluster, current.Metadata.Name), current.ToJson(), current.Version(), specChanged: false);
            return stored.ToObject(kind);
        }, cancellationToken);
    }

    public async Task<ClpObject> DeleteAsync(KindInfo kind, string cluster, string name, long? ifMatch, CancellationToken cancellationToken)
    {
        var deleted = await Store.WriteAsync(async (tx, _) =>
        {
            var current = await GetForWriteAsync(tx, kind, cluster, name, ifMatch);
            if (kind.TopLevel)
            {
                await DeleteClusterContentsAsync(tx, current.Metadata.Name);
            }
            else
            {
                await DeleteOwnedAsync(tx, kind, cluster, current);
            }

            var stored = await tx.DeleteAsync(KeyOf(kind, cluster, current.Metadata.Name), current.Version());
            return stored.ToObject(kind);
        }, cancellationToken);
        if (kind == Kinds.Server)
        {
            // Its lease went with it: from now on its agent's renewals get 409.
            leases.Forget(cluster, deleted.Metadata.Name);
        }

        LogDeleted(kind.Kind, cluster, name);
        return deleted;
    }

    private ClpObject Parse(KindInfo kind, JsonNode body, string? routeName)
    {
        var candidate = (ClpObject)JsonBody.Bind(body, kind.ClrType);
        if (candidate.ApiVersion != ClpApi.Version)
        {
            throw ApiProblemException.Invalid("apiVersion", "api-version", $"apiVersion must be '{ClpApi.Version}' (or omitted)");
        }

        if (candidate.Kind.Length > 0 && candidate.Kind != kind.Kind)
        {
            throw ApiProblemException.Invalid("kind", "kind", $"kind must be '{kind.Kind}' (or omitted) on this path");
        }

        candidate.Kind = kind.Kind;
        if (routeName is not null && candidate.Metadata.Name.Length > 0
            && !string.Equals(candidate.Metadata.Name, routeName, StringComparison.OrdinalIgnoreCase))
        {
            throw ApiProblemException.Invalid("metadata.name", "name-immutable", $"metadata.name '{candidate.Metadata.Name}' differs from '{routeName}' in the URL; names cannot change");
        }

        return candidate;
    }

    private void PrepareForCreate(KindInfo kind, ClpObject candidate, CreateOptions options)
    {
        var now = time.GetUtcNow();
        if (candidate.Metadata.Name.Length == 0 && (kind == Kinds.Event || kind == Kinds.Operation))
        {
            candidate.Metadata.Name = GeneratedName(kind == Kinds.Event ? "ev" : "op", now);
        }

        switch (candidate)
        {
            case Resource resource when Catalog.FindResourceType(resource.Spec.Type) is { Supported: true } type
                                        && Catalog.ValidateParameters(type, resource.Spec.Parameters).Count == 0:
                resource.Spec.Parameters = Catalog.WithDefaults(type, resource.Spec.Parameters);
                break;
            case Monitor monitor when Catalog.FindMonitorType(monitor.Spec.Type) is { Supported: true } type:
                monitor.Spec.Timing ??= type.DefaultTiming;
                if (Catalog.ValidateParameters(type, monitor.Spec.Parameters).Count == 0)
                {
                    monitor.Spec.Parameters = Catalog.WithDefaults(type, monitor.Spec.Parameters);
                }

                break;
            case Event evt:
                evt.Spec.Time ??= now;
                break;
            case Operation operation:
                operation.Status = new OperationStatus { Phase = OperationPhase.Pending };
                break;
            case ApiKey apiKey:
                apiKey.Status = new ApiKeyStatus { Prefix = options.KeyPrefix };
                break;
        }
    }

    private static string GeneratedName(string prefix, DateTimeOffset now) =>
        $"{prefix}-{now.UtcDateTime:yyyyMMddHHmmssfff}-{Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(3))}";

    private async Task<ClpObject> WriteSpecAsync(IStoreTransaction tx, KindInfo kind, string cluster, ClpObject current, ClpObject candidate)
    {
        ThrowIfImmutableChanged(current, candidate);
        candidate.Metadata = new ObjectMeta { Name = current.Metadata.Name, Labels = candidate.Metadata.Labels };
        candidate.SetStatus(current.GetStatus());
        var snapshot = await SnapshotLoader.LoadAsync(tx, kind.TopLevel ? current.Metadata.Name : cluster);
        ThrowIfInvalid(validator.Validate(candidate, snapshot));
        var specChanged = candidate.SpecJson() != current.SpecJson();
        var stored = await tx.UpdateAsync(KeyOf(kind, cluster, current.Metadata.Name), candidate.ToJson(), current.Version(), specChanged);
        return stored.ToObject(kind);
    }

    private static void ThrowIfImmutableChanged(ClpObject current, ClpObject candidate)
    {
        var (was, now) = (current, candidate) switch
        {
            (Resource a, Resource b) => (a.Spec.Type, b.Spec.Type),
            (Monitor a, Monitor b) => (a.Spec.Type, b.Spec.Type),
            _ => ("", ""),
        };
        if (was != now)
        {
            throw ApiProblemException.Invalid("spec.type", "immutable", $"spec.type cannot change from '{was}' to '{now}'; delete and re-create the object");
        }
    }

    private static async Task<ClpObject> GetForWriteAsync(IStoreTransaction tx, KindInfo kind, string cluster, string name, long? ifMatch)
    {
        var stored = await tx.GetAsync(KeyOf(kind, cluster, name)) ?? throw NotFound(kind, cluster, name);
        if (ifMatch is { } expected && expected != stored.ResourceVersion)
        {
            throw new ApiProblemException(412, Core.Problems.ProblemTypes.PreconditionFailed, "Precondition failed",
                $"If-Match names resourceVersion {expected}, but {kind.Kind} '{stored.Key.Name}' is at {stored.ResourceVersion}");
        }

        return stored.ToObject(kind);
    }

    internal static ApiProblemException NotFound(KindInfo kind, string cluster, string name) =>
        ApiProblemException.NotFound(kind.TopLevel ? $"Cluster '{name}'" : $"{kind.Kind} '{name}' in cluster '{cluster}'");

    internal static ObjectKey KeyOf(KindInfo kind, string cluster, string name) =>
        new(kind.Kind, kind.TopLevel ? "" : cluster, name);

    private static void ThrowIfInvalid(IReadOnlyList<ValidationError> errors)
    {
        if (errors.Count > 0)
        {
            throw ApiProblemException.Validation(errors);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Kind} {Cluster}/{Name} created (new: {Created})")]
    private partial void LogCreated(string kind, string cluster, string name, bool created);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Kind} {Cluster}/{Name} deleted")]
    private partial void LogDeleted(string kind, string cluster, string name);
}

/// <summary>Per-request choices of a create.</summary>
/// <param name="AutoMonitors">Create the type's monitors with a resource (or userw with a cluster).</param>
/// <param name="SecretHash">For ApiKeys: the hash stored beside the object.</param>
/// <param name="KeyPrefix">For ApiKeys: the displayable start of the key.</param>
public sealed record CreateOptions(bool AutoMonitors = true, string? SecretHash = null, string? KeyPrefix = null);

using Clp.Core.Model;

namespace Clp.Controller.Reconciliation;

/// <summary>An object as read in the reconcile's transaction, with the resourceVersion to write against.</summary>
internal sealed record Loaded<T>(T Value, long Version)
    where T : ClpObject
{
    public string Name => Value.Metadata.Name;
}

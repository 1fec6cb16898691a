namespace Clp.Core.Model;

/// <summary>What the API and store need to know about one kind.</summary>
/// <param name="Kind">The kind name, e.g. <c>Server</c>.</param>
/// <param name="Plural">The lower-case URL segment, e.g. <c>servers</c>.</param>
/// <param name="ClrType">The envelope type.</param>
/// <param name="SpecMutable">Whether the spec may be replaced or patched after creation.</param>
public sealed record KindInfo(string Kind, string Plural, Type ClrType, bool SpecMutable = true)
{
    public bool TopLevel => Kind == Kinds.Cluster.Kind;
}

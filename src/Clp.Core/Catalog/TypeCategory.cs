namespace Clp.Core.Catalog;

/// <summary>Whether a catalog type is a group resource type or a monitor resource type; the two id spaces
/// are separate.</summary>
public enum TypeCategory
{
    Resource,
    Monitor,
}

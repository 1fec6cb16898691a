using System.Collections;
using System.Collections.Concurrent;
using System.Reflection;

namespace Clp.Api.Objects;

/// <summary>Replaces JSON nulls in non-nullable properties with empty values (new list, new object, empty
/// string) so that validation reports "required" instead of the code meeting a null it was promised
/// would not be there.</summary>
internal static class Normalizer
{
    private static readonly NullabilityInfoContext Nullability = new();
    private static readonly ConcurrentDictionary<Type, (PropertyInfo Property, bool Nullable)[]> Properties = new();

    public static void Fill(object value) => Fill(value, 0);

    private static void Fill(object value, int depth)
    {
        if (depth > 16 || value is string || value is IEnumerable || value.GetType().IsValueType)
        {
            return;
        }

        foreach (var (property, nullable) in PropertiesOf(value.GetType()))
        {
            var current = property.GetValue(value);
            if (current is null && !nullable)
            {
                current = property.PropertyType == typeof(string) ? "" : Activator.CreateInstance(property.PropertyType);
                property.SetValue(value, current);
            }

            if (current is IList list && property.PropertyType.IsGenericType)
            {
                var itemType = property.PropertyType.GetGenericArguments()[0];
                for (var i = 0; i < list.Count; i++)
                {
                    if (list[i] is null)
                    {
                        list[i] = itemType == typeof(string) ? "" : Activator.CreateInstance(itemType);
                    }

                    Fill(list[i]!, depth + 1);
                }
            }
            else if (current is not null && property.PropertyType.Namespace?.StartsWith("Clp.", StringComparison.Ordinal) == true)
            {
                Fill(current, depth + 1);
            }
        }
    }

    private static (PropertyInfo, bool)[] PropertiesOf(Type type) => Properties.GetOrAdd(type, t =>
    {
        lock (Nullability)
        {
            return t.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Where(p => p.CanRead && p.CanWrite && p.GetIndexParameters().Length == 0 && !p.PropertyType.IsValueType)
                .Where(p => p.PropertyType == typeof(string) || p.PropertyType.GetConstructor(Type.EmptyTypes) is not null)
                .Select(p => (p, Nullability.Create(p).WriteState != NullabilityState.NotNull))
                .ToArray();
        }
    });
}

using System.Text.Json;
using System.Text.Json.Serialization;

namespace Clp.FenceGuard.Protocol;

/// <summary>The wire format: camelCase JSON, nulls omitted, one object per line (source-generated, so the guard
/// loads no reflection-based serializer).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, WriteIndented = false)]
[JsonSerializable(typeof(GuardRequest))]
[JsonSerializable(typeof(GuardReply))]
public sealed partial class GuardJson : JsonSerializerContext;

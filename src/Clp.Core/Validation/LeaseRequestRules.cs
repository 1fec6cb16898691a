using Clp.Core.Model;

namespace Clp.Core.Validation;

/// <summary>Shape rules of the lease protocol's request bodies (acquire and renew).</summary>
public static class LeaseRequestRules
{
    /// <summary>The range of a stated heartbeat timeout, as the Lease's <c>spec.timeoutMs</c>.</summary>
    public const int MinTimeoutMs = 300;

    public const int MaxTimeoutMs = 3_600_000;

    /// <summary>The most relayed renewals one renewal may carry (a cluster has at most 64 servers to relay).</summary>
    public const int MaxRelayed = 64;

    public static IReadOnlyList<ValidationError> Validate(LeaseAcquireRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var context = new ValidationContext();
        context.Min(request.Incarnation, 0, "incarnation");
        context.Range(request.TimeoutMs, MinTimeoutMs, MaxTimeoutMs, "timeoutMs");
        return context.Errors;
    }

    public static IReadOnlyList<ValidationError> Validate(LeaseRenewRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var context = new ValidationContext();
        context.Min(request.Incarnation, 0, "incarnation");
        context.Range(request.TimeoutMs, MinTimeoutMs, MaxTimeoutMs, "timeoutMs");
        if (request.TimeoutRatioAck is { } ratio)
        {
            context.Range(ratio, 1, 10_000, "timeoutRatioAck");
        }

        if (request.Relayed is { } relayed)
        {
            if (relayed.Count > MaxRelayed)
            {
                context.Add("relayed", "too-many", $"relayed carries at most {MaxRelayed} renewals, not {relayed.Count}");
            }

            for (var i = 0; i < Math.Min(relayed.Count, MaxRelayed); i++)
            {
                var token = relayed[i];
                var field = $"relayed[{i}]";
                if (token is null)
                {
                    context.Add(field, "required", $"{field} must be an object");
                    continue;
                }

                context.Name(token.Server, $"{field}.server");
                context.Min(token.Incarnation, 0, $"{field}.incarnation");
                context.Min(token.Sequence, 0, $"{field}.sequence");
                context.Range(token.TimeoutMs, MinTimeoutMs, MaxTimeoutMs, $"{field}.timeoutMs");
                if (token.Mac is not { Length: > 0 and <= 64 })
                {
                    context.Add($"{field}.mac", "required", $"{field}.mac must be the token's base64 HMAC");
                }
            }
        }

        return context.Errors;
    }
}

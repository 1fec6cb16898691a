using Clp.Core.Model;

namespace Clp.Core.Validation;

/// <summary>Shape rules of the lease protocol's request bodies (acquire and renew).</summary>
public static class LeaseRequestRules
{
    /// <summary>The range of a stated heartbeat timeout, as the Lease's <c>spec.timeoutMs</c>.</summary>
    public const int MinTimeoutMs = 300;

    public const int MaxTimeoutMs = 3_600_000;

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

        return context.Errors;
    }
}

using Microsoft.Extensions.Options;

namespace Clp.Controller.Options;

/// <summary>Checks every <see cref="ControllerOptions"/> rule and reports all broken ones (STYLE 33).</summary>
public sealed class ControllerOptionsValidator : IValidateOptions<ControllerOptions>
{
    public ValidateOptionsResult Validate(string? name, ControllerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Identity))
        {
            errors.Add("ControllerOptions.Identity must not be empty");
        }

        Positive(options.LeaderLeaseDuration, nameof(options.LeaderLeaseDuration), errors);
        Positive(options.LeaderRenewInterval, nameof(options.LeaderRenewInterval), errors);
        Positive(options.StallCheckInterval, nameof(options.StallCheckInterval), errors);
        Positive(options.StallThreshold, nameof(options.StallThreshold), errors);
        Positive(options.BaseRetryDelay, nameof(options.BaseRetryDelay), errors);
        if (options.LeaderRenewInterval * 2 > options.LeaderLeaseDuration)
        {
            errors.Add($"ControllerOptions.LeaderRenewInterval ({options.LeaderRenewInterval}) must be at most half of LeaderLeaseDuration ({options.LeaderLeaseDuration}), so one late renewal does not lose leadership");
        }

        if (options.MaxRetryDelay < options.BaseRetryDelay)
        {
            errors.Add($"ControllerOptions.MaxRetryDelay ({options.MaxRetryDelay}) must not be below BaseRetryDelay ({options.BaseRetryDelay})");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Positive(TimeSpan value, string property, List<string> errors)
    {
        if (value <= TimeSpan.Zero)
        {
            errors.Add($"ControllerOptions.{property} ({value}) must be positive");
        }
    }
}

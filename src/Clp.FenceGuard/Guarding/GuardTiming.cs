using Clp.Policy.Time;

namespace Clp.FenceGuard.Guarding;

/// <summary>When the guard acts on a deadline, and with how much budget.</summary>
/// <remarks>The agent's own fence timer fires at the fence deadline D = send + T − F and releases within F, so
/// everything is released (or the power off asked for) by lease age T. The guard covers an agent that cannot
/// (frozen, crashed, hung) and acts a grace G = F / 10 later, with the budget F − G left until the same end
/// D + F = send + T. Why later: a live agent is the better fencer (it also cancels its own steps in flight and
/// records the fence), and by D + G its timer has fired and its release is under way or done, so the guard
/// rarely doubles the work; when it does, both releases are idempotent and the guard judges "still held" by
/// probing, not by its own errors. Why only F / 10: the guard's budget is what a frozen agent's resources get,
/// and the stop path that F was sized for must still fit in most of it. The power off that backs the guard's
/// release is asked for at the same instant the agent's would be: send + T.</remarks>
public static class GuardTiming
{
    /// <summary>G: a tenth of the budget, rounded up (to the tick).</summary>
    public static TimeSpan Grace(TimeSpan budget) => TimeSpan.FromTicks((Math.Max(0, budget.Ticks) + 9) / 10);

    /// <summary>The instant the guard starts releasing: D + G.</summary>
    public static Instant ActAt(Instant fenceAt, TimeSpan budget) => fenceAt + Grace(budget);

    /// <summary>The instant by which everything must be released, else power off: D + F (= send + T).</summary>
    public static Instant ReleaseBy(Instant fenceAt, TimeSpan budget) => fenceAt + budget;
}

/// The border-wide restriction rule's state machine (MODEL.md step 2 and
/// precise semantics 2), modelled on Proclamation 10773 of 2024-06-03:
/// activate when the 7-day mean reaches `activate_at`; end
/// `deactivate_delay_days` after it has stayed below `deactivate_below` for
/// `deactivate_after_days` consecutive days.
///
/// The two thresholds make a hysteresis band: between them an active rule
/// stays active but its count of low days starts again, and an inactive
/// rule stays inactive.
struct RestrictionRuleState: Sendable {
    private(set) var isActive = false
    /// Consecutive days, while active, with the mean below `deactivate_below`.
    private(set) var lowDays = 0
    /// The day the rule becomes inactive, once the low days are counted and
    /// a delay remains; counting stops meanwhile.
    private(set) var endDay: Int? = nil

    /// Moves the rule to day `day`, before the day's encounters.
    ///
    /// - Parameters:
    ///   - effectiveDay: day index of the rule's `effective` date (negative
    ///     when it precedes the run's start).
    ///   - meanOfPreviousDays: the 7-day mean of the days before today
    ///     (`EncounterWindow.mean`), nil on a run's first day.
    mutating func advance(day: Int, effectiveDay: Int, meanOfPreviousDays: Double?, rule: RestrictionRule) {
        // A fixed end comes first, so the rule may activate again on the
        // day it ends.
        if let end = endDay, day >= end { self = RestrictionRuleState() }
        // Not evaluated on the first day (no previous day) nor before
        // `effective`; days before `effective` still fill the window.
        guard day > 0, day >= effectiveDay, let mean = meanOfPreviousDays else { return }
        if !isActive {
            // The activation day does not count toward the low days.
            if mean >= rule.activateAt { isActive = true; lowDays = 0 }
        } else if endDay == nil {
            lowDays = mean < rule.deactivateBelow ? lowDays + 1 : 0
            if lowDays >= rule.deactivateAfterDays {
                if rule.deactivateDelayDays == 0 {
                    self = RestrictionRuleState()
                } else {
                    endDay = day + rule.deactivateDelayDays
                }
            }
        }
    }
}

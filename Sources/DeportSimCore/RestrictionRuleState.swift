/// The border-wide restriction rule's state machine (docs/model.md step 2 and
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
    /// Days the rule has been active since it last activated, before today
    /// (0 on the activation day): the ramp's k (docs/model.md 5.2.1).
    private(set) var daysActiveBefore = 0

    /// Moves the rule to day `day`, before the day's encounters.
    ///
    /// - Parameters:
    ///   - effectiveDay: day index of the rule's `effective` date (negative
    ///     when it precedes the run's start).
    ///   - firstDay: the first simulated day (-warmup_days).
    ///   - meanOfPreviousDays: the 7-day mean of the days before today
    ///     (`EncounterWindow.mean`), nil on a run's first day.
    mutating func advance(day: Int, firstDay: Int = 0, effectiveDay: Int, meanOfPreviousDays: Double?, rule: RestrictionRule) {
        // Active yesterday: one more day of the current activation.
        if isActive { daysActiveBefore += 1 }
        // A fixed end comes first, so the rule may activate again on the
        // day it ends.
        if let end = endDay, day >= end { self = RestrictionRuleState() }
        // Not evaluated on the first simulated day (no previous day) nor
        // before `effective`; days before `effective` still fill the window.
        guard day > firstDay, day >= effectiveDay, let mean = meanOfPreviousDays else { return }
        if !isActive {
            // The activation day does not count toward the low days.
            if mean >= rule.activateAt { isActive = true; lowDays = 0; daysActiveBefore = 0 }
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

    /// Today's strength of the rule's effects, 0 to 1 (docs/model.md 5.2.1):
    /// min(1, (k + 1) / ramp_days), 1 without a ramp; 0 while inactive.
    func strength(rampDays: Int) -> Double {
        guard isActive else { return 0 }
        return rampDays == 0 ? 1 : min(1, Double(daysActiveBefore + 1) / Double(rampDays))
    }
}

/// `own` moved toward `target` by `strength` (docs/model.md 5.2.1, linear);
/// at full strength exactly `target`, so a rule without a ramp gives the
/// values it gave before the ramp existed, to the last bit.
@inline(__always) func ramped(_ own: Double, toward target: Double, strength: Double) -> Double {
    strength >= 1 ? target : own + (target - own) * strength
}

//! `WorkingTime` against a brute-force reference: random calendars (several intervals a day, midnight ends,
//! empty days, yearly and one-off holidays) in America/Sao_Paulo (daylight-saving time until 2019, changing
//! at midnight), Europe/Lisbon and UTC; random whole-minute starts, spans and amounts. The reference asks
//! jiff about every minute on its own; `between` and `add` must agree with it to the millisecond.
//!
//! The defined semantics, which the reference states directly: an instant is working time when its
//! wall-clock time falls in one of its weekday's intervals on a day that is not a holiday. A skipped hour
//! therefore holds no work and a repeated hour holds it twice (each instant counts).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod sla_ref;

use chamado::Timestamp;
use chamado::directory::{WeeklyHours, WorkInterval};
use chamado::sla::WorkingTime;
use proptest::prelude::*;
use sla_ref::{DAY, HolidaySpec, MINUTE, Reference, ZONES};

/// How far the reference walks: 30 days of minutes.
const WALK_MINUTES: i64 = 30 * 1440;

#[derive(Debug, Clone)]
struct Case {
    hours: WeeklyHours,
    holidays: Vec<HolidaySpec>,
    start: i64,
    span_minutes: i64,
    amount_minutes: i64,
    /// A sub-minute shift of the start and amount, for the round trip in milliseconds.
    jitter_ms: i64,
}

fn case(zone: &'static str) -> impl Strategy<Value = Case> {
    let span = prop_oneof![3 => 0..3 * 1440i64, 1 => 0..WALK_MINUTES];
    let amount = prop_oneof![3 => 0..16 * 60i64, 1 => 0..5 * 1440i64];
    (sla_ref::week(), sla_ref::holidays(30), sla_ref::instant(zone, 20, 3), span, amount, 0..MINUTE).prop_map(
        |(hours, holidays, start, span_minutes, amount_minutes, jitter_ms)| Case {
            hours,
            holidays,
            start,
            span_minutes,
            amount_minutes,
            jitter_ms,
        },
    )
}

fn check(zone: &'static str, c: &Case) -> Result<(), TestCaseError> {
    let holidays = sla_ref::resolve_holidays(zone, c.start, &c.holidays);
    let cal = sla_ref::calendar(zone, c.hours.clone(), holidays);
    let work = WorkingTime::new(&cal).unwrap();
    let mut reference = Reference::new(&cal);
    let (a, b) = (c.start, c.start + c.span_minutes * MINUTE);

    // between: the working minutes of [a, b).
    let expected = (a / MINUTE..b / MINUTE).filter(|m| reference.works(*m)).count() as i64 * MINUTE;
    prop_assert_eq!(work.between(Timestamp(a), Timestamp(b)), expected, "between {} and {}", a, b);
    prop_assert_eq!(work.between(Timestamp(b), Timestamp(a)), 0);

    // add: the end of the minute that completes the amount.
    let amount = c.amount_minutes * MINUTE;
    let mut due = None;
    let mut done = 0;
    let mut m = a / MINUTE;
    if amount == 0 {
        due = Some(a);
    }
    while due.is_none() && m < a / MINUTE + WALK_MINUTES {
        if reference.works(m) {
            done += MINUTE;
            if done == amount {
                due = Some((m + 1) * MINUTE);
            }
        }
        m += 1;
    }
    let got = work.add(Timestamp(a), amount).map(|t| t.0);
    match due {
        Some(d) => prop_assert_eq!(got, Some(d), "add {} min from {}", c.amount_minutes, a),
        // Beyond the walk: the implementation must not find it sooner.
        None => prop_assert!(got.is_none_or(|g| g > a + WALK_MINUTES * MINUTE), "add found {:?} sooner", got),
    }

    // Milliseconds: a start and an amount off the minute, against the reference's own walk in milliseconds,
    // and the round trip.
    let (from, amount) = (a + c.jitter_ms, (amount - c.jitter_ms).max(0));
    let due = reference.add(from, amount, WALK_MINUTES);
    let got = work.add(Timestamp(from), amount).map(|t| t.0);
    if let Some(d) = due {
        prop_assert_eq!(got, Some(d), "add {} ms from {}", amount, from);
        prop_assert_eq!(work.between(Timestamp(from), Timestamp(d)), amount);
        prop_assert_eq!(work.between(Timestamp(from), Timestamp(d)), reference.between(from, d));
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn sao_paulo_agrees_with_the_minute_walk(c in case(ZONES[0])) {
        check(ZONES[0], &c)?;
    }

    #[test]
    fn lisbon_agrees_with_the_minute_walk(c in case(ZONES[1])) {
        check(ZONES[1], &c)?;
    }

    #[test]
    fn utc_agrees_with_the_minute_walk(c in case(ZONES[2])) {
        check(ZONES[2], &c)?;
    }
}

/// The changes the property tests rely on crossing: Sao Paulo's at local midnight until 2019, Lisbon's
/// each spring and autumn.
#[test]
fn the_zones_change_where_the_tests_look() {
    let sp = sla_ref::transitions(ZONES[0]);
    assert!(sp.len() >= 18, "Sao Paulo changes 2010-2019: {}", sp.len());
    assert!(sp.iter().all(|t| *t < 1_577_836_800_000), "none after 2019");
    assert_eq!(sla_ref::transitions(ZONES[1]).len(), 22);
    assert!(sla_ref::transitions(ZONES[2]).is_empty());
}

/// Around Sao Paulo's changes at midnight: the day that springs forward has no 00:00-01:00, the day before
/// the fall back has 23:00-24:00 twice. The reference says the same.
#[test]
fn sao_paulo_midnight_changes() {
    let one = |day: fn(&mut WeeklyHours) -> &mut Vec<WorkInterval>, start: u16, end: u16| {
        let mut h = WeeklyHours::default();
        *day(&mut h) = vec![WorkInterval { start, end }];
        sla_ref::calendar(ZONES[0], h, Vec::new())
    };
    let ms = |s: &str| s.parse::<jiff::Timestamp>().unwrap().as_millisecond();
    let whole = WorkingTime::new(&sla_ref::calendar(ZONES[0], WeeklyHours::always(), Vec::new())).unwrap();
    // Spring forward: 2018-11-04 00:00 -03 (03:00Z) became 01:00 -02. A day of instants is a day of work.
    let a = ms("2018-11-03T12:00:00Z");
    assert_eq!(whole.between(Timestamp(a), Timestamp(a + DAY)), DAY);
    // Sunday 00:00-01:00 did not exist that day.
    let night = one(|h| &mut h.sun, 0, 60);
    assert_eq!(WorkingTime::new(&night).unwrap().between(Timestamp(a), Timestamp(a + DAY)), 0);
    assert_eq!(Reference::new(&night).between(a, a + DAY), 0);
    // Fall back: 2019-02-17 00:00 -02 (02:00Z) became 2019-02-16 23:00 -03: Saturday 23:00-24:00 twice.
    let late = one(|h| &mut h.sat, 23 * 60, 1440);
    let a = ms("2019-02-16T12:00:00Z");
    assert_eq!(WorkingTime::new(&late).unwrap().between(Timestamp(a), Timestamp(a + DAY)), 120 * MINUTE);
    assert_eq!(Reference::new(&late).between(a, a + DAY), 120 * MINUTE);
}

//! Integers as JSON Schema counts them: `367.0` is the integer 367 (schemathesis sends such).

use serde::de::{Deserialize, Deserializer, Error, Visitor};

/// A non-negative whole number, written as an integer or as a float without a fraction.
struct Whole(u64);

impl<'de> Deserialize<'de> for Whole {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Whole;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a non-negative integer")
            }
            fn visit_u64<E: Error>(self, v: u64) -> Result<Whole, E> {
                Ok(Whole(v))
            }
            fn visit_i64<E: Error>(self, v: i64) -> Result<Whole, E> {
                u64::try_from(v).map(Whole).map_err(|_| E::custom("a non-negative integer"))
            }
            fn visit_f64<E: Error>(self, v: f64) -> Result<Whole, E> {
                if v.fract() == 0.0 && (0.0..=9_007_199_254_740_992.0).contains(&v) {
                    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
                    Ok(Whole(v as u64))
                } else {
                    Err(E::custom("a non-negative integer"))
                }
            }
        }
        d.deserialize_any(V)
    }
}

fn narrow<T: TryFrom<u64>, E: Error>(w: Whole) -> Result<T, E> {
    T::try_from(w.0).map_err(|_| E::custom("an integer out of range"))
}

/// A port, or `null`.
pub(super) fn port<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u16>, D::Error> {
    Option::<Whole>::deserialize(d)?.map(narrow).transpose()
}

/// Seconds.
pub(super) fn poll<'de, D: Deserializer<'de>>(d: D) -> Result<u32, D::Error> {
    narrow(Whole::deserialize(d)?)
}

/// Seconds, or `null`.
pub(super) fn poll_or_null<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u32>, D::Error> {
    Option::<Whole>::deserialize(d)?.map(narrow).transpose()
}

/// A whole number of at most `u32::MAX` (queues' minutes).
pub(crate) fn count<'de, D: Deserializer<'de>>(d: D) -> Result<u32, D::Error> {
    narrow(Whole::deserialize(d)?)
}

/// [`count`], or `null`.
pub(crate) fn count_or_null<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u32>, D::Error> {
    Option::<Whole>::deserialize(d)?.map(narrow).transpose()
}

/// A whole number of at most 255 (a share in percent; the schema holds it to its range).
pub(crate) fn percent<'de, D: Deserializer<'de>>(d: D) -> Result<u8, D::Error> {
    narrow(Whole::deserialize(d)?)
}

/// Any non-negative whole number (ids).
pub(crate) fn id<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    Ok(Whole::deserialize(d)?.0)
}

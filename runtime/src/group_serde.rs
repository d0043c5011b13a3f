//! Serde for groups enums: a group is its claim value. The generated
//! `Serialize`/`Deserialize` impls of `#[groups]` call these.

use crate::group::Groups;
use crate::text::shown;

/// Serializes a group as its claim value.
///
/// # Errors
///
/// The serializer's own error, if it fails to write a string.
pub fn serialize<G: Groups, S: serde::Serializer>(group: G, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(group.name())
}

/// Deserializes a group from its claim value.
///
/// # Errors
///
/// The deserializer's error for a value that is not a string, or for a
/// name no group has; that message shows the name escaped and cut (it may
/// come from a token).
pub fn deserialize<'de, G: Groups, D: serde::Deserializer<'de>>(d: D) -> Result<G, D::Error> {
    struct Visitor<G>(core::marker::PhantomData<G>);
    impl<G: Groups> serde::de::Visitor<'_> for Visitor<G> {
        type Value = G;
        fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
            f.write_str("a declared group name")
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<G, E> {
            G::from_name(v).ok_or_else(|| {
                // A pool may declare 10,000 groups: name a few, count the rest.
                const SHOWN: usize = 12;
                let names: Vec<&str> = G::ALL.iter().take(SHOWN).map(|g| g.name()).collect();
                let more = G::ALL.len().saturating_sub(SHOWN);
                let rest = if more > 0 {
                    format!(" and {more} more")
                } else {
                    String::new()
                };
                E::custom(format_args!(
                    "unknown group `{}`; declared groups: `{}`{rest}",
                    shown(v),
                    names.join("`, `")
                ))
            })
        }
    }
    d.deserialize_str(Visitor(core::marker::PhantomData))
}

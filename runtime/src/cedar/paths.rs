//! Declared storage paths as Cedar sees them: their directory, the keys an
//! `{entity_id}` path covers, and which path overrides which (Amplify's
//! "most specific path decides", which Cedar's inherited `in` does not do
//! by itself).

use super::text::{literal, pattern_literal};
use crate::group::Groups;
use crate::storage::{Acceptor, StoragePath};

/// A declared path's parts: `a/b/*` is `[a, b]`; `{entity_id}` is only ever
/// the last part.
pub(super) struct PathShape {
    /// The literal parts (without the `{entity_id}` part).
    literal: Vec<String>,
    /// Whether the path ends in `{entity_id}/*`.
    entity: bool,
    /// For an `{entity_id}` path, whether it grants to others than the
    /// owner, and so covers all of `p/*` (not only the owners' folders).
    wide: bool,
}

impl PathShape {
    pub(super) fn of<G: Groups>(path: &StoragePath<G>) -> Self {
        let wide = path
            .grants()
            .iter()
            .any(|g| !matches!(g.acceptor(), Acceptor::Entity));
        Self::new(path.path(), wide)
    }

    pub(super) fn new(path: &str, wide: bool) -> Self {
        let mut parts: Vec<String> = path
            .strip_suffix("/*")
            .unwrap_or(path)
            .split('/')
            .map(str::to_owned)
            .collect();
        let entity = parts.last().is_some_and(|p| p == "{entity_id}");
        if entity {
            parts.pop();
        }
        Self {
            literal: parts,
            entity,
            wide,
        }
    }

    pub(super) fn depth(&self) -> usize {
        self.literal.len() + usize::from(self.entity)
    }

    /// The directory of the literal parts, `a/b/`.
    pub(super) fn directory(&self) -> String {
        self.literal.iter().map(|p| format!("{p}/")).collect()
    }

    /// `like` pattern of the owners' folders of an `{entity_id}` path: `a/*/*`.
    pub(super) fn like_pattern(&self) -> String {
        let prefix = pattern_literal(&self.directory());
        format!("{}*/*\"", prefix.trim_end_matches('"'))
    }

    /// The condition under which `self` covers the resource: its directory,
    /// or for an owner-only `{entity_id}` path, the owners' folders in it.
    pub(super) fn covers(&self, space: &str) -> String {
        if self.entity && !self.wide {
            format!("resource.key like {}", self.like_pattern())
        } else {
            format!("resource in {space}::Dir::{}", literal(&self.directory()))
        }
    }

    /// The part at `depth`, `None` for an `{entity_id}` part (any segment).
    pub(super) fn part(&self, depth: usize) -> Option<&str> {
        self.literal.get(depth).map(String::as_str)
    }

    /// Whether `self` decides instead of `other` for some key both cover:
    /// it is deeper, or as deep and literal where `other` ends in
    /// `{entity_id}`.
    pub(super) fn overrides(&self, other: &PathShape) -> bool {
        let more_specific = self.depth() > other.depth()
            || (self.depth() == other.depth() && !self.entity && other.entity);
        let compatible = (0..self.depth().min(other.depth())).all(|d| {
            match (self.part(d), other.part(d)) {
                (Some(a), Some(b)) => a == b,
                _ => true, // an `{entity_id}` part matches any segment
            }
        });
        more_specific && compatible
    }
}

#[cfg(test)]
mod tests {
    use super::PathShape;

    #[test]
    fn path_shapes() {
        let entity = PathShape::new("home/{entity_id}/*", false);
        assert_eq!(entity.directory(), "home/");
        assert_eq!(entity.like_pattern(), r#""home/*/*""#);
        assert_eq!(entity.covers("S"), r#"resource.key like "home/*/*""#);
        let wide = PathShape::new("home/{entity_id}/*", true);
        assert_eq!(wide.covers("S"), r#"resource in S::Dir::"home/""#);
        let literal = PathShape::new("home/shared/*", false);
        let parent = PathShape::new("home/*", false);
        let other = PathShape::new("other/x/*", false);
        let nested = PathShape::new("home/x/{entity_id}/*", true);
        // Deeper, or literal beside `{entity_id}` at the same depth.
        assert!(literal.overrides(&entity) && !entity.overrides(&literal));
        assert!(literal.overrides(&wide) && !wide.overrides(&literal));
        assert!(literal.overrides(&parent) && !parent.overrides(&literal));
        assert!(nested.overrides(&wide) && !wide.overrides(&nested));
        assert!(!other.overrides(&parent));
        assert!(!parent.overrides(&parent));
    }
}

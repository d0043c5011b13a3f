//! The entity data a request needs: the principal's and an object's, as
//! Cedar's entity JSON.

use super::Cedar;
use super::text::{entity_json, json_string, json_strings, literal, prefixed, reference};
use crate::decision::KeyError;
use crate::group::Groups;
use crate::model::identities;
use crate::principal::Principal;
use crate::storage::{Storage, validate_key};

impl Cedar {
    /// The principal's entity, as the policies read it: a `Guest`, or a
    /// `User` (its id the `sub`) with its `identities`, `username`,
    /// `group_names` and `homes`, child of the `Group` entities of its group
    /// claims (declared or not).
    ///
    /// ```
    /// use groupguard::cedar::CedarExport;
    /// use groupguard::Principal;
    /// # #[groupguard::groups] pub enum Group { ADMINS }
    /// groupguard::storage! { pub Files { "home/{entity_id}/*" => entity(identity): [read] } }
    /// let cedar = CedarExport::<Group>::new("App")?.storage::<Files>().build()?;
    ///
    /// let ann = Principal::authenticated("u-1").with_username("ann").with_groups([Group::ADMINS]);
    /// let entity = cedar.principal_entity(&ann);
    /// assert_eq!(entity.uid(), r#"App::User::"u-1""#);
    /// assert_eq!(
    ///     entity.json(),
    ///     r#"[{"uid":{"type":"App::User","id":"u-1"},"attrs":{"identities":["u-1","u-1::ann"],"username":"ann","group_names":["ADMINS"],"homes":{"Files:home/{entity_id}/*":{"__entity":{"type":"App::Files::Dir","id":"home/u-1/"}}}},"parents":[{"type":"App::Group","id":"ADMINS"}]}]"#
    /// );
    /// assert_eq!(cedar.principal_entity(&Principal::<Group>::guest()).uid(), r#"App::Guest::"guest""#);
    /// # Ok::<(), groupguard::cedar::CedarError>(())
    /// ```
    #[must_use]
    pub fn principal_entity<G: Groups>(&self, principal: &Principal<G>) -> EntityData {
        let ns = &self.namespace;
        let Some(sub) = principal.sub() else {
            let ty = format!("{ns}::Guest");
            return EntityData::new(&ty, "guest", "{}", "[]");
        };
        let identities = identities(principal, false);
        // Only the owner rules with `legacy_username` read it.
        let username = principal
            .username()
            .filter(|name| !name.is_empty())
            .map(|name| format!("\"username\":{},", json_string(name)))
            .unwrap_or_default();
        let names: Vec<&str> = principal
            .groups()
            .iter()
            .map(|group| -> &str { group.name() })
            .chain(principal.unknown_groups().iter().map(String::as_str))
            .filter(|name| !name.is_empty())
            .collect();
        let group = format!("{ns}::Group");
        let prefix = self.prefix.as_deref();
        let parents: Vec<String> = names
            .iter()
            .map(|n| reference(&group, &prefixed(prefix, n)))
            .collect();
        let homes: Vec<String> = match principal.entity_id() {
            Some(id) if !id.is_empty() && !id.contains('/') => self
                .homes
                .iter()
                .map(|(storage, path)| {
                    let dir = path.trim_end_matches('*').replace("{entity_id}", id);
                    format!(
                        "{}:{{\"__entity\":{}}}",
                        json_string(&format!("{storage}:{path}")),
                        reference(&format!("{ns}::{storage}::Dir"), &dir)
                    )
                })
                .collect(),
            _ => Vec::new(),
        };
        let attrs = format!(
            "{{\"identities\":{},{username}\"group_names\":{},\"homes\":{{{}}}}}",
            json_strings(identities.iter().map(String::as_str)),
            json_strings(names.iter().copied()),
            homes.join(",")
        );
        EntityData::new(
            &format!("{ns}::User"),
            &prefixed(prefix, sub),
            &attrs,
            &format!("[{}]", parents.join(",")),
        )
    }

    /// The object `key` of storage `S`, with its chain of directories
    /// (`a/b/c` in `a/b/` in `a/`), after the key is validated as
    /// [`authorize`](crate::Storage::authorize) validates it.
    ///
    /// # Errors
    ///
    /// The [`KeyError`] of a malformed key, which no policy may decide.
    ///
    /// ```
    /// use groupguard::cedar::CedarExport;
    /// use groupguard::KeyError;
    /// # #[groupguard::groups] pub enum Group { ADMINS }
    /// groupguard::storage! { pub Files { "a/*" => groups(ADMINS): [read] } }
    /// let cedar = CedarExport::<Group>::new("App")?.storage::<Files>().build()?;
    /// let object = cedar.object_entity::<Files>("a/b/c.txt").unwrap();
    /// assert_eq!(object.uid(), r#"App::Files::Object::"a/b/c.txt""#);
    /// assert!(object.json().contains(r#"{"uid":{"type":"App::Files::Dir","id":"a/b/"},"attrs":{},"parents":[{"type":"App::Files::Dir","id":"a/"}]}"#));
    /// assert_eq!(cedar.object_entity::<Files>("a/../b").unwrap_err(), KeyError::DotSegment);
    /// # Ok::<(), groupguard::cedar::CedarError>(())
    /// ```
    pub fn object_entity<S: Storage>(&self, key: &str) -> Result<EntityData, KeyError> {
        validate_key(key)?;
        let space = format!("{}::{}", self.namespace, S::NAME);
        let dir = format!("{space}::Dir");
        let dirs: Vec<&str> = key.match_indices('/').map(|(i, _)| &key[..=i]).collect();
        let mut entities: Vec<String> = dirs
            .iter()
            .enumerate()
            .map(|(i, d)| {
                let parent = i.checked_sub(1).map(|p| reference(&dir, dirs[p]));
                format!(
                    "{{\"uid\":{},\"attrs\":{{}},\"parents\":[{}]}}",
                    reference(&dir, d),
                    parent.unwrap_or_default()
                )
            })
            .collect();
        let ty = format!("{space}::Object");
        let parents = dirs.last().map(|d| reference(&dir, d)).unwrap_or_default();
        entities.push(entity_json(
            &ty,
            key,
            &format!("{{\"key\":{}}}", json_string(key)),
            &format!("[{parents}]"),
        ));
        Ok(EntityData {
            uid: format!("{ty}::{}", literal(key)),
            json: format!("[{}]", entities.join(",")),
        })
    }
}

/// An entity for a Cedar request: its uid (`App::User::"u-1"`, for the
/// request) and the entities it brings, as Cedar's entity JSON (an array,
/// for `cedar_policy::Entities::from_json_str`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntityData {
    uid: String,
    json: String,
}

impl EntityData {
    fn new(ty: &str, id: &str, attrs: &str, parents: &str) -> Self {
        Self {
            uid: format!("{ty}::{}", literal(id)),
            json: format!("[{}]", entity_json(ty, id, attrs, parents)),
        }
    }

    /// The entity's uid, in Cedar's syntax.
    ///
    /// ```
    /// # use groupguard::cedar::CedarExport;
    /// # #[groupguard::groups] pub enum Group { ADMINS }
    /// # let cedar = CedarExport::<Group>::new("App")?.build()?;
    /// let guest = cedar.principal_entity(&groupguard::Principal::<Group>::guest());
    /// assert_eq!(guest.uid(), r#"App::Guest::"guest""#);
    /// # Ok::<(), groupguard::cedar::CedarError>(())
    /// ```
    #[must_use]
    pub fn uid(&self) -> &str {
        &self.uid
    }

    /// The entities, as a JSON array.
    ///
    /// ```
    /// # use groupguard::cedar::CedarExport;
    /// # #[groupguard::groups] pub enum Group { ADMINS }
    /// # let cedar = CedarExport::<Group>::new("App")?.build()?;
    /// let guest = cedar.principal_entity(&groupguard::Principal::<Group>::guest());
    /// assert_eq!(guest.json(), r#"[{"uid":{"type":"App::Guest","id":"guest"},"attrs":{},"parents":[]}]"#);
    /// # Ok::<(), groupguard::cedar::CedarError>(())
    /// ```
    #[must_use]
    pub fn json(&self) -> &str {
        &self.json
    }
}

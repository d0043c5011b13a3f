//! What a caller can do, each decided by the rules of `auth.rs` before it
//! acts: the JSON API (`web.rs`) and the page's forms (`page/`) both call
//! these, so a form is refused exactly when the same request to the API is.

use axum::body::Bytes;
use futures_util::TryStreamExt;
use groupguard::{Op, Principal, validate_key};
use object_store::path::Path;
use object_store::{ObjectMeta, ObjectStore, ObjectStoreExt};

use crate::auth::{Group, Post, Status, owner_of};
use crate::db::Db;
use crate::web::{ApiError, App};

/// A new draft of `principal`'s: `create` on it, owned by the caller.
pub fn create_post(
    app: &App,
    principal: &Principal<Group>,
    title: String,
    body: String,
) -> Result<Post, ApiError> {
    let post = Post {
        id: 0,
        // A guest has no owner value; the rules refuse it below (401).
        owner: owner_of(principal).unwrap_or_default(),
        title,
        body,
        status: Status::Draft,
    };
    post.authorize_record(principal, Op::Create).into_result()?;
    Ok(app.db.insert(&post)?)
}

/// The post `id`: 404 when there is none.
fn load(app: &App, id: i64) -> Result<Post, ApiError> {
    app.db.get(id)?.ok_or(ApiError::NotFound)
}

/// The post `id`, if `principal` may `get` it.
pub fn get_post(app: &App, principal: &Principal<Group>, id: i64) -> Result<Post, ApiError> {
    let post = load(app, id)?;
    post.authorize_record(principal, Op::Get).into_result()?;
    Ok(post)
}

/// `post` with a new title and body, where they are given.
pub fn edited(post: &Post, title: Option<String>, body: Option<String>) -> Post {
    let mut after = post.clone();
    if let Some(title) = title {
        after.title = title;
    }
    if let Some(body) = body {
        after.body = body;
    }
    after
}

/// `post` published.
pub fn published(post: &Post) -> Post {
    Post {
        status: Status::Published,
        ..post.clone()
    }
}

/// Saves `after` in place of `before` if `principal` may update `before`
/// into `after`: `update` on the post as it is and as it would be (an
/// editor may not publish), `delete` on any field it clears, the rules of
/// any field with rules of its own that it changes (`authorize_update`).
pub fn save_update(
    db: &Db,
    principal: &Principal<Group>,
    before: &Post,
    after: Post,
) -> Result<Post, ApiError> {
    before.authorize_update(principal, &after).into_result()?;
    db.update(&after)?;
    Ok(after)
}

/// Changes the title and the body of the post `id` (those given).
pub fn edit_post(
    app: &App,
    principal: &Principal<Group>,
    id: i64,
    title: Option<String>,
    body: Option<String>,
) -> Result<Post, ApiError> {
    let before = load(app, id)?;
    let after = edited(&before, title, body);
    save_update(&app.db, principal, &before, after)
}

/// Publishes the post `id`: an update into the published state.
pub fn publish_post(app: &App, principal: &Principal<Group>, id: i64) -> Result<Post, ApiError> {
    let before = load(app, id)?;
    let after = published(&before);
    save_update(&app.db, principal, &before, after)
}

/// Deletes the post `id`, if `principal` may.
pub fn delete_post(app: &App, principal: &Principal<Group>, id: i64) -> Result<(), ApiError> {
    let post = load(app, id)?;
    post.authorize_record(principal, Op::Delete).into_result()?;
    app.db.delete(id)?;
    Ok(())
}

/// `key` as an object path, if it is a valid key written as the store
/// writes it: no `..`, `.` or empty segment, no leading or trailing `/`.
pub fn object_path(key: &str) -> Result<Path, ApiError> {
    validate_key(key).map_err(|error| ApiError::BadRequest(format!("invalid key: {error}")))?;
    let path = Path::parse(key).map_err(|error| ApiError::BadRequest(error.to_string()))?;
    if path.as_ref() != key {
        return Err(ApiError::BadRequest(
            "a key neither starts nor ends with `/`".to_owned(),
        ));
    }
    Ok(path)
}

/// The file `key`, read through the guarded store (`get`).
pub async fn get_file(
    app: &App,
    principal: &Principal<Group>,
    key: &str,
) -> Result<Bytes, ApiError> {
    let path = object_path(key)?;
    let files = app.files_for(principal.clone());
    Ok(files.get(&path).await?.bytes().await?)
}

/// Writes the file `key` through the guarded store (`write`).
pub async fn put_file(
    app: &App,
    principal: &Principal<Group>,
    key: &str,
    bytes: Bytes,
) -> Result<(), ApiError> {
    let path = object_path(key)?;
    app.files_for(principal.clone())
        .put(&path, bytes.into())
        .await?;
    Ok(())
}

/// Deletes the file `key` through the guarded store (`delete`).
pub async fn delete_file(
    app: &App,
    principal: &Principal<Group>,
    key: &str,
) -> Result<(), ApiError> {
    let path = object_path(key)?;
    app.files_for(principal.clone()).delete(&path).await?;
    Ok(())
}

/// The files under `prefix/`, listed through the guarded store (`list` on
/// the prefix and on each key), sorted by key.
pub async fn list_files(
    app: &App,
    principal: &Principal<Group>,
    prefix: &str,
) -> Result<Vec<ObjectMeta>, ApiError> {
    let prefix = object_path(prefix)?;
    let mut objects: Vec<ObjectMeta> = app
        .files_for(principal.clone())
        .list(Some(&prefix))
        .try_collect()
        .await?;
    objects.sort_by(|a, b| a.location.cmp(&b.location));
    Ok(objects)
}

#[cfg(test)]
mod tests {
    use super::*;
    use groupguard::{DenyReason, UpdateCheck};

    /// A fresh database in its own directory, with uma's draft.
    fn db_with_a_draft(name: &str) -> (Db, Post, std::path::PathBuf) {
        let dir = std::env::temp_dir().join(format!(
            "groupguard-bulletin-update-{name}-{}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("a temporary directory");
        let db = Db::open(&dir).expect("the database");
        let draft = db
            .insert(&Post {
                id: 0,
                owner: "uma".to_owned(),
                title: "Uma's draft".to_owned(),
                body: "first words".to_owned(),
                status: Status::Draft,
            })
            .expect("inserted");
        (db, draft, dir)
    }

    fn user(name: &str, groups: &[Group]) -> Principal<Group> {
        Principal::authenticated(name)
            .with_username(name)
            .with_groups(groups.iter().copied())
    }

    /// The check and reason of a refused update; the post left as stored.
    fn refused(
        db: &Db,
        principal: &Principal<Group>,
        before: &Post,
        after: Post,
    ) -> (UpdateCheck, DenyReason) {
        let Err(ApiError::Denied(denied)) = save_update(db, principal, before, after) else {
            panic!("the update was not refused");
        };
        assert_eq!(
            db.get(before.id).expect("read").as_ref(),
            Some(before),
            "saved anyway"
        );
        (
            denied.update_check().expect("an update check"),
            denied.reason(),
        )
    }

    #[test]
    fn an_update_is_saved_only_when_allowed_as_stored_and_as_saved() {
        let (db, draft, dir) = db_with_a_draft("cases");
        let edited = edited(&draft, None, Some("better words".to_owned()));
        let published = published(&draft);
        // Stored: otto may not update uma's draft.
        assert_eq!(
            refused(&db, &user("otto", &[]), &draft, edited.clone()),
            (UpdateCheck::Stored, DenyReason::NotRecordOwner)
        );
        // Saved: editors and owners update drafts, so may not publish one.
        let condition = DenyReason::ConditionFailed {
            condition: "Self::is_draft",
        };
        assert_eq!(
            refused(
                &db,
                &user("eddie", &[Group::EDITORS]),
                &draft,
                published.clone()
            ),
            (UpdateCheck::Saved, condition)
        );
        assert_eq!(
            refused(&db, &user("uma", &[]), &draft, published.clone()),
            (UpdateCheck::Saved, condition)
        );
        // Saved: nor may uma give her draft to otto.
        let given = Post {
            owner: "otto".to_owned(),
            ..draft.clone()
        };
        assert_eq!(
            refused(&db, &user("uma", &[]), &draft, given),
            (UpdateCheck::Saved, DenyReason::NotRecordOwner)
        );
        // Allowed: saved as proposed.
        assert!(
            save_update(
                &db,
                &user("eddie", &[Group::EDITORS]),
                &draft,
                edited.clone()
            )
            .is_ok()
        );
        assert_eq!(db.get(draft.id).expect("read"), Some(edited.clone()));
        assert!(
            save_update(
                &db,
                &user("ada", &[Group::ADMINS]),
                &edited,
                published.clone()
            )
            .is_ok()
        );
        assert_eq!(db.get(draft.id).expect("read"), Some(published.clone()));
        // Stored: once published, not even its owner updates it.
        let reworded = Post {
            body: "changed".to_owned(),
            ..published.clone()
        };
        assert_eq!(
            refused(&db, &user("uma", &[]), &published, reworded),
            (UpdateCheck::Stored, condition)
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}

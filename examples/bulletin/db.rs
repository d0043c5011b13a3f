//! Posts in SQLite (rusqlite, the bundled library): one file under the data
//! directory, created on first start and kept across restarts.
//!
//! The list query is the rules' list filter (`Post::filter_for`) as its
//! `WHERE` clause: field matches become `owner IN (?, ...)` with bound
//! parameters, `when` conditions the fixed SQL of [`Post::condition_sql`],
//! and the rows are re-checked with `authorize_record` when the filter says
//! so. Nothing from the filter or the request is spliced into the SQL text.

use std::path::Path;
use std::sync::{Mutex, MutexGuard, PoisonError};

use groupguard::{Filter, Op, Principal};
use rusqlite::{Connection, OptionalExtension, Row, params, params_from_iter};

use crate::auth::{Group, Post, Status};

/// A database error, or a row this program did not write.
pub type Result<T> = std::result::Result<T, rusqlite::Error>;

const SCHEMA: &str = "CREATE TABLE IF NOT EXISTS posts (
    id     INTEGER PRIMARY KEY AUTOINCREMENT,
    owner  TEXT NOT NULL,
    title  TEXT NOT NULL,
    body   TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('draft', 'published'))
)";

const SELECT: &str = "SELECT id, owner, title, body, status FROM posts";

/// The posts table. One connection behind a mutex: each statement is short,
/// and SQLite serialises writers anyway.
pub struct Db {
    conn: Mutex<Connection>,
}

impl Db {
    /// Opens (or creates) `bulletin.sqlite3` in `dir`.
    pub fn open(dir: &Path) -> Result<Self> {
        let conn = Connection::open(dir.join("bulletin.sqlite3"))?;
        conn.execute_batch(SCHEMA)?;
        Ok(Self {
            conn: Mutex::new(conn),
        })
    }

    fn conn(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock leaves SQLite consistent (every
        // statement is atomic), so a poisoned lock is still usable.
        self.conn.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// How many posts there are.
    pub fn count(&self) -> Result<i64> {
        self.conn()
            .query_row("SELECT COUNT(*) FROM posts", [], |row| row.get(0))
    }

    /// Stores a new post and returns it with its id.
    pub fn insert(&self, post: &Post) -> Result<Post> {
        let conn = self.conn();
        conn.execute(
            "INSERT INTO posts (owner, title, body, status) VALUES (?, ?, ?, ?)",
            params![post.owner, post.title, post.body, post.status.as_str()],
        )?;
        Ok(Post {
            id: conn.last_insert_rowid(),
            ..post.clone()
        })
    }

    /// The post `id`, if there is one.
    pub fn get(&self, id: i64) -> Result<Option<Post>> {
        self.conn()
            .query_row(&format!("{SELECT} WHERE id = ?"), [id], post_of_row)
            .optional()
    }

    /// Saves every field of `post` but its id.
    pub fn update(&self, post: &Post) -> Result<()> {
        self.conn().execute(
            "UPDATE posts SET owner = ?, title = ?, body = ?, status = ? WHERE id = ?",
            params![
                post.owner,
                post.title,
                post.body,
                post.status.as_str(),
                post.id
            ],
        )?;
        Ok(())
    }

    /// Deletes the post `id`.
    pub fn delete(&self, id: i64) -> Result<()> {
        self.conn()
            .execute("DELETE FROM posts WHERE id = ?", [id])?;
        Ok(())
    }

    /// The posts `principal` may `op` (list): one query, then a re-check of
    /// its rows when a condition could not be put in SQL.
    pub fn list_for(&self, principal: &Principal<Group>, op: Op) -> Result<Vec<Post>> {
        let filter = Post::filter_for(principal, op);
        let Some((clause, values)) = where_clause(&filter) else {
            return Ok(Vec::new());
        };
        let sql = format!("{SELECT} WHERE {clause} ORDER BY id DESC");
        let conn = self.conn();
        let mut statement = conn.prepare(&sql)?;
        let rows = statement.query_map(params_from_iter(values), post_of_row)?;
        let mut posts = Vec::new();
        for post in rows {
            let post = post?;
            if !filter.needs_check() || post.authorize_record(principal, op).is_allowed() {
                posts.push(post);
            }
        }
        Ok(posts)
    }
}

fn post_of_row(row: &Row<'_>) -> Result<Post> {
    let status: String = row.get(4)?;
    let status = Status::parse(&status).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            4,
            rusqlite::types::Type::Text,
            format!("unknown status {status:?}").into(),
        )
    })?;
    Ok(Post {
        id: row.get(0)?,
        owner: row.get(1)?,
        title: row.get(2)?,
        body: row.get(3)?,
        status,
    })
}

/// The `WHERE` clause of `filter` and its parameters; `None` when it keeps
/// nothing (no query at all).
///
/// Each term is `(m1 AND m2 ...)`, the terms joined with `OR`. The only
/// field a rule of `Post` reads is `owner`; a condition SQL cannot say
/// counts as true here (`1`), and `Db::list_for` re-checks the rows.
pub fn where_clause(filter: &Filter) -> Option<(String, Vec<String>)> {
    if filter.keeps_nothing() {
        return None;
    }
    let mut values = Vec::new();
    let mut terms = Vec::new();
    for term in filter.terms() {
        let mut parts = Vec::new();
        for m in term.matches() {
            // A fixed column per field: the filter's string never reaches
            // the SQL text. An unknown field matches nothing.
            let column = match (m.field(), m.is_list()) {
                ("owner", false) => "owner",
                _ => {
                    parts.push("0".to_owned());
                    continue;
                }
            };
            if m.values().is_empty() {
                parts.push("0".to_owned());
                continue;
            }
            parts.push(format!(
                "{column} IN ({})",
                vec!["?"; m.values().len()].join(", ")
            ));
            values.extend(m.values().iter().cloned());
        }
        for condition in term.conditions() {
            parts.push(Post::condition_sql(condition).unwrap_or("1").to_owned());
        }
        if parts.is_empty() {
            parts.push("1".to_owned());
        }
        terms.push(format!("({})", parts.join(" AND ")));
    }
    Some((terms.join(" OR "), values))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::Group;

    #[test]
    fn the_list_filter_becomes_a_where_clause() {
        let guest = Principal::<Group>::guest();
        assert_eq!(
            where_clause(&Post::filter_for(&guest, Op::List)),
            Some(("(status = 'published')".to_owned(), vec![]))
        );
        let uma = Principal::<Group>::authenticated("uma-sub").with_username("uma");
        let (sql, values) = where_clause(&Post::filter_for(&uma, Op::List)).unwrap();
        assert_eq!(
            sql,
            "(status = 'published') OR (owner IN (?, ?) AND status = 'draft')"
        );
        // `sub` and Amplify's `sub::username`, never the bare user name.
        assert_eq!(values, ["uma-sub", "uma-sub::uma"]);
        let admin = Principal::authenticated("ada").with_groups([Group::ADMINS]);
        assert_eq!(
            where_clause(&Post::filter_for(&admin, Op::List)),
            Some(("(1)".to_owned(), vec![]))
        );
    }
}

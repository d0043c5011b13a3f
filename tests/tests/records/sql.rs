//! A list endpoint over SQL: `Doc::filter_for` turned into the `WHERE`
//! clause of a query on an in-memory `SQLite` database (rusqlite).
//!
//! The pattern, for any SQL store:
//!
//! 1. `filter_for(principal, op)`: which records the rules let the
//!    principal see, as data (an OR of terms, each an AND of field matches
//!    and `when` conditions).
//! 2. [`where_clause`]: `keeps_nothing()` means no query at all;
//!    `keeps_everything()` means no `WHERE`; otherwise each term becomes
//!    `(m1 AND m2 ...)` and the terms are joined with `OR`. A scalar field
//!    match is `col IN (?, ?)`; a list field, stored as a JSON array in a
//!    `TEXT` column, is `EXISTS (SELECT 1 FROM json_each(col) WHERE value
//!    IN (?, ?))`. A `NULL` column matches nothing (`NULL IN (...)` is not
//!    true, and no clause negates it). The values are bound parameters,
//!    never spliced into the SQL text, and field names become column names
//!    only through a fixed `match` ([`column`]), so nothing taken from the
//!    filter reaches the SQL text unchecked.
//! 3. `when` conditions (`Self::is_draft`) are Rust functions SQL cannot
//!    run: the SQL side treats them as true, so the query returns a superset,
//!    and when `filter.needs_check()` every row is re-checked with
//!    `authorize_record` after the query.
//!
//! The tests check the endpoint against `authorize_record` on a readable
//! example and on a few hundred random records and principals.

use std::time::Instant;

use groupguard::{FieldMatch, Filter, FilterTerm, Model, Op, Principal, groups, model};
use rusqlite::{Connection, params, params_from_iter};

#[groups]
pub enum Group {
    ADMINS,
    EDITORS,
    #[group(name = "content-reviewers")]
    REVIEWERS,
}

/// A document: owned by `owner`, editable by `editors`, listed to the
/// members of `team` and readable by those of `teams`; editors see drafts
/// in lists, admins everything.
#[model(
    allow(owner, to = [read, update]),
    allow(owners = editors, to = [read]),
    allow(group_defined_in = team, to = [list]),
    allow(groups_defined_in = teams, to = [read]),
    allow(groups = [EDITORS], to = [list], when = Self::is_draft),
    allow(groups = [ADMINS]),
)]
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Doc {
    pub id: i64,
    pub owner: String,
    pub editors: Vec<String>,
    pub team: Option<String>,
    pub teams: Vec<String>,
    pub draft: bool,
}

impl Doc {
    fn is_draft(&self) -> bool {
        self.draft
    }
}

/// The same table read by the same rules, but with records an older
/// Amplify stored with bare user names: its owner rules opt in to
/// `legacy_username`.
#[model(
    allow(owner, legacy_username, to = [read, update]),
    allow(owners = editors, legacy_username, to = [read]),
    allow(group_defined_in = team, to = [list]),
    allow(groups_defined_in = teams, to = [read]),
    allow(groups = [EDITORS], to = [list], when = Self::is_draft),
    allow(groups = [ADMINS]),
)]
pub struct LegacyDoc {
    pub owner: String,
    pub editors: Vec<String>,
    pub team: Option<String>,
    pub teams: Vec<String>,
    pub draft: bool,
}

impl LegacyDoc {
    fn is_draft(&self) -> bool {
        self.draft
    }
}

/// A row, read by the rules of `Self`.
trait Rules: Model<Group = Group> {
    fn of(doc: &Doc) -> Self;
}

impl Rules for Doc {
    fn of(doc: &Doc) -> Self {
        doc.clone()
    }
}

impl Rules for LegacyDoc {
    fn of(doc: &Doc) -> Self {
        LegacyDoc {
            owner: doc.owner.clone(),
            editors: doc.editors.clone(),
            team: doc.team.clone(),
            teams: doc.teams.clone(),
            draft: doc.draft,
        }
    }
}

/// Whether the rules of `M` allow `op` on the row `doc`.
fn allows<M: Rules>(doc: &Doc, principal: &Principal<Group>, op: Op) -> bool {
    M::of(doc).authorize_record(principal, op).is_allowed()
}

// ---------------------------------------------------------------------------
// The storage side: a table, and the filter as a `WHERE` clause.
// ---------------------------------------------------------------------------

/// List fields (`editors`, `teams`) are JSON arrays in `TEXT` columns; `team`
/// may be `NULL`.
const SCHEMA: &str = "CREATE TABLE docs (
    id      INTEGER PRIMARY KEY,
    owner   TEXT NOT NULL,
    editors TEXT NOT NULL,
    team    TEXT,
    teams   TEXT NOT NULL,
    draft   INTEGER NOT NULL
)";

const SELECT: &str = "SELECT id, owner, editors, team, teams, draft FROM docs";

fn open(docs: &[Doc]) -> Connection {
    let conn = Connection::open_in_memory().expect("in-memory database");
    conn.execute_batch(SCHEMA).expect("schema");
    insert(&conn, docs);
    conn
}

fn insert(conn: &Connection, docs: &[Doc]) {
    let mut stmt = conn
        .prepare(
            "INSERT INTO docs (id, owner, editors, team, teams, draft) VALUES (?, ?, ?, ?, ?, ?)",
        )
        .expect("insert statement");
    for doc in docs {
        stmt.execute(params![
            doc.id,
            doc.owner,
            serde_json::to_string(&doc.editors).expect("editors as JSON"),
            doc.team,
            serde_json::to_string(&doc.teams).expect("teams as JSON"),
            doc.draft,
        ])
        .expect("insert");
    }
}

/// The column of a field match, from a fixed table: the field's name and
/// shape must be one this table knows. The column name returned is a
/// literal of this function, never the filter's string.
fn column(m: &FieldMatch) -> Result<&'static str, String> {
    match (m.field(), m.is_list()) {
        ("owner", false) => Ok("owner"),
        ("editors", true) => Ok("editors"),
        ("team", false) => Ok("team"),
        ("teams", true) => Ok("teams"),
        (field, list) => Err(format!("no column for field {field:?} (list: {list})")),
    }
}

/// What the query needs for a filter.
#[derive(Debug, PartialEq, Eq)]
enum Where {
    /// The filter keeps nothing: do not query.
    Nothing,
    /// The filter keeps every record: no `WHERE` clause.
    Everything,
    /// `WHERE {sql}`, with `params` bound to its `?` in order.
    Clause { sql: String, params: Vec<String> },
}

/// The `WHERE` clause of `filter`. Conditions (`when` predicates) count as
/// true here: the caller re-checks the rows when `filter.needs_check()`.
fn where_clause(filter: &Filter) -> Result<Where, String> {
    if filter.keeps_nothing() {
        return Ok(Where::Nothing);
    }
    if filter.keeps_everything() {
        return Ok(Where::Everything);
    }
    let mut params = Vec::new();
    let mut terms = Vec::with_capacity(filter.terms().len());
    for term in filter.terms() {
        let mut matches = Vec::with_capacity(term.matches().len());
        for m in term.matches() {
            let col = column(m)?;
            if m.values().is_empty() {
                // Documented never to happen; an empty `IN ()` would match nothing.
                matches.push("0".to_owned());
                continue;
            }
            let placeholders = vec!["?"; m.values().len()].join(", ");
            params.extend(m.values().iter().cloned());
            matches.push(if m.is_list() {
                format!("EXISTS (SELECT 1 FROM json_each({col}) WHERE value IN ({placeholders}))")
            } else {
                format!("{col} IN ({placeholders})")
            });
        }
        if matches.is_empty() {
            // Only conditions: true for SQL, checked after the query.
            matches.push("1".to_owned());
        }
        terms.push(format!("({})", matches.join(" AND ")));
    }
    Ok(Where::Clause {
        sql: terms.join(" OR "),
        params,
    })
}

/// What one call of the endpoint did, for the tests.
struct Listed {
    /// The rows the query returned (before the re-check).
    from_sql: Vec<Doc>,
    /// The rows the endpoint answers with.
    docs: Vec<Doc>,
    filter: Filter,
    where_: Where,
}

/// The list endpoint: the records `principal` may perform `op` on, by one
/// query and (for `when` rules) a re-check of its rows.
fn list(conn: &Connection, principal: &Principal<Group>, op: Op) -> Listed {
    list_by::<Doc>(conn, principal, op)
}

/// [`list`], by the rules of `M`.
fn list_by<M: Rules>(conn: &Connection, principal: &Principal<Group>, op: Op) -> Listed {
    let filter = M::filter_for(principal, op);
    let where_ = where_clause(&filter).expect("every field has a column");
    let from_sql = match &where_ {
        Where::Nothing => Vec::new(),
        Where::Everything => query(conn, &format!("{SELECT} ORDER BY id"), &[]),
        Where::Clause { sql, params } => {
            query(conn, &format!("{SELECT} WHERE {sql} ORDER BY id"), params)
        }
    };
    let docs = if filter.needs_check() {
        from_sql
            .iter()
            .filter(|doc| allows::<M>(doc, principal, op))
            .cloned()
            .collect()
    } else {
        from_sql.clone()
    };
    Listed {
        from_sql,
        docs,
        filter,
        where_,
    }
}

fn query(conn: &Connection, sql: &str, params: &[String]) -> Vec<Doc> {
    let mut stmt = conn.prepare(sql).expect("query statement");
    stmt.query_map(params_from_iter(params), |row| {
        let editors: String = row.get(2)?;
        let teams: String = row.get(4)?;
        Ok(Doc {
            id: row.get(0)?,
            owner: row.get(1)?,
            editors: serde_json::from_str(&editors).expect("editors JSON"),
            team: row.get(3)?,
            teams: serde_json::from_str(&teams).expect("teams JSON"),
            draft: row.get(5)?,
        })
    })
    .expect("query")
    .collect::<Result<_, _>>()
    .expect("rows")
}

fn ids(docs: &[Doc]) -> Vec<i64> {
    docs.iter().map(|doc| doc.id).collect()
}

fn strings<const N: usize>(values: [&str; N]) -> Vec<String> {
    values.iter().map(|&v| v.to_owned()).collect()
}

// ---------------------------------------------------------------------------
// A readable example.
// ---------------------------------------------------------------------------

fn doc(
    id: i64,
    owner: &str,
    editors: &[&str],
    team: Option<&str>,
    teams: &[&str],
    draft: bool,
) -> Doc {
    Doc {
        id,
        owner: owner.to_owned(),
        editors: editors.iter().map(|&e| e.to_owned()).collect(),
        team: team.map(str::to_owned),
        teams: teams.iter().map(|&t| t.to_owned()).collect(),
        draft,
    }
}

fn example_docs() -> Vec<Doc> {
    vec![
        doc(
            1,
            "ann-sub",
            &["bo-sub"],
            Some("content-reviewers"),
            &[],
            false,
        ),
        doc(2, "bo-sub::bo", &[], None, &["ops"], true),
        doc(
            3,
            "",
            &["ann-sub::ann", "cy"],
            Some("EDITORS"),
            &["EDITORS"],
            true,
        ),
        doc(4, "cy", &[], Some("legal"), &["content-reviewers"], false),
        doc(5, "dee", &[], None, &[], true),
    ]
}

#[test]
fn sql_list_endpoint_example() {
    let conn = open(&example_docs());
    let get = |p: &Principal<Group>, op| ids(&list(&conn, p, op).docs);

    // Ann owns 1 (by sub) and edits 3 (by Amplify's `sub::username`); she
    // is in no group.
    let ann = Principal::<Group>::authenticated("ann-sub").with_username("ann");
    let listed = list(&conn, &ann, Op::List);
    assert_eq!(
        listed.filter.to_string(),
        r#"owner in ["ann-sub", "ann-sub::ann"] or editors has any of ["ann-sub", "ann-sub::ann"]"#
    );
    assert_eq!(
        listed.where_,
        Where::Clause {
            sql: "(owner IN (?, ?)) OR (EXISTS (SELECT 1 FROM json_each(editors) WHERE value IN (?, ?)))"
                .to_owned(),
            params: strings(["ann-sub", "ann-sub::ann", "ann-sub", "ann-sub::ann"]),
        }
    );
    assert!(!listed.filter.needs_check());
    assert_eq!(ids(&listed.docs), [1, 3]);
    assert_eq!(get(&ann, Op::Get), [1, 3]);
    assert_eq!(get(&ann, Op::Read), [1, 3]);
    assert_eq!(get(&ann, Op::Update), [1]);

    // Bo owns 2 (as `sub::username`), edits 1 (by sub), and is an EDITOR: doc 3
    // names EDITORS in `team` and `teams`, and editors list drafts (2, 3, 5)
    // by a `when` rule, which the query cannot apply: it returns every row
    // and the re-check drops doc 4 (not a draft, nothing else lets Bo in).
    let bo = Principal::authenticated("bo-sub")
        .with_username("bo")
        .with_groups([Group::EDITORS]);
    let listed = list(&conn, &bo, Op::List);
    assert!(listed.filter.needs_check());
    assert_eq!(ids(&listed.from_sql), [1, 2, 3, 4, 5]);
    assert_eq!(ids(&listed.docs), [1, 2, 3, 5]);
    assert_eq!(get(&bo, Op::Get), [1, 2, 3]);
    assert_eq!(get(&bo, Op::Read), [1, 2, 3]);
    assert_eq!(get(&bo, Op::Update), [2]);

    // Admins: no WHERE clause at all.
    let admin = Principal::authenticated("root").with_groups([Group::ADMINS]);
    for op in [Op::List, Op::Get, Op::Read, Op::Update, Op::Delete] {
        let listed = list(&conn, &admin, op);
        assert_eq!(listed.where_, Where::Everything, "{op:?}");
        assert_eq!(ids(&listed.docs), [1, 2, 3, 4, 5], "{op:?}");
    }

    // Guests: no query at all.
    for op in [Op::List, Op::Get, Op::Read, Op::Update] {
        let listed = list(&conn, &Principal::guest(), op);
        assert_eq!(listed.where_, Where::Nothing, "{op:?}");
        assert!(listed.docs.is_empty());
    }

    // Rita reviews (claim value "content-reviewers") and carries the claim
    // "ops", which names no declared group but still matches a record that
    // stores it: 1 by `team`, 2 and 4 by `teams`. She owns nothing.
    let rita = Principal::authenticated("rita-sub")
        .with_groups([Group::REVIEWERS])
        .with_unknown_groups(["ops".to_owned()]);
    assert_eq!(get(&rita, Op::List), [1, 2, 4]);
    assert_eq!(get(&rita, Op::Get), [2, 4]);
    assert_eq!(get(&rita, Op::Read), [2, 4]);
    assert_eq!(get(&rita, Op::Update), Vec::<i64>::new());

    // A user whose only claims are unknown: "legal" lists doc 4 by its
    // `team`; "REVIEWERS" is the enum variant's name, not its claim value,
    // and matches nothing.
    let lee = Principal::authenticated("lee")
        .with_unknown_groups(["legal".to_owned(), "REVIEWERS".to_owned()]);
    assert_eq!(get(&lee, Op::List), [4]);
    assert_eq!(get(&lee, Op::Get), Vec::<i64>::new());
    assert_eq!(get(&lee, Op::Delete), Vec::<i64>::new());

    // Every answer agrees with `authorize_record` on each document.
    for p in [&ann, &bo, &admin, &Principal::guest(), &rita, &lee] {
        for op in [Op::List, Op::Get, Op::Read, Op::Update, Op::Delete] {
            let expected: Vec<i64> = example_docs()
                .iter()
                .filter(|d| d.authorize_record(p, op).is_allowed())
                .map(|d| d.id)
                .collect();
            assert_eq!(get(p, op), expected, "{p:?} {op:?}");
        }
    }
}

/// Issue 22: a user who picks someone's stored owner value as a user name
/// (Bo's `bo-sub::bo`, Ann's bare `ann-sub`, Cy's `cy`) gets none of their
/// rows from the query; their owners still do.
#[test]
fn sql_list_endpoint_ignores_user_names_chosen_to_match_an_owner() {
    let conn = open(&example_docs());
    let get = |p: &Principal<Group>, op| ids(&list(&conn, p, op).docs);
    for (stored, owned_by) in [("bo-sub::bo", 2), ("ann-sub", 1), ("cy", 4)] {
        let mallory = Principal::<Group>::authenticated("mallory-sub").with_username(stored);
        let listed = list(&conn, &mallory, Op::List);
        assert_eq!(
            listed.where_,
            Where::Clause {
                sql: "(owner IN (?, ?)) OR (EXISTS (SELECT 1 FROM json_each(editors) WHERE value IN (?, ?)))"
                    .to_owned(),
                params: strings([
                    "mallory-sub",
                    &format!("mallory-sub::{stored}"),
                    "mallory-sub",
                    &format!("mallory-sub::{stored}"),
                ]),
            },
            "{stored:?}"
        );
        for op in [Op::List, Op::Get, Op::Read, Op::Update] {
            assert_eq!(get(&mallory, op), Vec::<i64>::new(), "{stored:?} {op:?}");
        }
        let (sub, username) = stored.split_once("::").unwrap_or((stored, "someone"));
        let owner = Principal::<Group>::authenticated(sub).with_username(username);
        assert!(get(&owner, Op::Update).contains(&owned_by), "{stored:?}");
    }
}

/// With `legacy_username` (`LegacyDoc`, the same rows), the query lists the
/// bare user name too: Ann's row 6, stored with her user name, is hers. A
/// user name holding `::` is never listed; a user name equal to a bare
/// stored value is (Cy's `cy`: the opt-in's documented risk).
#[test]
fn sql_list_endpoint_with_legacy_usernames() {
    let mut docs = example_docs();
    docs.push(doc(6, "ann", &["bo"], None, &[], false));
    let conn = open(&docs);
    let get = |p: &Principal<Group>, op| ids(&list_by::<LegacyDoc>(&conn, p, op).docs);

    let ann = Principal::<Group>::authenticated("ann-sub").with_username("ann");
    let listed = list_by::<LegacyDoc>(&conn, &ann, Op::List);
    assert_eq!(
        listed.filter.to_string(),
        r#"owner in ["ann-sub", "ann", "ann-sub::ann"] or editors has any of ["ann-sub", "ann", "ann-sub::ann"]"#
    );
    assert_eq!(ids(&listed.docs), [1, 3, 6]);
    assert_eq!(get(&ann, Op::Update), [1, 6]);
    // `Doc`'s rules, without the opt-in, leave row 6 out.
    assert_eq!(ids(&list(&conn, &ann, Op::List).docs), [1, 3]);

    let mallory = Principal::<Group>::authenticated("mallory-sub").with_username("bo-sub::bo");
    for op in [Op::List, Op::Get, Op::Read, Op::Update] {
        assert_eq!(get(&mallory, op), Vec::<i64>::new(), "{op:?}");
    }
    let mimic = Principal::<Group>::authenticated("m").with_username("cy");
    assert_eq!(get(&mimic, Op::Update), [4]);
}

/// Quotes, `%` and `_` are values like any other: they are bound, not
/// spliced, and `IN` is not `LIKE`.
#[test]
fn sql_values_with_quotes_and_wildcards() {
    let nasty = "x'); DROP TABLE docs; --";
    let docs = vec![
        doc(1, "o'brien", &[], None, &[], false),
        doc(2, "50%", &["a_b"], None, &[], false),
        doc(3, "5000", &["axb"], None, &[], false),
        doc(4, nasty, &[], Some("\"q\" 'r'"), &[], false),
        doc(5, "%", &["_"], Some("%"), &["'"], false),
    ];
    let conn = open(&docs);
    let get = |p: &Principal<Group>, op| ids(&list(&conn, p, op).docs);

    assert_eq!(get(&Principal::authenticated("o'brien"), Op::List), [1]);
    assert_eq!(get(&Principal::authenticated("50%"), Op::List), [2]);
    assert_eq!(get(&Principal::authenticated("a_b"), Op::List), [2]);
    assert_eq!(get(&Principal::authenticated("%"), Op::List), [5]);
    assert_eq!(get(&Principal::authenticated("_"), Op::List), [5]);
    assert_eq!(get(&Principal::authenticated(nasty), Op::Update), [4]);
    let quoted =
        Principal::authenticated("q").with_unknown_groups(["\"q\" 'r'".to_owned(), "'".to_owned()]);
    assert_eq!(get(&quoted, Op::List), [4, 5]);
    assert_eq!(get(&quoted, Op::Get), [5]);
    let wild = Principal::authenticated("w").with_unknown_groups(["%".to_owned(), "_".to_owned()]);
    assert_eq!(get(&wild, Op::List), [5]);
    assert_eq!(get(&wild, Op::Get), Vec::<i64>::new());

    let count: i64 = conn
        .query_row("SELECT count(*) FROM docs", [], |row| row.get(0))
        .expect("the table is still there");
    assert_eq!(count, 5);
}

// ---------------------------------------------------------------------------
// Random records and principals: SQL + re-check == authorize_record.
// ---------------------------------------------------------------------------

/// xorshift64*: a fixed-seed generator, enough for test data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform enough in `0..n` for small `n`.
    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() >> 33).expect("31 bits fit") % n
    }

    /// True with probability `1/n`.
    fn one_in(&mut self, n: usize) -> bool {
        self.below(n) == 0
    }

    fn pick<'a>(&mut self, pool: &[&'a str]) -> &'a str {
        pool[self.below(pool.len())]
    }
}

const SUBS: &[&str] = &[
    "ann-sub", "bo-sub", "cy", "o'brien", "50%", "a_b", "ann", "",
];
/// User names: principals' subs and a stored `sub::username` among them (a
/// user name chosen to match someone's owner value).
const USERNAMES: &[&str] = &["ann", "bo", "cy", "ann-sub", "bo-sub::bo", "a_b", "x'y", ""];
const UNKNOWN_GROUPS: &[&str] = &["ops", "legal", "REVIEWERS", "x'y", "%", "", "ADMINS"];
/// Values records hold besides the principals' own forms.
const VALUES: &[&str] = &[
    "",
    "ann-sub",
    "ann",
    "ann-sub::ann",
    "ann-sub::bo",
    "ann::ann-sub",
    "bo-sub",
    "bo",
    "bo-sub::bo",
    "cy",
    "cy::cy",
    "o'brien",
    "o'brien::x'y",
    "50%",
    "5000",
    "a_b",
    "axb",
    "a_b::a_b",
    "ADMINS",
    "EDITORS",
    "content-reviewers",
    "REVIEWERS",
    "ops",
    "legal",
    "x'y",
    "%",
    "_",
    "\"q\"",
    "::",
    "ann-sub::",
];

/// A value a record may hold: from [`VALUES`], or a principal's identity
/// form built from the pools (`sub`, `username`, `sub::username`).
fn value(rng: &mut Rng) -> String {
    match rng.below(4) {
        0 => rng.pick(SUBS).to_owned(),
        1 => rng.pick(USERNAMES).to_owned(),
        2 => format!("{}::{}", rng.pick(SUBS), rng.pick(USERNAMES)),
        _ => rng.pick(VALUES).to_owned(),
    }
}

fn values(rng: &mut Rng) -> Vec<String> {
    (0..rng.below(4)).map(|_| value(rng)).collect()
}

fn random_doc(rng: &mut Rng, id: i64) -> Doc {
    Doc {
        id,
        owner: value(rng),
        editors: values(rng),
        team: if rng.one_in(4) {
            None
        } else {
            Some(value(rng))
        },
        teams: values(rng),
        draft: rng.one_in(2),
    }
}

fn random_principal(rng: &mut Rng) -> Principal<Group> {
    if rng.one_in(8) {
        return Principal::guest();
    }
    let mut p = Principal::authenticated(rng.pick(SUBS));
    if !rng.one_in(3) {
        p = p.with_username(rng.pick(USERNAMES));
    }
    // Admins are few: their filter keeps everything, which tells little.
    let groups: Vec<Group> = Group::ALL
        .iter()
        .copied()
        .filter(|&g| rng.one_in(if g == Group::ADMINS { 10 } else { 3 }))
        .collect();
    p = p.with_groups(groups);
    let unknown: Vec<String> = (0..rng.below(3))
        .map(|_| rng.pick(UNKNOWN_GROUPS).to_owned())
        .collect();
    p.with_unknown_groups(unknown)
}

const RECORDS: i64 = 300;
const PRINCIPALS: usize = 200;

#[test]
fn sql_list_endpoint_random() {
    random_endpoint::<Doc>();
}

/// The same with the rules that opt in to `legacy_username`: the query
/// lists the bare user name, but never one holding `::`, exactly where
/// `authorize_record` takes it.
#[test]
fn sql_list_endpoint_random_legacy_usernames() {
    random_endpoint::<LegacyDoc>();
}

/// Random records and principals: the list endpoint by the rules of `M`
/// (SQL, then the re-check) returns exactly what `authorize_record` allows.
fn random_endpoint<M: Rules>() {
    let started = Instant::now();
    let mut rng = Rng(0x005E_ED0F_6A0D_C0DE);
    let docs: Vec<Doc> = (1..=RECORDS).map(|id| random_doc(&mut rng, id)).collect();
    let conn = open(&docs);
    let principals: Vec<Principal<Group>> = (0..PRINCIPALS)
        .map(|_| random_principal(&mut rng))
        .collect();

    let ops = [Op::List, Op::Get, Op::Update, Op::Read];
    let (mut queries, mut skipped, mut unfiltered, mut rechecked) = (0, 0, 0, 0);
    let (mut rows_from_sql, mut rows_kept, mut allowed_total) = (0, 0, 0);
    let mut failures = Vec::new();
    for p in &principals {
        for op in ops {
            let listed = list_by::<M>(&conn, p, op);
            for m in listed.filter.terms().iter().flat_map(FilterTerm::matches) {
                assert!(
                    !m.values().is_empty(),
                    "{p:?} {op:?}: empty value list in {}",
                    listed.filter
                );
                assert!(
                    m.values().iter().all(|v| !v.is_empty()),
                    "{p:?} {op:?}: the empty string as a value in {}",
                    listed.filter
                );
            }
            match listed.where_ {
                Where::Nothing => skipped += 1,
                Where::Everything => unfiltered += 1,
                Where::Clause { .. } => queries += 1,
            }
            if listed.filter.needs_check() {
                rechecked += 1;
            }
            rows_from_sql += listed.from_sql.len();
            rows_kept += listed.docs.len();

            let allowed: Vec<&Doc> = docs.iter().filter(|d| allows::<M>(d, p, op)).collect();
            allowed_total += allowed.len();
            let got: Vec<&Doc> = listed.docs.iter().collect();
            let exact_sql =
                listed.filter.needs_check() || listed.from_sql.iter().eq(allowed.iter().copied());
            if got != allowed || !exact_sql {
                // Name every record on which they disagree.
                for d in &docs {
                    let decision = M::of(d).authorize_record(p, op);
                    let in_sql = listed.from_sql.iter().any(|r| r.id == d.id);
                    let kept = listed.docs.iter().any(|r| r.id == d.id);
                    if kept != decision.is_allowed()
                        || (!listed.filter.needs_check() && in_sql != kept)
                    {
                        failures.push(format!(
                            "principal {p:?}\n  record {d:?}\n  op {op:?}\n  filter {}\n  where {:?}\n  \
                             in SQL rows: {in_sql}, kept: {kept}\n  decision: {decision}",
                            listed.filter, listed.where_
                        ));
                    }
                }
            }
        }
    }
    let elapsed = started.elapsed();
    println!(
        "sql random ({}): {RECORDS} records, {PRINCIPALS} principals, {} (principal, op) cases: \
         {queries} with WHERE, {unfiltered} without, {skipped} skipped, {rechecked} re-checked; \
         {rows_from_sql} rows from SQL, {rows_kept} kept, {allowed_total} allowed; {elapsed:?}",
        M::NAME,
        principals.len() * ops.len(),
    );
    assert!(
        failures.is_empty(),
        "{} disagreements between the SQL list and authorize_record; the first:\n{}",
        failures.len(),
        failures
            .iter()
            .take(5)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
    // The data exercise every path.
    assert!(queries > 0 && unfiltered > 0 && skipped > 0 && rechecked > 0);
    assert!(
        rows_from_sql > rows_kept,
        "some rows were dropped by the re-check"
    );
    assert!(allowed_total > 0 && allowed_total < docs.len() * principals.len() * ops.len());
}

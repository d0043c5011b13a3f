//! A declaration with awkward names, for the exports: group names and paths
//! holding `'`, `\`, `"`, `$`, `{`, a backtick, `*` and `?` (group names
//! only) and non-ASCII letters, a precedence that is not the group's
//! position, a declared role, and a literal path beside an `{entity_id}`
//! path. Shared (`#[path]`) with the Amplify oracle (`amplify-oracle/`),
//! which deploys its TypeScript with Amplify's own code, and type-checked
//! by `scripts/amplify-typecheck` through its checked-in fixture.

#[groupguard::groups]
pub enum Group {
    #[group(name = "it's")]
    Quote,
    #[group(name = r"back\slash")]
    Backslash,
    #[group(name = "café-ñandú")]
    Accented,
    #[group(name = "编辑")]
    Cjk,
    #[group(name = "${x}`\"{y}")]
    Template,
    #[group(name = "a*b?")]
    Wild,
    #[group(
        name = "🔒-locked",
        precedence = 7,
        role = "arn:aws:iam::123456789012:role/Locked"
    )]
    Locked,
}

groupguard::storage! {
    /// Every grant kind, under awkward paths.
    pub Awkward {
        "it's/*" => groups(Quote, Backslash): [read, write],
        "it's/café/*" => groups(Accented): [read],
        "notes/{entity_id}/*" => entity(identity): [read, write, delete],
        "notes/{entity_id}/*" => groups(Template, Cjk): [get],
        "notes/$shared/*" => authenticated: [read],
        "🔒/*" => groups(Locked, Wild): [list, delete],
        "quote\"d/*" => guest: [get],
    }
}

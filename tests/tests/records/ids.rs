//! Owner and group fields whose ids are not strings (a newtype over a
//! number, a UUID kept as 16 bytes): compared with the claims' text without
//! a `String`, deciding exactly as a `String` field holding the id's text
//! would, and kept by a list filter exactly when allowed.

use std::fmt;

use groupguard::{ClaimText, Filter, Op, Principal, RecordId, model};

use super::Group;

/// An account number: not a string, shown in decimal.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct AccountId(pub u64);

impl RecordId for AccountId {
    fn matches_claim(&self, claim: ClaimText<'_>) -> bool {
        claim.is_display_of(&self.0)
    }
}

/// A UUID as 16 bytes, shown hyphenated in lowercase (Cognito's `sub`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Uuid(pub [u8; 16]);

impl fmt::Display for Uuid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, byte) in self.0.iter().enumerate() {
            if matches!(i, 4 | 6 | 8 | 10) {
                f.write_str("-")?;
            }
            write!(f, "{byte:02x}")?;
        }
        Ok(())
    }
}

impl RecordId for Uuid {
    fn matches_claim(&self, claim: ClaimText<'_>) -> bool {
        claim.is_display_of(self)
    }
}

/// A team named by a small code, shown as `team-<n>`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Team(pub u8);

impl RecordId for Team {
    fn matches_claim(&self, claim: ClaimText<'_>) -> bool {
        claim.is_display_of(&format_args!("team-{}", self.0))
    }
}

#[model(
    allow(owner, to = [read, update]),
    allow(owner = account, legacy_username, to = [read]),
    allow(owners = editors, to = [update]),
    allow(group_defined_in = team, to = [delete]),
    allow(groups_defined_in = teams, to = [list]),
)]
#[derive(Clone, Debug)]
pub struct Ledger {
    pub owner: Uuid,
    pub account: Option<AccountId>,
    pub editors: Vec<Uuid>,
    pub team: Team,
    pub teams: Vec<Team>,
}

/// The same rules over the ids' text.
#[model(
    allow(owner, to = [read, update]),
    allow(owner = account, legacy_username, to = [read]),
    allow(owners = editors, to = [update]),
    allow(group_defined_in = team, to = [delete]),
    allow(groups_defined_in = teams, to = [list]),
)]
#[derive(Clone, Debug)]
pub struct TextLedger {
    pub owner: String,
    pub account: Option<String>,
    pub editors: Vec<String>,
    pub team: String,
    pub teams: Vec<String>,
}

impl Ledger {
    fn as_text(&self) -> TextLedger {
        TextLedger {
            owner: self.owner.to_string(),
            account: self.account.map(|a| a.0.to_string()),
            editors: self.editors.iter().map(ToString::to_string).collect(),
            team: format!("team-{}", self.team.0),
            teams: self.teams.iter().map(|t| format!("team-{}", t.0)).collect(),
        }
    }
}

const ANN: Uuid = Uuid([0xa1; 16]);
const BO: Uuid = Uuid([0x0b; 16]);

fn ledgers() -> Vec<Ledger> {
    let mut all = Vec::new();
    for owner in [ANN, BO] {
        for account in [None, Some(AccountId(7)), Some(AccountId(70))] {
            for editors in [vec![], vec![BO], vec![ANN, BO]] {
                for team in [Team(1), Team(12)] {
                    for teams in [vec![], vec![Team(2)], vec![Team(1), Team(12)]] {
                        all.push(Ledger {
                            owner,
                            account,
                            editors: editors.clone(),
                            team,
                            teams,
                        });
                    }
                }
            }
        }
    }
    all
}

fn principals() -> Vec<Principal<Group>> {
    let ann = ANN.to_string();
    let bo = BO.to_string();
    vec![
        Principal::guest(),
        Principal::authenticated(&ann),
        Principal::authenticated(&bo).with_username("bo"),
        // The user name `7`: only the `legacy_username` rule reads it.
        Principal::authenticated("someone").with_username("7"),
        Principal::authenticated("7"),
        // A prefix or an extension of an id is no match.
        Principal::authenticated(&ann[..35]),
        Principal::authenticated(format!("{ann}0")),
        Principal::authenticated(ann.to_uppercase()),
        Principal::authenticated("x").with_unknown_groups(["team-1".to_owned()]),
        Principal::authenticated("y")
            .with_unknown_groups(["team-12".to_owned(), "team-".to_owned()]),
        Principal::authenticated("z").with_unknown_groups(["team-2".to_owned()]),
    ]
}

/// Whether `filter` keeps `record`, reading its fields as text.
fn kept(filter: &Filter, record: &TextLedger) -> bool {
    filter.terms().iter().any(|term| {
        term.matches().iter().all(|m| {
            let values: Vec<&str> = match m.field() {
                "owner" => vec![record.owner.as_str()],
                "account" => record.account.iter().map(String::as_str).collect(),
                "editors" => record.editors.iter().map(String::as_str).collect(),
                "team" => vec![record.team.as_str()],
                "teams" => record.teams.iter().map(String::as_str).collect(),
                other => panic!("no field {other}"),
            };
            values.iter().any(|v| m.values().iter().any(|w| w == v))
        })
    })
}

#[test]
fn ids_that_are_not_strings_decide_as_their_text_would() {
    let mut allowed = 0;
    for principal in principals() {
        for ledger in ledgers() {
            let text = ledger.as_text();
            for op in Op::ALL {
                let by_id = ledger.authorize_record(&principal, op);
                let by_text = text.authorize_record(&principal, op);
                assert_eq!(
                    by_id.outcome(),
                    by_text.outcome(),
                    "{op:?} by {principal:?} on {ledger:?}"
                );
                allowed += usize::from(by_id.is_allowed());
                // A list query keeps exactly the records a decision allows.
                if op != Op::Read {
                    let filter = Ledger::filter_for(&principal, op);
                    assert_eq!(
                        kept(&filter, &text),
                        by_id.is_allowed(),
                        "{op:?} by {principal:?} on {ledger:?}: {filter}"
                    );
                }
            }
        }
    }
    // The grid reaches allowed and denied decisions of every rule.
    assert!(allowed > 500, "only {allowed} allowed");
}

#[test]
fn a_uuid_owner_matches_its_sub_and_amplify_stored_form_exactly() {
    let ledger = Ledger {
        owner: ANN,
        account: None,
        editors: vec![],
        team: Team(1),
        teams: vec![],
    };
    let ann = ANN.to_string();
    assert_eq!(ann, "a1a1a1a1-a1a1-a1a1-a1a1-a1a1a1a1a1a1");
    let p = |sub: &str| Principal::<Group>::authenticated(sub);
    assert!(ledger.authorize_record(&p(&ann), Op::Update).is_allowed());
    // Not by another spelling of the same UUID, nor by a prefix.
    assert!(
        ledger
            .authorize_record(&p(&ann.to_uppercase()), Op::Update)
            .is_denied()
    );
    assert!(
        ledger
            .authorize_record(&p(&ann[..8]), Op::Update)
            .is_denied()
    );
    assert!(
        ledger
            .authorize_record(&Principal::guest(), Op::Update)
            .is_denied()
    );
}

#[test]
fn claims_in_pieces_compare_as_their_joined_text() {
    // `sub::username` is compared in its three pieces, never joined: `1::2`
    // is not `12`.
    #[model(allow(owner))]
    pub struct Memo {
        pub owner: Option<AccountId>,
    }
    let memo = Memo {
        owner: Some(AccountId(12)),
    };
    let p =
        |sub: &str, username: &str| Principal::<Group>::authenticated(sub).with_username(username);
    assert!(memo.authorize_record(&p("1", "2"), Op::Get).is_denied());
    assert!(memo.authorize_record(&p("12", "x"), Op::Get).is_allowed()); // by its `sub`
    assert!(
        Memo { owner: None }
            .authorize_record(&p("12", "x"), Op::Get)
            .is_denied()
    );
}

//! Lists of operations (`to = [read, update]` in a model) and actions
//! (`[read, write]` in a storage entry): one parser and one set of checks
//! for both, over the [`Operation`] each macro defines.

use proc_macro2::{Ident, Span};
use quote::format_ident;
use syn::Expr;

use super::ctxt::Ctxt;
use super::names;

/// What a macro's operations are: their names, and which one is the
/// composite `read`.
pub trait Operation: Copy + Eq + 'static {
    /// What the DSL calls one, for messages: "operation" or "action".
    const KIND: &'static str;
    /// What holds a list of them, for messages: "rule" or "entry".
    const LIST: &'static str;
    /// Every name, in the order messages list them.
    const ALL: &'static [(&'static str, Self)];
    /// The composite `read`.
    const READ: Self;

    /// Whether `read` already includes this one.
    fn is_read_part(self) -> bool;

    /// A hint for a name that is no typo of a valid one, but a word from
    /// another vocabulary (`update` in a storage entry).
    fn hint(_name: &str) -> Option<&'static str> {
        None
    }

    /// Words from other vocabularies (`edit`, `remove`, `view`) and the
    /// names they mean here, suggested as "did you mean": a synonym is no
    /// typo, so the closest spelling would not find it.
    const SYNONYMS: &'static [(&'static str, &'static [Self])] = &[];

    /// What `name` means here, when it is a known synonym.
    fn synonym(name: &str) -> Option<&'static [Self]> {
        let lower = name.to_lowercase();
        Self::SYNONYMS
            .iter()
            .find(|(word, _)| *word == lower)
            .map(|(_, ops)| *ops)
    }

    fn from_name(name: &str) -> Option<Self> {
        Self::ALL
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, op)| *op)
    }

    fn name(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(_, op)| *op == self)
            .map_or("", |(n, _)| n)
    }

    /// The runtime variant (`Op::Read`, `Access::Write`...): the name, capitalised.
    fn variant(self) -> Ident {
        let name = self.name();
        let mut chars = name.chars();
        let first = chars
            .next()
            .map(|c| c.to_ascii_uppercase())
            .unwrap_or_default();
        format_ident!("{}{}", first, chars.as_str())
    }

    /// Every name, for messages.
    fn names() -> Vec<&'static str> {
        Self::ALL.iter().map(|(n, _)| *n).collect()
    }
}

/// An operation as written, with its span.
#[derive(Clone, Copy)]
pub struct OpRef<O> {
    pub op: O,
    pub span: Span,
}

/// The operations of a list; unknown names are reported and left out.
pub fn parse_list<'a, O: Operation>(
    cx: &mut Ctxt,
    items: impl IntoIterator<Item = &'a Expr>,
) -> Vec<OpRef<O>> {
    let valid = O::names();
    let expected = names::list(&valid, valid.len());
    let mut ops = Vec::new();
    for item in items {
        let Some((name, span)) = names::name_of(item) else {
            cx.error_spanned_by(
                item,
                format!(
                    "expected {} {} name: one of {expected}",
                    article(O::KIND),
                    O::KIND
                ),
            );
            continue;
        };
        match O::from_name(&name) {
            Some(op) => ops.push(OpRef { op, span }),
            None => {
                let hint = match (O::hint(&name), O::synonym(&name)) {
                    (Some(hint), _) => format!(" ({hint})"),
                    (None, Some(meant)) => {
                        let meant: Vec<String> =
                            meant.iter().map(|op| format!("`{}`", op.name())).collect();
                        format!(" (did you mean {}?)", meant.join(" or "))
                    }
                    (None, None) => names::closest(&name, valid.iter().copied())
                        .map(|close| format!(" (did you mean `{close}`?)"))
                        .unwrap_or_default(),
                };
                cx.error_at(
                    span,
                    format!(
                        "unknown {} `{name}`; expected one of {expected}{hint}",
                        O::KIND
                    ),
                );
            }
        }
    }
    ops
}

fn article(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

/// The checks of one parsed list.
pub fn check_list<O: Operation>(cx: &mut Ctxt, ops: &[OpRef<O>]) {
    no_repeated_op(cx, ops);
    read_excludes_parts(cx, ops);
}

/// An operation listed twice in one list is a slip.
fn no_repeated_op<O: Operation>(cx: &mut Ctxt, ops: &[OpRef<O>]) {
    for (i, op) in ops.iter().enumerate() {
        if ops[..i].iter().any(|o| o.op == op.op) {
            cx.error_at(
                op.span,
                format!(
                    "{} `{}` listed twice in one {}",
                    O::KIND,
                    op.op.name(),
                    O::LIST
                ),
            );
        }
    }
}

/// `read` already covers its parts (Amplify rejects the mix).
fn read_excludes_parts<O: Operation>(cx: &mut Ctxt, ops: &[OpRef<O>]) {
    if !ops.iter().any(|o| o.op == O::READ) {
        return;
    }
    for op in ops.iter().filter(|o| o.op.is_read_part()) {
        let name = op.op.name();
        cx.error_at(
            op.span,
            format!("`read` already includes `{name}`; remove `{name}` or replace `read` by the parts you mean"),
        );
    }
}

/// The list in canonical source form, for declaration texts: `read, write`.
pub fn declaration<O: Operation>(ops: &[OpRef<O>]) -> String {
    let names: Vec<&str> = ops.iter().map(|o| o.op.name()).collect();
    names.join(", ")
}

/// The messages of a list written as `src` (comma-separated), for tests.
#[cfg(test)]
pub fn messages_of<O: Operation>(src: &str) -> Vec<String> {
    let items: Vec<Expr> = src.split(',').map(|s| syn::parse_str(s).unwrap()).collect();
    let mut cx = Ctxt::new();
    let ops = parse_list::<O>(&mut cx, &items);
    check_list(&mut cx, &ops);
    match cx.check() {
        Ok(()) => Vec::new(),
        Err(errors) => errors.into_iter().map(|e| e.to_string()).collect(),
    }
}

/// Every synonym of `O` is unknown as a name (else it would never be
/// suggested), and its message suggests exactly what it means, each a
/// valid name that, applied, leaves no error.
#[cfg(test)]
pub fn assert_synonyms_are_sound<O: Operation>() {
    for (word, meant) in O::SYNONYMS {
        assert!(O::from_name(word).is_none(), "`{word}` is a valid name");
        let found = messages_of::<O>(word);
        assert_eq!(found.len(), 1, "{found:?}");
        let names: Vec<&str> = found[0]
            .split_once("did you mean ")
            .map(|(_, rest)| rest.split('?').next().unwrap_or_default())
            .unwrap_or_default()
            .split('`')
            .skip(1)
            .step_by(2)
            .collect();
        let expected: Vec<&str> = meant.iter().map(|op| op.name()).collect();
        assert_eq!(names, expected, "`{word}`: {found:?}");
        for name in names {
            assert_eq!(messages_of::<O>(name), Vec::<String>::new(), "{name}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Clone, Copy, PartialEq, Eq, Debug)]
    enum Act {
        Read,
        Get,
        List,
        Write,
    }

    impl Operation for Act {
        const KIND: &'static str = "action";
        const LIST: &'static str = "entry";
        const ALL: &'static [(&'static str, Act)] = &[
            ("read", Act::Read),
            ("get", Act::Get),
            ("list", Act::List),
            ("write", Act::Write),
        ];
        const READ: Act = Act::Read;
        const SYNONYMS: &'static [(&'static str, &'static [Act])] =
            &[("edit", &[Act::Write]), ("view", &[Act::Read, Act::Get])];
        fn is_read_part(self) -> bool {
            matches!(self, Act::Get | Act::List)
        }
    }

    fn messages(src: &str) -> Vec<String> {
        messages_of::<Act>(src)
    }

    /// Every one-edit slip of every name (a letter dropped, doubled,
    /// changed, or two swapped) suggests only valid names.
    #[test]
    fn every_suggested_operation_is_valid() {
        let mut suggestions = 0;
        for name in Act::names() {
            let chars: Vec<char> = name.chars().collect();
            let mut slips = Vec::new();
            for i in 0..chars.len() {
                let mut dropped = chars.clone();
                dropped.remove(i);
                slips.push(dropped);
                let mut doubled = chars.clone();
                doubled.insert(i, chars[i]);
                slips.push(doubled);
                let mut changed = chars.clone();
                changed[i] = 'z';
                slips.push(changed);
                if i + 1 < chars.len() {
                    let mut swapped = chars.clone();
                    swapped.swap(i, i + 1);
                    slips.push(swapped);
                }
            }
            for slip in slips {
                let slip: String = slip.into_iter().collect();
                if slip.is_empty() || Act::from_name(&slip).is_some() {
                    continue;
                }
                for message in messages(&slip) {
                    if let Some((_, rest)) = message.split_once("did you mean `") {
                        let suggested = rest.split('`').next().unwrap();
                        assert!(Act::from_name(suggested).is_some(), "`{slip}`: {message}");
                        // Applying it leaves no error.
                        assert_eq!(messages(suggested), Vec::<String>::new());
                        suggestions += 1;
                    }
                }
            }
        }
        assert!(suggestions > 10, "only {suggestions} suggestions checked");
    }

    #[test]
    fn synonyms_suggest_what_they_mean() {
        assert_eq!(
            messages("edit"),
            [
                "unknown action `edit`; expected one of `read`, `get`, `list`, `write` (did you mean `write`?)"
            ]
        );
        assert_eq!(
            messages("View"),
            [
                "unknown action `View`; expected one of `read`, `get`, `list`, `write` (did you mean `read` or `get`?)"
            ]
        );
        assert_synonyms_are_sound::<Act>();
    }

    #[test]
    fn list_checks() {
        assert_eq!(messages("read, write"), Vec::<String>::new());
        assert_eq!(
            messages("write, write"),
            ["action `write` listed twice in one entry"]
        );
        assert_eq!(
            messages("read, get"),
            ["`read` already includes `get`; remove `get` or replace `read` by the parts you mean"]
        );
        assert_eq!(
            messages("r#write, \"write\""),
            ["action `write` listed twice in one entry"]
        );
        assert_eq!(
            messages("1"),
            ["expected an action name: one of `read`, `get`, `list`, `write`"]
        );
    }
}

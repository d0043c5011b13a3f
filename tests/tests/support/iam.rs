//! A small IAM evaluator, for tests: what a role's identity policy allows
//! an S3 request. Enough for the statements Amplify's storage policies hold
//! (and `groupguard::amplify::iam_policies` writes), and strict about the
//! rest: a document using anything else is refused rather than misread.
//!
//! - `Effect`, `Action` and `Resource` (a string or an array of strings),
//!   and `Condition` with `StringLike` or `StringEquals` on `s3:prefix`;
//!   `Version` must be `2012-10-17`, the version in which policy variables
//!   are read;
//! - `*` matches any run of characters (`/` included) and `?` any one
//!   character, in actions (case-insensitively), resources and `StringLike`;
//! - `${cognito-identity.amazonaws.com:sub}` is the caller's identity id;
//!   a statement naming it does not match a caller without one;
//! - an explicit deny wins over any allow; nothing is allowed by default.
//!
//! Shared (`#[path]`) by the differential test, the amplify test and the
//! Amplify oracle (`amplify-oracle/`), so that all three read IAM alike.

#![allow(dead_code, reason = "each including crate uses a part")]

use serde_json::Value;

/// The policy variable Amplify writes for the owner's `{entity_id}`.
pub const IDENTITY_VARIABLE: &str = "${cognito-identity.amazonaws.com:sub}";

/// One policy document.
#[derive(Clone, Debug, Default)]
pub struct Policy {
    statements: Vec<Statement>,
}

#[derive(Clone, Debug)]
struct Statement {
    allow: bool,
    actions: Vec<String>,
    resources: Vec<String>,
    /// `(operator, values)` on `s3:prefix`: every condition must hold.
    prefix_conditions: Vec<(Operator, Vec<String>)>,
}

#[derive(Clone, Copy, Debug)]
enum Operator {
    StringLike,
    StringEquals,
}

/// An S3 request as IAM sees it.
#[derive(Clone, Debug)]
pub struct Request<'a> {
    /// `s3:GetObject`, `s3:ListBucket`...
    pub action: &'a str,
    /// The object's ARN, or the bucket's for `s3:ListBucket`.
    pub resource: String,
    /// The `s3:prefix` request key (`ListBucket` only).
    pub prefix: Option<&'a str>,
    /// The caller's identity id (`${cognito-identity.amazonaws.com:sub}`).
    pub identity: Option<&'a str>,
}

/// The request for a storage action (`get`, `list`, `write`, `delete`) on
/// `key` (for `list`, the listing prefix) in `bucket`.
pub fn s3_request<'a>(
    bucket: &str,
    action: &str,
    key: &'a str,
    identity: Option<&'a str>,
) -> Request<'a> {
    let (action, on_object) = match action {
        "get" => ("s3:GetObject", true),
        "list" => ("s3:ListBucket", false),
        "write" => ("s3:PutObject", true),
        "delete" => ("s3:DeleteObject", true),
        other => panic!("no S3 action for the storage action {other:?}"),
    };
    Request {
        action,
        resource: if on_object {
            format!("arn:aws:s3:::{bucket}/{key}")
        } else {
            format!("arn:aws:s3:::{bucket}")
        },
        prefix: (!on_object).then_some(key),
        identity,
    }
}

fn strings(value: &Value, what: &str) -> Result<Vec<String>, String> {
    match value {
        Value::String(s) => Ok(vec![s.clone()]),
        Value::Array(items) => items
            .iter()
            .map(|item| {
                item.as_str()
                    .map(str::to_owned)
                    .ok_or_else(|| format!("{what} holds a non-string: {item}"))
            })
            .collect(),
        other => Err(format!("{what} is neither a string nor an array: {other}")),
    }
}

impl Policy {
    /// Reads a policy document (`{"Version": ..., "Statement": [...]}`).
    pub fn from_json(document: &Value) -> Result<Self, String> {
        let object = document.as_object().ok_or("a policy is an object")?;
        for key in object.keys() {
            if key != "Version" && key != "Statement" {
                return Err(format!("unknown policy element {key}"));
            }
        }
        if object.get("Version").and_then(Value::as_str) != Some("2012-10-17") {
            return Err("Version must be 2012-10-17 (policy variables)".into());
        }
        let statements = match object.get("Statement") {
            Some(Value::Array(items)) => items.iter().collect(),
            Some(item @ Value::Object(_)) => vec![item],
            _ => return Err("Statement is missing".into()),
        };
        let statements = statements
            .into_iter()
            .map(Statement::from_json)
            .collect::<Result<_, _>>()?;
        Ok(Policy { statements })
    }

    /// Whether the policy allows `request`: some allow statement matches
    /// and no deny statement does.
    pub fn allows(&self, request: &Request<'_>) -> bool {
        let matching = |allow: bool| {
            self.statements
                .iter()
                .filter(|s| s.allow == allow)
                .any(|s| s.matches(request))
        };
        matching(true) && !matching(false)
    }

    /// How many statements it has.
    pub fn len(&self) -> usize {
        self.statements.len()
    }

    /// The policy without its deny statements (to show that a harness
    /// notices a missing deny).
    pub fn without_denies(&self) -> Policy {
        Policy {
            statements: self
                .statements
                .iter()
                .filter(|s| s.allow)
                .cloned()
                .collect(),
        }
    }
}

impl Statement {
    fn from_json(value: &Value) -> Result<Self, String> {
        let object = value.as_object().ok_or("a statement is an object")?;
        for key in object.keys() {
            if !matches!(
                key.as_str(),
                "Effect" | "Action" | "Resource" | "Condition" | "Sid"
            ) {
                return Err(format!("unsupported statement element {key}"));
            }
        }
        let allow = match object.get("Effect").and_then(Value::as_str) {
            Some("Allow") => true,
            Some("Deny") => false,
            _ => return Err(format!("Effect is Allow or Deny: {value}")),
        };
        let actions = strings(object.get("Action").ok_or("no Action")?, "Action")?;
        let resources = strings(object.get("Resource").ok_or("no Resource")?, "Resource")?;
        for pattern in &resources {
            check_variables(pattern)?;
        }
        let mut prefix_conditions = Vec::new();
        if let Some(condition) = object.get("Condition") {
            let condition = condition.as_object().ok_or("Condition is an object")?;
            for (operator, keys) in condition {
                let operator = match operator.as_str() {
                    "StringLike" => Operator::StringLike,
                    "StringEquals" => Operator::StringEquals,
                    other => return Err(format!("unsupported condition operator {other}")),
                };
                for (key, values) in keys.as_object().ok_or("a condition maps keys")? {
                    if key != "s3:prefix" {
                        return Err(format!("unsupported condition key {key}"));
                    }
                    let values = strings(values, "s3:prefix")?;
                    for pattern in &values {
                        check_variables(pattern)?;
                    }
                    prefix_conditions.push((operator, values));
                }
            }
        }
        Ok(Statement {
            allow,
            actions,
            resources,
            prefix_conditions,
        })
    }

    fn matches(&self, request: &Request<'_>) -> bool {
        let action = request.action.to_ascii_lowercase();
        self.actions
            .iter()
            .any(|a| like(&a.to_ascii_lowercase(), &action))
            && self.resources.iter().any(|pattern| {
                substitute(pattern, request.identity).is_some_and(|p| like(&p, &request.resource))
            })
            && self.prefix_conditions.iter().all(|(operator, values)| {
                // A condition on a key the request lacks does not hold.
                let Some(prefix) = request.prefix else {
                    return false;
                };
                values.iter().any(|pattern| {
                    substitute(pattern, request.identity).is_some_and(|p| match operator {
                        Operator::StringLike => like(&p, prefix),
                        Operator::StringEquals => p == prefix,
                    })
                })
            })
    }
}

/// Refuses every `${...}` but the identity variable.
fn check_variables(pattern: &str) -> Result<(), String> {
    if pattern.replace(IDENTITY_VARIABLE, "").contains("${") {
        return Err(format!("unsupported policy variable in {pattern}"));
    }
    Ok(())
}

/// `pattern` with the identity variable replaced; `None` when it names the
/// variable and the caller has no identity id (IAM cannot resolve it, and
/// the element does not match).
fn substitute(pattern: &str, identity: Option<&str>) -> Option<String> {
    if pattern.contains(IDENTITY_VARIABLE) {
        identity.map(|id| pattern.replace(IDENTITY_VARIABLE, id))
    } else {
        Some(pattern.to_owned())
    }
}

/// IAM's wildcard match: `*` any run of characters, `?` any one character,
/// everything else literally; the whole text must match.
pub fn like(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    // Iterative matching with one backtrack point (the last `*`).
    let (mut i, mut j) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while j < t.len() {
        if i < p.len() && (p[i] == '?' || p[i] == t[j]) {
            i += 1;
            j += 1;
        } else if i < p.len() && p[i] == '*' {
            star = Some((i, j));
            i += 1;
        } else if let Some((si, sj)) = star {
            i = si + 1;
            j = sj + 1;
            star = Some((si, sj + 1));
        } else {
            return false;
        }
    }
    while i < p.len() && p[i] == '*' {
        i += 1;
    }
    i == p.len()
}

//! A tour of groupguard: the groups and models of Amplify's "User groups"
//! page, and a table of which principal may do what.
//!
//! Run with `cargo run --example tour`; `cargo run --example tour -- --html
//! access.html` also writes the access report of the policy as one HTML
//! page (and `--markdown access.md` as Markdown); `--cedar DIR` writes the
//! policy as Cedar (`DIR/policies.cedar`, `DIR/schema.cedarschema`).
//!
//! Deploying the same rules: `--iam BUCKET` prints the IAM policies per
//! role that Amplify deploys for the storage in that bucket, as JSON (and
//! nothing else, for `> policies.json`); `--amplify-ts DIR` writes the
//! Amplify Gen 2 definitions `DIR/amplify/auth/resource.ts` and
//! `DIR/amplify/storage/resource.ts`.

use groupguard::amplify::{self, AUTH_RESOURCE, STORAGE_RESOURCE};
use groupguard::cedar::CedarExport;
use groupguard::report::AccessReport;
use groupguard::{Access, Model, Op, Principal};

#[path = "tour_policy.rs"]
mod policy;
use policy::{Article, Articles, Group, Post};

fn main() {
    let report = AccessReport::new()
        .model::<Article>()
        .model::<Post>()
        .storage::<Articles>();
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.as_slice() {
        [] => {}
        [flag, file] if flag == "--html" || flag == "--markdown" => {
            let text = if flag == "--html" {
                report.to_html()
            } else {
                report.to_markdown()
            };
            if let Err(error) = std::fs::write(file, text) {
                eprintln!("cannot write {file}: {error}");
                std::process::exit(1);
            }
            println!("wrote the access report to {file}\n");
        }
        [flag, dir] if flag == "--cedar" => {
            let cedar = CedarExport::<Group>::new("Tour")
                .and_then(|export| {
                    export
                        .model::<Article>()
                        .model::<Post>()
                        .storage::<Articles>()
                        .build()
                })
                .unwrap_or_else(|error| {
                    eprintln!("the tour's policy does not export to Cedar: {error}");
                    std::process::exit(1);
                });
            let dir = std::path::Path::new(dir);
            let written = std::fs::create_dir_all(dir)
                .and_then(|()| std::fs::write(dir.join("policies.cedar"), cedar.policies()))
                .and_then(|()| std::fs::write(dir.join("schema.cedarschema"), cedar.schema()));
            if let Err(error) = written {
                eprintln!("cannot write to {}: {error}", dir.display());
                std::process::exit(1);
            }
            println!(
                "wrote {} Cedar policies and their schema to {}\n",
                cedar.policy_count(),
                dir.display()
            );
        }
        [flag, bucket] if flag == "--iam" => {
            match amplify::iam_policies::<Articles>(bucket) {
                Ok(policies) => println!("{policies}"),
                Err(error) => {
                    eprintln!("cannot export the IAM policies: {error}");
                    std::process::exit(1);
                }
            }
            return;
        }
        [flag, dir] if flag == "--amplify-ts" => {
            let storage = amplify::define_storage::<Articles>("articles").unwrap_or_else(|error| {
                eprintln!("the tour's storage does not export: {error}");
                std::process::exit(1);
            });
            let dir = std::path::Path::new(dir);
            for (file, text) in [
                (AUTH_RESOURCE, amplify::define_auth::<Group>()),
                (STORAGE_RESOURCE, storage),
            ] {
                let path = dir.join(file);
                let written = path
                    .parent()
                    .map_or(Ok(()), std::fs::create_dir_all)
                    .and_then(|()| std::fs::write(&path, text));
                if let Err(error) = written {
                    eprintln!("cannot write {}: {error}", path.display());
                    std::process::exit(1);
                }
            }
            println!(
                "wrote {AUTH_RESOURCE} and {STORAGE_RESOURCE} to {}\n",
                dir.display()
            );
        }
        _ => {
            eprintln!(
                "usage: tour [--html FILE | --markdown FILE | --cedar DIR | --iam BUCKET | --amplify-ts DIR]"
            );
            std::process::exit(2);
        }
    }
    let principals: Vec<(&str, Principal<Group>)> = vec![
        ("guest", Principal::guest()),
        ("alice (no groups)", Principal::authenticated("alice")),
        (
            "bob (EDITORS)",
            Principal::authenticated("bob").with_groups([Group::EDITORS]),
        ),
        (
            "carol (ADMINS)",
            Principal::authenticated("carol").with_groups([Group::ADMINS]),
        ),
        (
            "dave (ADMINS, EDITORS)",
            Principal::authenticated("dave").with_groups([Group::ADMINS, Group::EDITORS]),
        ),
        (
            "eve (claims \"EDITOR\")",
            Principal::authenticated("eve").with_unknown_groups(["EDITOR".to_owned()]),
        ),
    ];

    println!("Groups:");
    for group in Group::ALL {
        println!(
            "  {:<8} precedence {}  role {}",
            group.name(),
            group.precedence(),
            group.role().unwrap_or("-")
        );
    }
    println!();
    print_table::<Article>(&principals);
    print_table::<Post>(&principals);
    print_storage(&principals);

    let bob = &principals[2].1;
    println!("Why? {}", Article::authorize(bob, Op::Update));
    println!("Why not? {}", Article::authorize(bob, Op::Delete));
    println!("Why not? {}", Post::authorize(&principals[0].1, Op::Read));
    println!(
        "Why not? {}",
        Articles::authorize(bob, "drafts/archive/2023.md", Access::Get)
    );
    println!(
        "Why not? {}",
        Articles::authorize(bob, "drafts/../profiles/eve/x", Access::Get)
    );
}

/// Which principal may do what on a few keys of the `Articles` storage.
fn print_storage(principals: &[(&str, Principal<Group>)]) {
    let keys = [
        "drafts/post-1.md",
        "drafts/archive/2023.md",
        "public/logo.png",
        "profiles/bob/me.png",
    ];
    println!("Articles (storage): G = get, L = list, W = write, D = delete");
    print!("  {:<24}", "");
    for key in keys {
        print!("{key:>24}");
    }
    println!();
    for (label, principal) in principals {
        print!("  {label:<24}");
        for key in keys {
            let cell: String = [
                (Access::Get, 'G'),
                (Access::List, 'L'),
                (Access::Write, 'W'),
                (Access::Delete, 'D'),
            ]
            .into_iter()
            .map(|(access, mark)| {
                if Articles::authorize(principal, key, access).is_allowed() {
                    mark
                } else {
                    '-'
                }
            })
            .collect();
            print!("{cell:>24}");
        }
        println!();
    }
    println!();
}

/// One table per model: a row per principal, a column per operation.
fn print_table<M: Model<Group = Group>>(principals: &[(&str, Principal<Group>)]) {
    println!("{}:", M::NAME);
    for rule in M::RULES {
        println!("  {}", rule.declaration());
    }
    print!("  {:<24}", "");
    for op in Op::ALL {
        print!("{:>8}", op.name());
    }
    println!();
    for (label, principal) in principals {
        print!("  {label:<24}");
        for op in Op::ALL {
            let mark = if M::authorize(principal, op).is_allowed() {
                "yes"
            } else {
                "-"
            };
            print!("{mark:>8}");
        }
        println!();
    }
    println!();
}

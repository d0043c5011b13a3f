// 70 groups: the group set spans two 64-bit words. Rules name groups on
// both sides of the word boundary.
use groupguard::{groups, model, Op, Principal};

#[groups]
pub enum Group {
    G0,
    G1,
    G2,
    G3,
    G4,
    G5,
    G6,
    G7,
    G8,
    G9,
    G10,
    G11,
    G12,
    G13,
    G14,
    G15,
    G16,
    G17,
    G18,
    G19,
    G20,
    G21,
    G22,
    G23,
    G24,
    G25,
    G26,
    G27,
    G28,
    G29,
    G30,
    G31,
    G32,
    G33,
    G34,
    G35,
    G36,
    G37,
    G38,
    G39,
    G40,
    G41,
    G42,
    G43,
    G44,
    G45,
    G46,
    G47,
    G48,
    G49,
    G50,
    G51,
    G52,
    G53,
    G54,
    G55,
    G56,
    G57,
    G58,
    G59,
    G60,
    G61,
    G62,
    G63,
    G64,
    G65,
    G66,
    G67,
    G68,
    G69,
}

#[model(allow(groups = [G0, G63], to = [read]), allow(groups = [G64, G69]))]
pub struct Article;

fn main() {
    for (group, read, delete) in [
        (Group::G0, true, false),
        (Group::G1, false, false),
        (Group::G62, false, false),
        (Group::G63, true, false),
        (Group::G64, true, true),
        (Group::G65, false, false),
        (Group::G69, true, true),
    ] {
        let p = Principal::authenticated("u").with_groups([group]);
        assert_eq!(Article::authorize(&p, Op::Read).is_allowed(), read, "{group} read");
        assert_eq!(Article::authorize(&p, Op::Delete).is_allowed(), delete, "{group} delete");
    }
    let p = Principal::authenticated("u").with_groups([Group::G1, Group::G65, Group::G64]);
    assert!(Article::authorize(&p, Op::Delete).is_allowed());
    assert_eq!(Group::ALL.len(), 70);
    assert_eq!(Group::from_name("G69"), Some(Group::G69));
    assert_eq!(Group::G69.precedence(), 69);
}

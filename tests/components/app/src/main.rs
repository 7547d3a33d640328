//! The command side of the composition test: calls every function and method of
//! `smelt:compose/shapes`, which another component implements, and prints what comes back.
//! Arguments: `exit N` ends with `std::process::exit(N)` after everything else.

use smelt::compose::shapes::{self, Color, Inventory, Item, Perms, Point, Shape};

wit_bindgen::generate!({ path: "../wit", world: "app" });

fn item(name: &str, tags: &[&str], x: i32, y: i32, weight: f64, color: Option<Color>) -> Item {
    Item {
        name: name.to_string(),
        tags: tags.iter().map(|t| t.to_string()).collect(),
        at: Point { x, y },
        weight,
        color,
    }
}

fn show(it: &Item) -> String {
    format!(
        "{} tags={:?} at=({}, {}) weight={} color={:?}",
        it.name, it.tags, it.at.x, it.at.y, it.weight, it.color
    )
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    println!("app: {} argument(s)", args.len());

    for s in [
        Shape::Circle(1.5),
        Shape::Rect(Point { x: 3, y: -4 }),
        Shape::Named("héllo wörld ✓".to_string()),
        Shape::Empty,
    ] {
        println!("describe: {}", shapes::describe(&s));
    }
    let many: Vec<Shape> = (0..1000)
        .map(|i| match i % 4 {
            0 => Shape::Circle(i as f32),
            1 => Shape::Rect(Point { x: i, y: i }),
            2 => Shape::Named(format!("n{i}")),
            _ => Shape::Empty,
        })
        .chain([Shape::Named(String::new())])
        .collect();
    println!("classify: {:?}", shapes::classify(&many));

    for p in [
        Perms::empty(),
        Perms::READ,
        Perms::WRITE,
        Perms::READ | Perms::WRITE | Perms::EXEC,
    ] {
        println!("check {p:?}: {:?}", shapes::check(p));
    }
    println!("grant: {:?}", shapes::grant(Perms::EXEC, Perms::WRITE));

    let a = Inventory::new("alice");
    let ids = [
        a.add(&item("hammer", &["tool", "heavy"], 1, 2, 1.25, Some(Color::Red))),
        a.add(&item("feather", &[], -5, 0, 0.001, None)),
        a.add(&item("ünïcode ✓", &["", "x y", "ß"], i32::MAX, i32::MIN, -0.5, Some(Color::Blue))),
    ];
    println!("ids: {ids:?}, owner {}", a.owner());
    println!("get 2: {:?}", a.get(2).as_ref().map(show));
    println!("get 9: {:?}", a.get(9).as_ref().map(show));
    println!("remove 1: {:?}", a.remove(1).as_ref().map(show));
    println!("remove 1 again: {:?}", a.remove(1).as_ref().map(show));
    println!("names: {:?}", a.names());
    println!("weight: {}", a.total_weight());

    let b = Inventory::new("bob");
    let big: Vec<String> = (0..200).map(|i| format!("tag{i}")).collect();
    let big: Vec<&str> = big.iter().map(String::as_str).collect();
    b.add(&item("crate", &big, 7, 7, 12.0, Some(Color::Green)));
    let m = Inventory::merge(&a, &b);
    println!("merged owner {}: {:?}", m.owner(), m.names());
    println!("summarize a: {}", shapes::summarize(&a));
    println!("lifecycle before drops: {:?}", shapes::lifecycle());
    drop(b);
    println!("consume merged: {}", shapes::consume(m));
    println!("lifecycle after drops: {:?}", shapes::lifecycle());

    let bytes: Vec<u8> = (0..=255u8).cycle().take(100_000).collect();
    let rev = shapes::reverse_bytes(&bytes);
    println!(
        "reverse-bytes: {} bytes, first {:?}, last {:?}, sum {}",
        rev.len(),
        &rev[..3],
        &rev[rev.len() - 3..],
        rev.iter().map(|&b| b as u64).sum::<u64>()
    );
    println!("split-words: {:?}", shapes::split_words("  one two\tthree\n ✓ "));
    for s in ["3, -4", "3;4", "x,1"] {
        println!("parse-point {s:?}: {:?}", shapes::parse_point(s));
    }
    println!("maybe-scale: {:?}", shapes::maybe_scale(Some(Point { x: 2, y: -3 }), 5));
    println!("maybe-scale none: {:?}", shapes::maybe_scale(None, 5));
    println!("library-wasi: {:?}", shapes::library_wasi("COMPOSE_VAR"));
    println!("app sees COMPOSE_VAR={:?}", std::env::var("COMPOSE_VAR").ok());
    eprintln!("app: dropping alice");
    drop(a);
    println!("lifecycle at the end: {:?}", shapes::lifecycle());
    if let [_, cmd, n] = &args[..] {
        if cmd == "exit" {
            std::process::exit(n.parse().expect("exit N"));
        }
    }
}

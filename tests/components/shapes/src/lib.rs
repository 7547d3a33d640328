//! The library side of the composition test: implements `smelt:compose/shapes` with std, so
//! that it imports WASI itself (it prints to stdout and stderr, reads the arguments and the
//! environment) beside the command component that imports it.

use exports::smelt::compose::shapes::{
    Color, Guest, GuestInventory, Inventory, InventoryBorrow, Item, Perms, Point, Shape,
};
use std::cell::{Cell, RefCell};

wit_bindgen::generate!({ path: "../wit", world: "library" });

thread_local! {
    static CREATED: Cell<u32> = const { Cell::new(0) };
    static DROPPED: Cell<u32> = const { Cell::new(0) };
}

struct Shapes;

struct Stock {
    owner: String,
    next: Cell<u32>,
    items: RefCell<Vec<(u32, Item)>>,
}

impl Stock {
    fn with(owner: String, items: Vec<Item>) -> Stock {
        CREATED.set(CREATED.get() + 1);
        let n = items.len() as u32;
        Stock {
            owner,
            next: Cell::new(n + 1),
            items: RefCell::new((1..).zip(items).collect()),
        }
    }
}

impl Drop for Stock {
    fn drop(&mut self) {
        DROPPED.set(DROPPED.get() + 1);
        eprintln!(
            "[shapes] dropping {}'s inventory ({} items)",
            self.owner,
            self.items.borrow().len()
        );
    }
}

impl GuestInventory for Stock {
    fn new(owner: String) -> Stock {
        println!("[shapes] new inventory for {owner}");
        Stock::with(owner, Vec::new())
    }
    fn owner(&self) -> String {
        self.owner.clone()
    }
    fn add(&self, it: Item) -> u32 {
        let id = self.next.get();
        self.next.set(id + 1);
        self.items.borrow_mut().push((id, it));
        id
    }
    fn get(&self, id: u32) -> Option<Item> {
        let items = self.items.borrow();
        items.iter().find(|(i, _)| *i == id).map(|(_, it)| it.clone())
    }
    fn remove(&self, id: u32) -> Result<Item, String> {
        let mut items = self.items.borrow_mut();
        match items.iter().position(|(i, _)| *i == id) {
            Some(p) => Ok(items.remove(p).1),
            None => Err(format!("no item {id} in {}'s inventory", self.owner)),
        }
    }
    fn names(&self) -> Vec<String> {
        let items = self.items.borrow();
        items.iter().map(|(_, it)| it.name.clone()).collect()
    }
    fn total_weight(&self) -> f64 {
        self.items.borrow().iter().map(|(_, it)| it.weight).sum()
    }
    fn merge(a: InventoryBorrow<'_>, b: InventoryBorrow<'_>) -> Inventory {
        let (a, b) = (a.get::<Stock>(), b.get::<Stock>());
        let items = a
            .items
            .borrow()
            .iter()
            .chain(b.items.borrow().iter())
            .map(|(_, it)| it.clone())
            .collect();
        Inventory::new(Stock::with(format!("{}+{}", a.owner, b.owner), items))
    }
}

fn color_name(c: Color) -> &'static str {
    match c {
        Color::Red => "red",
        Color::Green => "green",
        Color::Blue => "blue",
    }
}

impl Guest for Shapes {
    type Inventory = Stock;

    fn describe(s: Shape) -> String {
        match s {
            Shape::Circle(r) => format!("circle of radius {r} (area {:.3})", 3.14159 * r * r),
            Shape::Rect(p) => format!("rect {}x{} (area {})", p.x, p.y, p.x * p.y),
            Shape::Named(n) => format!("shape named {n:?} ({} bytes)", n.len()),
            Shape::Empty => "nothing".to_string(),
        }
    }
    fn classify(shapes: Vec<Shape>) -> Vec<(String, u64)> {
        let mut counts: Vec<(String, u64)> = Vec::new();
        for s in shapes {
            let kind = match s {
                Shape::Circle(_) => "circle",
                Shape::Rect(_) => "rect",
                Shape::Named(_) => "named",
                Shape::Empty => "empty",
            };
            match counts.iter_mut().find(|(k, _)| k == kind) {
                Some((_, n)) => *n += 1,
                None => counts.push((kind.to_string(), 1)),
            }
        }
        counts
    }
    fn check(p: Perms) -> Result<Perms, String> {
        if p.contains(Perms::WRITE) && !p.contains(Perms::READ) {
            Err(format!("write without read: {p:?}"))
        } else {
            Ok(p | Perms::READ)
        }
    }
    fn grant(p: Perms, extra: Perms) -> Perms {
        p | extra
    }
    fn summarize(inv: InventoryBorrow<'_>) -> String {
        let s = inv.get::<Stock>();
        let items = s.items.borrow();
        let mut out = format!("{}:", s.owner);
        for (id, it) in items.iter() {
            out += &format!(
                " #{id} {} [{}] at ({}, {}) {}kg {}",
                it.name,
                it.tags.join(","),
                it.at.x,
                it.at.y,
                it.weight,
                it.color.map(color_name).unwrap_or("colourless")
            );
        }
        out
    }
    fn consume(inv: Inventory) -> u32 {
        let s: Stock = inv.into_inner();
        let n = s.items.borrow().len() as u32;
        println!("[shapes] consuming {}'s inventory", s.owner);
        n
    }
    fn reverse_bytes(mut b: Vec<u8>) -> Vec<u8> {
        b.reverse();
        b
    }
    fn split_words(s: String) -> Vec<String> {
        s.split_whitespace().map(str::to_string).collect()
    }
    fn parse_point(s: String) -> Result<Point, String> {
        let (x, y) = s.split_once(',').ok_or_else(|| format!("no comma in {s:?}"))?;
        let num = |t: &str| t.trim().parse::<i32>().map_err(|e| format!("{t:?}: {e}"));
        Ok(Point {
            x: num(x)?,
            y: num(y)?,
        })
    }
    fn maybe_scale(p: Option<Point>, k: i32) -> Option<Point> {
        p.map(|p| Point {
            x: p.x * k,
            y: p.y * k,
        })
    }
    fn lifecycle() -> (u32, u32) {
        (CREATED.get(), DROPPED.get())
    }
    fn library_wasi(var: String) -> (u32, Option<String>) {
        (std::env::args().count() as u32, std::env::var(var).ok())
    }
}

export!(Shapes);

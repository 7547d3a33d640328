//! JSON: serialize and parse records with `serde_json` (derive), both typed and as
//! `serde_json::Value`: string handling, small allocations, float formatting and parsing.
use serde::{Deserialize, Serialize};
use smelt_bench_suite::{Rng, fnv1a, scale};

#[derive(Serialize, Deserialize)]
struct Order {
    id: u64,
    customer: String,
    email: String,
    items: Vec<Item>,
    paid: bool,
    note: Option<String>,
}

#[derive(Serialize, Deserialize)]
struct Item {
    sku: String,
    qty: u32,
    price: f64,
}

fn main() {
    let n = scale(10_000) as usize;
    let mut rng = Rng::new(7);
    let orders: Vec<Order> = (0..n)
        .map(|i| Order {
            id: i as u64 * 7919,
            customer: format!("customer-{}", rng.below(100_000)),
            email: format!("user{}@example.com", rng.below(1_000_000)),
            items: (0..1 + rng.below(6))
                .map(|_| Item {
                    sku: format!("SKU-{:08X}", rng.next_u64() as u32),
                    qty: 1 + rng.below(20) as u32,
                    price: (rng.unit() * 100_000.0).round() / 100.0,
                })
                .collect(),
            paid: rng.below(2) == 0,
            note: (rng.below(4) == 0)
                .then(|| "leave at the door \"please\" \u{e9}t\u{e9}".to_string()),
        })
        .collect();
    let mut h = 0u64;
    let mut total = 0.0f64;
    for round in 0..4 {
        let text = serde_json::to_string(&orders).unwrap();
        h ^= fnv1a(text.as_bytes()).rotate_left(round);
        let back: Vec<Order> = serde_json::from_str(&text).unwrap();
        total += back
            .iter()
            .flat_map(|o| &o.items)
            .map(|i| i.price * f64::from(i.qty))
            .sum::<f64>();
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        let pretty = serde_json::to_string_pretty(&value[round as usize * 10]).unwrap();
        h ^= fnv1a(pretty.as_bytes());
    }
    println!("orders {n} checksum {h:016x} total {total:.2}");
}

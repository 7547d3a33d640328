//! Start-up: the smallest program, so that the time is loading, start-up and exit.
fn main() {
    println!("Hello, world!");
}

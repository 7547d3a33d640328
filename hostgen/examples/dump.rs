//! Prints the runtime bindings of the interfaces given as arguments (for reading them).
fn main() -> anyhow::Result<()> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../wit");
    let wit = smelt_hostgen::Wit::load(&dir)?;
    let names: Vec<String> = std::env::args().skip(1).collect();
    let names: Vec<&str> = names.iter().map(|s| s.as_str()).collect();
    print!("{}", smelt_hostgen::rust::bindings(&wit, &names)?);
    Ok(())
}

//! The Fluent files are compiled into the crate: a changed or added file must rebuild it.
fn main() {
    println!("cargo:rerun-if-changed=locales");
    if let Ok(dirs) = std::fs::read_dir("locales") {
        for dir in dirs.flatten() {
            println!("cargo:rerun-if-changed={}", dir.path().display());
            if let Ok(files) = std::fs::read_dir(dir.path()) {
                for f in files.flatten() {
                    println!("cargo:rerun-if-changed={}", f.path().display());
                }
            }
        }
    }
}

//! What every sitrep sled store shares. Each service keeps its own `Store` struct with its own
//! trees (one per key layout, declared in its `store.rs`); this crate only holds the schema
//! version record that each of them checks at open.

/// Key of the schema version in a store's `meta` tree (u32, big-endian).
pub const SCHEMA_VERSION_KEY: &str = "schema_version";

/// What the stored schema version says about a store being opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Schema {
    /// A new database: the current version was recorded.
    Created,
    /// Written by this version.
    Current,
    /// Written by an older version: run the migrations from this one up.
    Older(u32),
    /// Written by a newer binary: refuse to start.
    Newer(u32),
}

/// Read the schema version of `meta` (recording `current` in a new database).
pub fn check(meta: &sled::Tree, current: u32) -> Result<Schema, sled::Error> {
    let stored = meta.get(SCHEMA_VERSION_KEY)?.map(|v| v.as_ref().try_into().map(u32::from_be_bytes).unwrap_or(0));
    Ok(match stored {
        None => {
            set(meta, current)?;
            Schema::Created
        }
        Some(v) if v == current => Schema::Current,
        Some(v) if v < current => Schema::Older(v),
        Some(v) => Schema::Newer(v),
    })
}

/// Record a schema version (after a migration step).
pub fn set(meta: &sled::Tree, version: u32) -> Result<(), sled::Error> {
    meta.insert(SCHEMA_VERSION_KEY, &version.to_be_bytes())?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_are_recorded_and_compared() {
        let dir = tempfile::tempdir().unwrap();
        let db = sled::open(dir.path()).unwrap();
        let meta = db.open_tree("meta").unwrap();
        assert_eq!(check(&meta, 2).unwrap(), Schema::Created);
        assert_eq!(check(&meta, 2).unwrap(), Schema::Current);
        assert_eq!(check(&meta, 3).unwrap(), Schema::Older(2));
        assert_eq!(check(&meta, 1).unwrap(), Schema::Newer(2));
    }
}

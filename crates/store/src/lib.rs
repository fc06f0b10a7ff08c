//! What every sitrep store shares. Each service keeps its own `Store` with its own trees (one per
//! key layout, declared in its `store.rs`) or tables (its `store/pg.rs`); this crate holds the
//! schema version record that each of them checks at open, sled's opening, a sled
//! transaction's error as the service's own ([`transaction_error`], and the `From` impl every
//! service's error derives from it with [`transaction_error_from!`]), and in [`pg`] the
//! PostgreSQL-protocol backend's pool, runtime, migrations and transactions.

pub mod pg;

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
    let stored = meta
        .get(SCHEMA_VERSION_KEY)?
        .map(|v| v.as_ref().try_into().map(u32::from_be_bytes).unwrap_or(0));
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

/// Open the database `config` names. sled's background flusher may hold a just-dropped handle's
/// file lock for a moment (a store reopened in the same process, as tests and restarts do): a
/// lock held elsewhere is retried for up to two seconds before its error is returned.
pub fn open(config: &sled::Config) -> Result<sled::Db, sled::Error> {
    let mut tries = 0;
    loop {
        match config.open() {
            Err(sled::Error::Io(e))
                if e.kind() == std::io::ErrorKind::Other
                    && e.to_string().contains("could not acquire lock")
                    && tries < 40 =>
            {
                tries += 1;
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
            other => return other,
        }
    }
}

pub use sled::transaction::TransactionError;

/// A sled transaction's error as the service's own: the error the transaction aborted with, as
/// it was; a failure of sled itself through the service's `From<sled::Error>`.
pub fn transaction_error<E: From<sled::Error>>(e: TransactionError<E>) -> E {
    match e {
        TransactionError::Abort(e) => e,
        TransactionError::Storage(e) => E::from(e),
    }
}

/// `impl From<TransactionError<E>> for E` by [`transaction_error`], for a service's error type
/// `E` with a `From<sled::Error>`: `?` on a transaction then gives the service's error.
#[macro_export]
macro_rules! transaction_error_from {
    ($error:ty) => {
        impl ::core::convert::From<$crate::TransactionError<$error>> for $error {
            fn from(e: $crate::TransactionError<$error>) -> Self {
                $crate::transaction_error(e)
            }
        }
    };
}

/// Record a schema version (after a migration step).
pub fn set(meta: &sled::Tree, version: u32) -> Result<(), sled::Error> {
    meta.insert(SCHEMA_VERSION_KEY, &version.to_be_bytes())?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq)]
    enum Failure {
        Mine(&'static str),
        Sled(String),
    }

    impl From<sled::Error> for Failure {
        fn from(e: sled::Error) -> Self {
            Failure::Sled(e.to_string())
        }
    }

    crate::transaction_error_from!(Failure);

    #[test]
    fn a_transaction_error_is_its_abort_or_sleds_own() {
        use sled::transaction::ConflictableTransactionError;
        let dir = tempfile::tempdir().unwrap();
        let db = sled::open(dir.path()).unwrap();
        let aborted = db
            .transaction(|_| Err::<(), _>(ConflictableTransactionError::Abort(Failure::Mine("no"))))
            .map_err(Failure::from);
        assert_eq!(aborted, Err(Failure::Mine("no")));
        let storage: TransactionError<Failure> =
            TransactionError::Storage(sled::Error::Unsupported("x".into()));
        assert!(matches!(Failure::from(storage), Failure::Sled(m) if m.contains('x')));
    }

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

    #[test]
    fn a_store_reopens_right_after_it_is_dropped_but_not_while_held() {
        let dir = tempfile::tempdir().unwrap();
        let config = sled::Config::new().path(dir.path());
        // (the bare sled::open failed here about once in thirty runs under load)
        for _ in 0..20 {
            let db = open(&config).unwrap();
            db.insert("k", "v").unwrap();
            db.flush().unwrap();
        }
        // a live handle's lock is still an error, after the bounded wait
        let _held = open(&config).unwrap();
        assert!(open(&config).is_err());
    }
}

//! What the stores' PostgreSQL-protocol backend shares: the connection pool, the runtime its
//! client runs on, the schema version table and its migrations, transactions that are retried
//! when the database says so, and the sorting of database errors into what a client can do.
//!
//! The SQL kept here and in the services' backends is the part PostgreSQL, CockroachDB and
//! YugabyteDB all accept (ARCHITECTURE.md, "Beyond one machine", says what was checked).
//!
//! **Invariant:** the stores' methods stay synchronous, as sled's are: they run the client's
//! futures on one process-wide runtime of their own ([`block`]) and wait for the answer, so they
//! may be called from a blocking task or from an async handler alike.

use std::future::Future;
use std::sync::OnceLock;
use std::time::Duration;

use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod};
use tokio_postgres::error::SqlState;
use tokio_postgres::{IsolationLevel, NoTls};

pub use deadpool_postgres::{Object as Client, Transaction};
pub use tokio_postgres::Error as PgError;

/// Connections each service's pool keeps at most.
const POOL_SIZE: usize = 16;
/// How long a caller waits for a connection (the database unreachable: UNAVAILABLE after this).
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// Tries of a transaction that the database aborted for a conflict with another (serialization
/// failure or deadlock) before the conflict is reported.
const TRIES: u32 = 12;

/// Whether a store location names a database (`postgres://` or `postgresql://`) or a folder.
pub fn is_url(location: &str) -> bool {
    location.starts_with("postgres://") || location.starts_with("postgresql://")
}

/// A database failure, sorted by what the caller can do about it.
#[derive(Debug, Clone, thiserror::Error)]
pub enum Error {
    /// The database is unreachable or cannot serve now: retrying later may succeed.
    #[error("database unavailable: {0}")]
    Unavailable(String),
    /// The database refused a value (a NUL character in text, a number out of range).
    #[error("the database refused a value: {0}")]
    BadValue(String),
    /// Anything else: a bug or a corrupt database.
    #[error("database: {0}")]
    Other(String),
    /// The schema was written by a newer binary.
    #[error(
        "database schema of {service} is version {found}, newer than this binary's ({supported})"
    )]
    SchemaTooNew {
        service: String,
        found: u32,
        supported: u32,
    },
    /// The URL does not parse.
    #[error("bad database URL: {0}")]
    BadUrl(String),
}

impl From<PgError> for Error {
    fn from(e: PgError) -> Self {
        classify(&e)
    }
}

impl From<deadpool_postgres::PoolError> for Error {
    fn from(e: deadpool_postgres::PoolError) -> Self {
        match e {
            deadpool_postgres::PoolError::Backend(e) => classify(&e),
            other => Error::Unavailable(other.to_string()),
        }
    }
}

/// A conflict with a concurrent transaction: run it again. A unique violation is one too: two
/// replicas inserting the same new rows at once (one document recorded twice) — the second, run
/// again on a fresh snapshot, finds the first's rows and replaces them. (A batch never repeats a
/// key itself: the stores remove repeats before they write.)
fn is_conflict(e: &PgError) -> bool {
    matches!(e.code(), Some(c) if *c == SqlState::T_R_SERIALIZATION_FAILURE || *c == SqlState::T_R_DEADLOCK_DETECTED || *c == SqlState::UNIQUE_VIOLATION)
}

fn classify(e: &PgError) -> Error {
    // the server's own message, without the "db error: " prefix
    let message = e
        .as_db_error()
        .map_or_else(|| e.to_string(), |d| d.message().to_string());
    match e.code().map(SqlState::code) {
        // no answer at all: the connection broke or was never made
        None => Error::Unavailable(e.to_string()),
        // connection exception, insufficient resources, operator intervention (shut down)
        Some(c) if c.starts_with("08") || c.starts_with("53") || c.starts_with("57") => {
            Error::Unavailable(message)
        }
        // a conflict still there after every try
        Some("40001") | Some("40P01") => Error::Unavailable(format!(
            "conflicting writes, tried {TRIES} times: {message}"
        )),
        // data exception: a value the database will not store
        Some(c) if c.starts_with("22") => Error::BadValue(message),
        Some(_) => Error::Other(message),
    }
}

/// The runtime every database client of the process runs on: its own, so that the stores'
/// synchronous methods can wait for it from any thread, a runtime's worker included.
fn runtime() -> &'static tokio::runtime::Runtime {
    static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("sitrep-db")
            .enable_all()
            .build()
            .expect("the database client's runtime starts")
    })
}

/// Run `f` on the client's runtime and wait for its answer (from any thread but the runtime's).
pub fn block<T: Send + 'static>(f: impl Future<Output = T> + Send + 'static) -> T {
    let (tx, rx) = std::sync::mpsc::sync_channel(1);
    runtime().spawn(async move {
        let _ = tx.send(f.await);
    });
    rx.recv()
        .expect("the database task answers (it panicked otherwise)")
}

/// Run `f` on the client's runtime from async code.
pub async fn run<T: Send + 'static>(f: impl Future<Output = T> + Send + 'static) -> T {
    match runtime().spawn(f).await {
        Ok(v) => v,
        Err(e) => std::panic::resume_unwind(e.into_panic()),
    }
}

/// A pool of connections to one database; cheap to clone.
#[derive(Clone)]
pub struct Database {
    pool: Pool,
}

/// One numbered step of a service's schema: statements that each may run again harmlessly
/// (`IF NOT EXISTS`), as replicas starting at once may both run them.
pub struct Migration {
    pub version: u32,
    pub statements: &'static [&'static str],
}

impl Database {
    /// A pool for `url` (`postgres://user[:password]@host[:port]/database[?options]`). Nothing
    /// is connected yet: see [`Database::migrate`].
    pub fn connect(url: &str) -> Result<Database, Error> {
        let mut config: tokio_postgres::Config = url
            .parse()
            .map_err(|e: PgError| Error::BadUrl(e.to_string()))?;
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(CONNECT_TIMEOUT);
        }
        config.application_name("sitrep");
        let manager = Manager::from_config(
            config,
            NoTls,
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = {
            // the pool spawns its connections' tasks: build it on the client's runtime
            let _guard = runtime().enter();
            Pool::builder(manager)
                .max_size(POOL_SIZE)
                .runtime(deadpool_postgres::Runtime::Tokio1)
                .wait_timeout(Some(CONNECT_TIMEOUT))
                .create_timeout(Some(CONNECT_TIMEOUT))
                .recycle_timeout(Some(CONNECT_TIMEOUT))
                .build()
                .map_err(|e| Error::BadUrl(e.to_string()))?
        };
        Ok(Database { pool })
    }

    /// A connection from the pool (async; on the client's runtime).
    pub async fn client(&self) -> Result<Client, Error> {
        Ok(self.pool.get().await?)
    }

    /// Whether the database answers now (for readiness).
    pub async fn ping(&self) -> Result<(), Error> {
        let pool = self.pool.clone();
        run(async move {
            let c = pool.get().await?;
            c.simple_query("SELECT 1").await?;
            Ok(())
        })
        .await
    }

    /// Run `attempt` in a transaction that it begins with [`begin`] and commits, again while the
    /// database aborts it for a conflict with a concurrent one (SQLSTATE 40001 or 40P01, which
    /// CockroachDB, YugabyteDB and PostgreSQL all ask the client to retry). Each try gets a fresh
    /// transaction, so nothing of an aborted one is visible. Blocking: see [`block`].
    pub fn transact<T, F, Fut>(&self, attempt: F) -> Result<T, Error>
    where
        T: Send + 'static,
        F: Fn(Client) -> Fut + Send + 'static,
        Fut: Future<Output = Result<T, PgError>> + Send,
    {
        let pool = self.pool.clone();
        block(async move {
            let mut wait = Duration::from_millis(2);
            for tried in 1.. {
                let client = pool.get().await?;
                match attempt(client).await {
                    Err(e) if is_conflict(&e) && tried < TRIES => {
                        tracing::debug!(tried, "transaction conflicted; retrying");
                        // spread the retries of conflicting writers apart
                        let jitter = Duration::from_micros(
                            u64::from(std::process::id() % 7) * 300 + (tried as u64 * 131) % 1000,
                        );
                        tokio::time::sleep(wait + jitter).await;
                        wait = (wait * 2).min(Duration::from_millis(200));
                    }
                    other => return other.map_err(Error::from),
                }
            }
            unreachable!("the loop returns")
        })
    }

    /// Run one read (or a single-statement write) outside a transaction. Blocking.
    pub fn read<T, F, Fut>(&self, query: F) -> Result<T, Error>
    where
        T: Send + 'static,
        F: FnOnce(Client) -> Fut + Send + 'static,
        Fut: Future<Output = Result<T, PgError>> + Send,
    {
        let pool = self.pool.clone();
        block(async move {
            let client = pool.get().await?;
            query(client).await.map_err(Error::from)
        })
    }

    /// Bring `service`'s schema to the last of `migrations` (in version order), recording each
    /// step in `sitrep_schema`; refuse a schema newer than this binary's. Replicas starting at
    /// once may race on the same step: a step that fails is tried again after the version is
    /// read anew. Blocking.
    pub fn migrate(
        &self,
        service: &'static str,
        migrations: &'static [Migration],
    ) -> Result<crate::Schema, Error> {
        let latest = migrations.last().map_or(0, |m| m.version);
        let mut last_error = None;
        for _ in 0..5 {
            let pool = self.pool.clone();
            let step = block(async move {
                let c = pool.get().await?;
                c.batch_execute("CREATE TABLE IF NOT EXISTS sitrep_schema (service TEXT PRIMARY KEY, version BIGINT NOT NULL)").await?;
                let stored: Option<i64> = c
                    .query_opt(
                        "SELECT version FROM sitrep_schema WHERE service = $1",
                        &[&service],
                    )
                    .await?
                    .map(|r| r.get(0));
                let stored = stored.map(|v| v as u32);
                if let Some(v) = stored.filter(|v| *v > latest) {
                    return Err(Error::SchemaTooNew {
                        service: service.into(),
                        found: v,
                        supported: latest,
                    });
                }
                for m in migrations
                    .iter()
                    .filter(|m| stored.is_none_or(|v| m.version > v))
                {
                    for s in m.statements {
                        c.batch_execute(s).await?;
                    }
                    c.execute(
                        "INSERT INTO sitrep_schema (service, version) VALUES ($1, $2) \
                         ON CONFLICT (service) DO UPDATE SET version = excluded.version",
                        &[&service, &i64::from(m.version)],
                    )
                    .await?;
                    if stored.is_some() {
                        tracing::info!(
                            service,
                            "Migration: {} -> {} finished",
                            m.version - 1,
                            m.version
                        );
                    }
                }
                Ok(match stored {
                    None => crate::Schema::Created,
                    Some(v) if v == latest => crate::Schema::Current,
                    Some(v) => crate::Schema::Older(v),
                })
            });
            match step {
                Err(e @ (Error::Other(_) | Error::BadValue(_))) => {
                    // most likely another replica's concurrent DDL: look again
                    last_error = Some(e);
                    std::thread::sleep(Duration::from_millis(200));
                }
                other => return other,
            }
        }
        Err(last_error.expect("a failed step"))
    }
}

/// Begin a REPEATABLE READ transaction on `client` (for [`Database::transact`]'s attempts): one
/// snapshot for all its reads, and two transactions that write the same row conflict (one is
/// retried). Not SERIALIZABLE: PostgreSQL's serializable checks escalate to whole tables on
/// writes of a thousand rows, so two replicas' `Record`s would always conflict and never run at
/// once (measured: a writer gave up after 12 tries). CockroachDB runs it as SERIALIZABLE unless
/// its cluster enables REPEATABLE READ; YugabyteDB as Snapshot isolation.
pub async fn begin(client: &mut Client) -> Result<Transaction<'_>, PgError> {
    client
        .build_transaction()
        .isolation_level(IsolationLevel::RepeatableRead)
        .start()
        .await
}

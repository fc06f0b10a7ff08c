//! `sitrep`: run the suite, ingest documents, and query the timeline from the command line.

/// jemalloc: the gazetteer's resolution allocates many small, short-lived values from several
/// threads; glibc's allocator was the larger part of its p99 (BENCHMARKS.md).
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// `println!` that ends the program quietly when stdout's reader has gone (`sitrep events --json
/// | head`): a closed pipe is how a reader says it has read enough, not an error to panic on.
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        if let Err(e) = writeln!(std::io::stdout().lock(), $($arg)*) {
            $crate::stdout_failed(e);
        }
    }};
}

/// As [`outln!`], without the newline.
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        if let Err(e) = write!(std::io::stdout().lock(), $($arg)*) {
            $crate::stdout_failed(e);
        }
    }};
}

/// What a failed write to stdout does: exit 0 when the reader closed the pipe, 1 otherwise.
fn stdout_failed(e: std::io::Error) -> ! {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        std::process::exit(0);
    }
    eprintln!("sitrep: cannot write to stdout: {e}");
    std::process::exit(1);
}

mod commands;
mod formats;
mod import;
mod output;
mod up;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "sitrep",
    version,
    about = "sitrep: war reporting in, a geocoded timeline of conflict events out"
)]
struct Cli {
    /// The gateway to talk to.
    #[arg(
        long,
        global = true,
        env = "SITREP_GATEWAY",
        default_value = "http://127.0.0.1:50051"
    )]
    gateway: String,
    /// Log format of the services `sitrep up` runs.
    #[arg(
        long,
        global = true,
        env = "SITREP_LOG_FORMAT",
        value_enum,
        default_value_t
    )]
    log_format: sitrep_server::telemetry::LogFormat,
    /// File holding the gateway's bearer token (else SITREP_TOKEN), sent with every call.
    #[arg(long, global = true, env = "SITREP_TOKEN_FILE")]
    token_file: Option<std::path::PathBuf>,
    /// PEM certificate of the authority that signed an https:// gateway's certificate.
    #[arg(long, global = true, env = "SITREP_TLS_CA")]
    tls_ca: Option<std::path::PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Exit 0 once the gateway and every backend serve.
    Health,
    /// Run the whole suite in this process: gateway, ingest, gazetteer and timeline.
    Up(up::UpArgs),
    /// Ingest documents: text, HTML, JSONL or CSV files, folders of them, or standard input.
    Ingest(commands::IngestArgs),
    /// List events (time, then narrative order).
    Events(commands::EventsArgs),
    /// Who controlled a place on a date.
    Control(commands::ControlArgs),
    /// Places in the gazetteer.
    Places {
        #[command(subcommand)]
        command: commands::PlacesCommand,
    },
    /// A place with its names, nearby places, events and control history.
    Dossier(commands::DossierArgs),
    /// A document's events, places and diagnostics.
    Report(commands::ReportArgs),
    /// An actor's record: events, places taken and lost, allies and opponents.
    Actor(commands::ActorArgs),
    /// Counts by kind and week, and fatalities, for a region or a box in a period.
    Summary(commands::SummaryArgs),
    /// Every temporal expression of a text file, normalised (offline).
    Timex(commands::TimexArgs),
    /// Events as ACLED CSV, GeoJSON or TimelineJS; a place's control as GeoJSON.
    Export(commands::ExportArgs),
}

#[tokio::main]
async fn main() {
    let cli = Cli::parse();
    if let Err(e) = commands::set_access(cli.token_file.as_deref(), cli.tls_ca.as_deref()) {
        eprintln!("sitrep: {e:#}");
        std::process::exit(2);
    }
    let result = match cli.command {
        Command::Up(args) => {
            sitrep_server::telemetry::init(cli.log_format);
            up::run(args).await
        }
        Command::Health => commands::health(&cli.gateway).await,
        Command::Ingest(a) => commands::ingest(&cli.gateway, a).await,
        Command::Events(a) => commands::events(&cli.gateway, a).await,
        Command::Control(a) => commands::control(&cli.gateway, a).await,
        Command::Places { command } => commands::places(&cli.gateway, command).await,
        Command::Dossier(a) => commands::dossier(&cli.gateway, a).await,
        Command::Report(a) => commands::report(&cli.gateway, a).await,
        Command::Actor(a) => commands::actor(&cli.gateway, a).await,
        Command::Summary(a) => commands::summary(&cli.gateway, a).await,
        Command::Timex(a) => commands::timex(a),
        Command::Export(a) => commands::export(&cli.gateway, a).await,
    };
    if let Err(e) = result {
        eprintln!("sitrep: {e:#}");
        std::process::exit(1);
    }
}

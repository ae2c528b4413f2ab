//! Connecting to the team's server the way `psql` and QGIS do (libpq's conventions), so that a
//! team points OneMap at its server once, for every tool: a connection string or URI, then a
//! service file (`service=NAME`, `PGSERVICEFILE` or `~/.pg_service.conf`), the `PG*`
//! environment variables, and the password file (`PGPASSFILE` or `~/.pgpass`).
//!
//! The `postgres` crate parses connection strings but reads none of these sources itself, so
//! they are filled in here, before it connects. Passwords are only ever handed to it: they are
//! never part of a message, a log line or a file OneMap writes ([`Target`] names a server
//! without one).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use postgres::config::{Host, SslMode};
use postgres::{Client, Config, NoTls};

use super::DbError;

/// Where a connection goes, for messages: `user@host:port/dbname`, never the password.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target(pub String);

impl std::fmt::Display for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Connects to URL, a libpq connection string or URI, filled in from the service file, the
/// environment and the password file as libpq would.
pub fn connect(url: &str) -> Result<(Client, Target), DbError> {
    let config = config_for(url, &Environment::of_process())?;
    let target = target_of(&config);
    let result = if config.get_ssl_mode() == SslMode::Disable {
        config.connect(NoTls)
    } else {
        config.connect(tls_connector()?)
    };
    match result {
        Ok(client) => Ok((client, target)),
        Err(e) => Err(DbError::Connect {
            target,
            reason: super::server_words(&e),
        }),
    }
}

/// The environment a connection string is completed from (a value, so tests need not change
/// the process's environment).
#[derive(Clone, Debug, Default)]
pub struct Environment {
    pub vars: BTreeMap<String, String>,
    pub home: Option<PathBuf>,
}

impl Environment {
    fn of_process() -> Self {
        let vars = std::env::vars()
            .filter(|(k, _)| k.starts_with("PG") || k == "USER" || k == "USERNAME")
            .collect();
        Self {
            vars,
            home: std::env::var_os("HOME")
                .or_else(|| std::env::var_os("USERPROFILE"))
                .map(PathBuf::from),
        }
    }

    fn var(&self, name: &str) -> Option<&str> {
        self.vars
            .get(name)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }
}

/// The complete configuration for URL: its own settings first, then the service's, then the
/// environment's, then the password file's password.
pub fn config_for(url: &str, env: &Environment) -> Result<Config, DbError> {
    let is_uri = url.starts_with("postgres://") || url.starts_with("postgresql://");
    let mut config = if is_uri {
        Config::from_str(url).map_err(|e| DbError::BadUrl(e.to_string()))?
    } else {
        let mut pairs = parse_pairs(url)?;
        let service = pairs
            .remove("service")
            .or_else(|| env.var("PGSERVICE").map(str::to_owned));
        if let Some(name) = service {
            for (k, v) in service_settings(&name, env)? {
                pairs.entry(k).or_insert(v);
            }
        }
        let text: Vec<String> = pairs
            .iter()
            .map(|(k, v)| format!("{k}='{}'", v.replace('\\', "\\\\").replace('\'', "\\'")))
            .collect();
        Config::from_str(&text.join(" ")).map_err(|e| DbError::BadUrl(e.to_string()))?
    };
    fill_from_environment(&mut config, env, url)?;
    if config.get_password().is_none() {
        let password = password_file(env).and_then(|file| password_from_file(&file, &config));
        if let Some(p) = password {
            config.password(p);
        }
    }
    config.application_name("onemap");
    Ok(config)
}

fn fill_from_environment(config: &mut Config, env: &Environment, url: &str) -> Result<(), DbError> {
    if config.get_hosts().is_empty() {
        config.host(env.var("PGHOST").unwrap_or("localhost"));
    }
    if config.get_ports().is_empty()
        && let Some(port) = env.var("PGPORT")
    {
        let port = port
            .parse()
            .map_err(|_| DbError::BadUrl(format!("PGPORT {port:?} is not a port number")))?;
        config.port(port);
    }
    if config.get_user().is_none() {
        let user = env
            .var("PGUSER")
            .or_else(|| env.var("USER"))
            .or_else(|| env.var("USERNAME"))
            .ok_or_else(|| DbError::BadUrl("no user name: give user= or set PGUSER".into()))?;
        config.user(user);
    }
    if config.get_dbname().is_none()
        && let Some(db) = env.var("PGDATABASE")
    {
        config.dbname(db);
    }
    if config.get_password().is_none()
        && let Some(p) = env.var("PGPASSWORD")
    {
        config.password(p);
    }
    let explicit_ssl = url.contains("sslmode");
    if !explicit_ssl && let Some(mode) = env.var("PGSSLMODE") {
        config.ssl_mode(match mode {
            "disable" => SslMode::Disable,
            "prefer" | "allow" => SslMode::Prefer,
            "require" | "verify-ca" | "verify-full" => SslMode::Require,
            other => return Err(DbError::BadUrl(format!("PGSSLMODE {other:?} is not known"))),
        });
    }
    if config.get_connect_timeout().is_none() {
        let seconds = env
            .var("PGCONNECT_TIMEOUT")
            .and_then(|s| s.parse().ok())
            .unwrap_or(10);
        config.connect_timeout(Duration::from_secs(seconds));
    }
    Ok(())
}

/// `user@host:port/dbname` of a configuration.
pub fn target_of(config: &Config) -> Target {
    let host = match config.get_hosts().first() {
        Some(Host::Tcp(h)) => h.clone(),
        #[cfg(unix)]
        Some(Host::Unix(p)) => p.display().to_string(),
        None => "localhost".into(),
    };
    let port = config.get_ports().first().copied().unwrap_or(5432);
    let user = config.get_user().unwrap_or("?");
    let db = config.get_dbname().unwrap_or(user);
    Target(format!("{user}@{host}:{port}/{db}"))
}

/// `key=value` pairs of a libpq connection string; values may be single-quoted, with `\'` and
/// `\\` inside.
fn parse_pairs(text: &str) -> Result<BTreeMap<String, String>, DbError> {
    let mut pairs = BTreeMap::new();
    let mut chars = text.chars().peekable();
    loop {
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        if chars.peek().is_none() {
            return Ok(pairs);
        }
        let mut key = String::new();
        while let Some(c) = chars.next_if(|c| *c != '=' && !c.is_whitespace()) {
            key.push(c);
        }
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        if chars.next() != Some('=') {
            return Err(DbError::BadUrl(format!(
                "{key:?} has no value (expected key=value, or a postgresql:// URI)"
            )));
        }
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        let mut value = String::new();
        if chars.next_if_eq(&'\'').is_some() {
            loop {
                match chars.next() {
                    Some('\'') => break,
                    Some('\\') => value.extend(chars.next()),
                    Some(c) => value.push(c),
                    None => {
                        return Err(DbError::BadUrl(format!(
                            "the value of {key} has no closing quote"
                        )));
                    }
                }
            }
        } else {
            while let Some(c) = chars.next_if(|c| !c.is_whitespace()) {
                value.push(c);
            }
        }
        pairs.insert(key, value);
    }
}

/// The settings of service NAME in the service file.
fn service_settings(name: &str, env: &Environment) -> Result<BTreeMap<String, String>, DbError> {
    let file = env
        .var("PGSERVICEFILE")
        .map(PathBuf::from)
        .or_else(|| env.home.as_ref().map(|h| h.join(".pg_service.conf")));
    let missing = || DbError::BadUrl(format!("service {name:?} is not in the service file"));
    let Some(file) = file else {
        return Err(missing());
    };
    let text = std::fs::read_to_string(&file).map_err(|e| {
        DbError::BadUrl(format!(
            "service {name:?}: the service file {} cannot be read: {e}",
            file.display()
        ))
    })?;
    let mut in_section = false;
    let mut found = None;
    for line in text.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(section) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            in_section = section == name;
            if in_section {
                found = Some(BTreeMap::new());
            }
        } else if in_section
            && let (Some((k, v)), Some(settings)) = (line.split_once('='), found.as_mut())
        {
            settings.insert(k.trim().to_owned(), v.trim().to_owned());
        }
    }
    found.ok_or_else(missing)
}

fn password_file(env: &Environment) -> Option<PathBuf> {
    env.var("PGPASSFILE")
        .map(PathBuf::from)
        .or_else(|| env.home.as_ref().map(|h| h.join(".pgpass")))
}

/// The password for a configuration's host, port, database and user in a libpq password file
/// (`host:port:database:user:password` lines, `*` matching anything, `\:` and `\\` escaped).
/// libpq ignores a file others may read; so does this, on Unix.
pub fn password_from_file(file: &Path, config: &Config) -> Option<String> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(file).ok()?.permissions().mode();
        if mode & 0o077 != 0 {
            log::warn!(
                "the password file {} is readable by others: ignored (chmod 0600 it)",
                file.display()
            );
            return None;
        }
    }
    let text = std::fs::read_to_string(file).ok()?;
    let host = match config.get_hosts().first() {
        Some(Host::Tcp(h)) => h.clone(),
        #[cfg(unix)]
        Some(Host::Unix(_)) => "localhost".into(),
        None => "localhost".into(),
    };
    let port = config
        .get_ports()
        .first()
        .copied()
        .unwrap_or(5432)
        .to_string();
    let user = config.get_user().unwrap_or_default();
    let db = config.get_dbname().unwrap_or(user);
    let wanted = [host.as_str(), port.as_str(), db, user];
    text.lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .map(split_passfile_line)
        .find(|fields| {
            fields.len() == 5
                && fields
                    .iter()
                    .zip(wanted)
                    .all(|(field, want)| field == "*" || field == want)
        })
        .and_then(|mut fields| fields.pop())
}

fn split_passfile_line(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => fields
                .last_mut()
                .into_iter()
                .for_each(|f| f.extend(chars.next())),
            ':' if fields.len() < 5 => fields.push(String::new()),
            c => fields.last_mut().into_iter().for_each(|f| f.push(c)),
        }
    }
    fields
}

/// TLS through rustls: the server's certificate is always checked, against the system's roots
/// and the certificate in PGSSLROOTCERT (libpq's `verify-full`).
fn tls_connector() -> Result<tokio_postgres_rustls::MakeRustlsConnect, DbError> {
    let mut roots = rustls::RootCertStore::empty();
    let native = rustls_native_certs::load_native_certs();
    roots.add_parsable_certificates(native.certs);
    if let Some(file) = std::env::var_os("PGSSLROOTCERT") {
        use rustls_pki_types::pem::PemObject;
        let certs = rustls_pki_types::CertificateDer::pem_file_iter(&file)
            .and_then(|certs| certs.collect::<Result<Vec<_>, _>>())
            .map_err(|e| {
                DbError::BadUrl(format!(
                    "PGSSLROOTCERT {}: no certificate could be read: {e}",
                    Path::new(&file).display()
                ))
            })?;
        roots.add_parsable_certificates(certs);
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| DbError::BadUrl(format!("TLS cannot be set up: {e}")))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(tokio_postgres_rustls::MakeRustlsConnect::new(config))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(vars: &[(&str, &str)]) -> Environment {
        Environment {
            vars: vars
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            home: None,
        }
    }

    #[test]
    fn the_environment_fills_what_the_string_leaves_out() {
        let e = env(&[
            ("PGHOST", "db.example"),
            ("PGUSER", "li"),
            ("PGPORT", "5433"),
        ]);
        let c = config_for("dbname=plan", &e).unwrap();
        assert_eq!(target_of(&c).0, "li@db.example:5433/plan");
        let c = config_for("host=other user=wang dbname=plan", &e).unwrap();
        assert_eq!(target_of(&c).0, "wang@other:5433/plan");
    }

    #[test]
    fn a_password_file_line_matches_with_wildcards_and_escapes() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("pgpass");
        std::fs::write(
            &file,
            "# comment\nother:*:*:li:nope\nlocalhost:5432:plan:li:se\\:cret\n*:*:*:*:fallback\n",
        )
        .unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
        }
        let e = env(&[("PGPASSFILE", file.to_str().unwrap())]);
        let c = config_for("host=localhost user=li dbname=plan", &e).unwrap();
        assert_eq!(c.get_password(), Some(&b"se:cret"[..]));
        let c = config_for("host=x user=zhang dbname=plan", &e).unwrap();
        assert_eq!(c.get_password(), Some(&b"fallback"[..]));
    }

    #[cfg(unix)]
    #[test]
    fn a_password_file_others_may_read_is_ignored_as_libpq_does() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("pgpass");
        std::fs::write(&file, "*:*:*:*:secret\n").unwrap();
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
        let e = env(&[("PGPASSFILE", file.to_str().unwrap())]);
        let c = config_for("host=h user=li dbname=plan", &e).unwrap();
        assert_eq!(c.get_password(), None);
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
        let c = config_for("host=h user=li dbname=plan", &e).unwrap();
        assert_eq!(c.get_password(), Some(&b"secret"[..]));
    }

    #[test]
    fn a_service_file_supplies_settings_the_string_can_override() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("services");
        std::fs::write(
            &file,
            "[team]\nhost=gis.example\nport=6000\nuser=li\ndbname=plan\n",
        )
        .unwrap();
        let e = env(&[("PGSERVICEFILE", file.to_str().unwrap())]);
        let c = config_for("service=team user=wang", &e).unwrap();
        assert_eq!(target_of(&c).0, "wang@gis.example:6000/plan");
        let err = config_for("service=missing", &e).unwrap_err().to_string();
        assert!(err.contains("service \"missing\""), "{err}");
    }

    #[test]
    fn a_malformed_string_is_a_clear_error() {
        let err = config_for("host", &env(&[("PGUSER", "li")]))
            .unwrap_err()
            .to_string();
        assert!(err.contains("has no value"), "{err}");
        let err = config_for("postgresql://li@host:notaport/db", &env(&[])).unwrap_err();
        assert!(err.to_string().contains("address"), "{err}");
    }
}

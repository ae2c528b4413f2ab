//! A throwaway PostgreSQL + PostGIS server for the team-store tests: a new cluster in a
//! temporary folder, listening on a free loopback port only, stopped and deleted on drop.
//!
//! `initdb` refuses to run as root, and CI runs as root: then the cluster belongs to `nobody`
//! and every server program runs through `runuser -u nobody`. Needs Debian's `postgresql-15`
//! and `postgresql-15-postgis-3` (installed by `.ci/run`); without them a test prints why and
//! returns, except in CI (env CI set), where their absence fails.

use std::net::TcpListener;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// The superuser's password (the tests also try a wrong one).
pub const PASSWORD: &str = "onemap-test-超级";

pub struct PostGis {
    dir: tempfile::TempDir,
    bin: PathBuf,
    /// The user the server runs as, when the tests run as root.
    run_as: Option<&'static str>,
    pub port: u16,
}

/// The folder of `initdb`, `pg_ctl` and `postgres`: ONEMAP_PG_BIN, else the newest
/// /usr/lib/postgresql/N/bin that has PostGIS beside it.
fn server_bin() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("ONEMAP_PG_BIN") {
        return Some(PathBuf::from(dir));
    }
    let mut versions: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("bin/initdb").exists() && p.join("lib/postgis-3.so").exists())
        .collect();
    versions.sort();
    versions.pop().map(|p| p.join("bin"))
}

fn is_root() -> bool {
    std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0)
}

impl PostGis {
    /// A running server, or `None` (printed) when PostgreSQL or PostGIS is not installed and
    /// this is not CI.
    pub fn start(test: &str) -> Option<Self> {
        Self::start_with(test, false)
    }

    /// A server that takes TLS connections only, with a certificate for 127.0.0.1 signed by a
    /// test authority, and that authority's certificate (for PGSSLROOTCERT).
    pub fn start_tls(test: &str) -> Option<(Self, PathBuf)> {
        let server = Self::start_with(test, true)?;
        let ca = server.dir.path().join("ca.crt");
        Some((server, ca))
    }

    fn start_with(test: &str, tls: bool) -> Option<Self> {
        let Some(bin) = server_bin() else {
            assert!(
                std::env::var_os("CI").is_none(),
                "PostgreSQL 15 with PostGIS is missing in CI: .ci/run must install postgresql-15 and postgresql-15-postgis-3"
            );
            eprintln!("{test}: skipped, PostgreSQL with PostGIS is not installed");
            return None;
        };
        let run_as = is_root().then_some("nobody");
        let dir = tempfile::Builder::new()
            .prefix("onemap-pg-")
            .tempdir()
            .unwrap();
        let password_file = dir.path().join("password");
        std::fs::write(&password_file, PASSWORD).unwrap();
        let mut server = Self {
            dir,
            bin,
            run_as,
            port: 0,
        };
        server.give_to_server_user(server.dir.path());
        server.give_to_server_user(&password_file);
        let data = server.data();
        let out = server
            .server_command("initdb")
            .arg("-D")
            .arg(&data)
            .args(["-U", "postgres", "-E", "UTF8", "--locale=C.UTF-8"])
            .args(["--auth=scram-sha-256", "--no-sync"])
            .arg(format!("--pwfile={}", password_file.display()))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "initdb failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        if tls {
            server.make_certificates();
        }
        for attempt in 0..5 {
            server.port = free_port();
            let mut conf = std::fs::OpenOptions::new()
                .append(true)
                .open(data.join("postgresql.conf"))
                .unwrap();
            use std::io::Write;
            writeln!(
                conf,
                "listen_addresses = '127.0.0.1'\nport = {}\nunix_socket_directories = ''\n\
                 fsync = off\nmax_connections = 60\nshared_buffers = 32MB",
                server.port
            )
            .unwrap();
            if server.pg_ctl_start() {
                return Some(server);
            }
            eprintln!("{test}: server start {attempt} failed, trying another port");
        }
        panic!("the test server did not start: {}", server.log());
    }

    /// A test authority and a server certificate for 127.0.0.1 (openssl), and a server that
    /// refuses connections without TLS.
    fn make_certificates(&self) {
        let dir = self.dir.path();
        let openssl = |args: &[&str]| {
            let out = Command::new("openssl")
                .args(args)
                .current_dir(dir)
                .output()
                .expect("openssl runs (Debian package openssl)");
            assert!(
                out.status.success(),
                "openssl {args:?}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        };
        openssl(&[
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "ca.key",
            "-out",
            "ca.crt",
            "-days",
            "2",
            "-subj",
            "/CN=OneMap test authority",
        ]);
        openssl(&[
            "req",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "server.key",
            "-out",
            "server.csr",
            "-subj",
            "/CN=127.0.0.1",
        ]);
        std::fs::write(
            dir.join("server.ext"),
            "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n",
        )
        .unwrap();
        openssl(&[
            "x509",
            "-req",
            "-in",
            "server.csr",
            "-CA",
            "ca.crt",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-out",
            "server.crt",
            "-days",
            "2",
            "-extfile",
            "server.ext",
        ]);
        use std::os::unix::fs::PermissionsExt;
        for file in ["server.key", "server.crt"] {
            let path = dir.join(file);
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
            self.give_to_server_user(&path);
        }
        let data = self.data();
        let mut conf = std::fs::OpenOptions::new()
            .append(true)
            .open(data.join("postgresql.conf"))
            .unwrap();
        use std::io::Write;
        writeln!(
            conf,
            "ssl = on\nssl_cert_file = '{}'\nssl_key_file = '{}'",
            dir.join("server.crt").display(),
            dir.join("server.key").display()
        )
        .unwrap();
        std::fs::write(
            data.join("pg_hba.conf"),
            "hostssl all all 127.0.0.1/32 scram-sha-256\n",
        )
        .unwrap();
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("log")).unwrap_or_default()
    }

    fn give_to_server_user(&self, path: &Path) {
        if let Some(user) = self.run_as {
            let status = Command::new("chown").arg(user).arg(path).status().unwrap();
            assert!(status.success(), "chown {user} {}", path.display());
        }
    }

    /// A server program, run as the server's user.
    fn server_command(&self, program: &str) -> Command {
        let path = self.bin.join(program);
        match self.run_as {
            Some(user) => {
                let mut c = Command::new("runuser");
                c.args(["-u", user, "--"]).arg(path);
                c
            }
            None => Command::new(path),
        }
    }

    fn pg_ctl_start(&self) -> bool {
        self.server_command("pg_ctl")
            .arg("-D")
            .arg(self.data())
            .arg("-l")
            .arg(self.dir.path().join("log"))
            .args(["-w", "-t", "60", "start"])
            .output()
            .unwrap()
            .status
            .success()
    }

    /// Starts the server again after [`Self::kill`]; the crashed processes may take a moment
    /// to let go of their shared memory.
    pub fn restart(&self) {
        let deadline = Instant::now() + Duration::from_secs(60);
        while !self.pg_ctl_start() {
            assert!(Instant::now() < deadline, "no restart: {}", self.log());
            std::thread::sleep(Duration::from_millis(300));
        }
    }

    /// SIGKILLs the postmaster and all its processes at once, as a power cut would.
    pub fn kill(&self) {
        let pid_file = std::fs::read_to_string(self.data().join("postmaster.pid")).unwrap();
        let postmaster: u32 = pid_file.lines().next().unwrap().trim().parse().unwrap();
        let mut pids = vec![postmaster];
        for entry in std::fs::read_dir("/proc").unwrap().flatten() {
            let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
                continue;
            };
            // `pid (name) state ppid …`: the name may hold spaces, so read after the ')'.
            let ppid = stat
                .rsplit_once(')')
                .and_then(|(_, rest)| rest.split_whitespace().nth(1))
                .and_then(|p| p.parse::<u32>().ok());
            if ppid == Some(postmaster)
                && let Ok(pid) = entry.file_name().to_string_lossy().parse()
            {
                pids.push(pid);
            }
        }
        let status = Command::new("kill")
            .arg("-KILL")
            .args(pids.iter().map(u32::to_string))
            .status()
            .unwrap();
        assert!(status.success());
    }

    /// A connection string for database `db` as `user` (the password comes from PGPASSWORD,
    /// as OneMap's users give it).
    pub fn url_as(&self, db: &str, user: &str) -> String {
        format!(
            "host=127.0.0.1 port={} user={user} dbname={db} sslmode=disable",
            self.port
        )
    }

    /// As the superuser.
    pub fn url(&self, db: &str) -> String {
        self.url_as(db, "postgres")
    }

    /// A client as the superuser (tests look at and tamper with tables through it).
    pub fn client(&self, db: &str) -> postgres::Client {
        let url = format!("{} password='{PASSWORD}'", self.url(db));
        postgres::Client::connect(&url, postgres::NoTls).unwrap()
    }

    /// GDAL's PostgreSQL driver (which QGIS uses) on database `db`, as the superuser:
    /// `ogrinfo -ro -q PG:… ARGS`'s standard output, asserted to succeed. `None` when ogrinfo
    /// is not installed (outside CI only: .ci/run installs gdal-bin).
    pub fn ogrinfo(&self, db: &str, args: &[&str]) -> Option<String> {
        if Command::new("ogrinfo").arg("--version").output().is_err() {
            assert!(
                std::env::var_os("CI").is_none(),
                "ogrinfo is missing in CI: .ci/run must install gdal-bin"
            );
            eprintln!("ogrinfo not installed: the QGIS-readability check did not run");
            return None;
        }
        let source = format!(
            "PG:host=127.0.0.1 port={} dbname={db} user=postgres password={PASSWORD}",
            self.port
        );
        let out = Command::new("ogrinfo")
            .args(["-ro", "-q"])
            .arg(&source)
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        Some(String::from_utf8_lossy(&out.stdout).into_owned())
    }

    /// A new database, with PostGIS in it or not.
    pub fn create_database(&self, name: &str, postgis: bool) {
        self.client("postgres")
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .unwrap();
        if postgis {
            self.client(name)
                .batch_execute("CREATE EXTENSION postgis")
                .unwrap();
        }
    }

    /// Runs `onemap ARGS` with PGPASSWORD set to `password`.
    pub fn onemap_with(&self, password: &str, args: &[&str]) -> (i32, String, String) {
        let out = Command::new(env!("CARGO_BIN_EXE_onemap"))
            .args(args)
            .env("PGPASSWORD", password)
            .env_remove("PGPASSFILE")
            .env_remove("PGSERVICE")
            .output()
            .unwrap();
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    /// Runs `onemap ARGS` as the superuser.
    pub fn onemap(&self, args: &[&str]) -> (i32, String, String) {
        self.onemap_with(PASSWORD, args)
    }
}

impl Drop for PostGis {
    fn drop(&mut self) {
        // Immediate: nothing in a test cluster is worth a clean shutdown's wait.
        let _ = self
            .server_command("pg_ctl")
            .arg("-D")
            .arg(self.data())
            .args(["-m", "immediate", "-w", "stop"])
            .output();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

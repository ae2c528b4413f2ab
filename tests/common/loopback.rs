//! A server on 127.0.0.1 for the tests of online features (never the internet).

use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

pub struct Loopback {
    pub port: u16,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Loopback {
    /// Accepts connections on a free port and hands each to `serve`, until stopped or
    /// dropped; bounded, it stops by itself after a minute whatever happens.
    pub fn start(serve: impl Fn(TcpStream) + Send + 'static) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let port = listener.local_addr().unwrap().port();
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let thread = std::thread::spawn(move || {
            let until = Instant::now() + Duration::from_secs(60);
            while !flag.load(Ordering::SeqCst) && Instant::now() < until {
                match listener.accept() {
                    Ok((stream, _)) => {
                        // Accepted sockets inherit non-blocking mode on some platforms.
                        stream.set_nonblocking(false).unwrap();
                        serve(stream);
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(5)),
                }
            }
        });
        Self {
            port,
            stop,
            thread: Some(thread),
        }
    }

    /// An XYZ tile URL template under `/kind/`.
    pub fn template(&self, kind: &str) -> String {
        format!(
            "http://127.0.0.1:{}/{kind}/{{z}}/{{x}}/{{y}}.png",
            self.port
        )
    }

    /// Stops accepting connections (the tiles' server is gone).
    pub fn stop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            t.join().unwrap();
        }
    }
}

impl Drop for Loopback {
    fn drop(&mut self) {
        self.stop();
    }
}

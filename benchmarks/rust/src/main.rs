//! Benchmark driver for the Rust side: the floor (raw reqwest + serde_json, one shared client
//! on a multi-thread tokio runtime) and the Nixflex core, on the workloads of
//! `benchmarks/README.md`. Every command prints one JSON object on stdout.
//!
//! ```text
//! nixflex-bench rates  --client floor|core --url U --key K --write-key W [--duration S] [--warmup S] [--workloads a,b]
//! nixflex-bench walk   --client core --url U --key K --mode iter|seq [--expect N]
//! nixflex-bench memory --client floor|core --url U --key K [--calls N] [--checkpoint N] [--concurrency C]
//! nixflex-bench ceiling --url U --key K [--calls N] [--connections C]
//! nixflex-bench mock-rate --url U --key K [--duration S] [--connections C]
//! ```

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use futures::StreamExt;
use serde_json::{Value, json};

/// Calls in flight in the `*_c32` workloads.
const IN_FLIGHT: usize = 32;
/// Agents in the read tenant: `agents.list` must return exactly these.
const LIST_LEN: usize = 25;
/// Page size of the walks (the envelope shape's cap).
const PAGE: i64 = 100;

const SYSTEM_PROMPT: &str = "You are the front desk of a dental practice. Greet the caller, find out what they need, \
book, move or cancel appointments, and answer questions about opening hours and prices. Be brief and friendly.";

type Res<T> = Result<T, String>;

#[derive(Clone, Copy, Debug)]
enum Workload {
    UsageSeq,
    List25Seq,
    List25C32,
    CreateSeq,
}

impl Workload {
    fn parse(name: &str) -> Res<Workload> {
        Ok(match name {
            "usage_seq" => Workload::UsageSeq,
            "list25_seq" => Workload::List25Seq,
            "list25_c32" => Workload::List25C32,
            "create_seq" => Workload::CreateSeq,
            other => return Err(format!("unknown workload {other}")),
        })
    }
    fn name(self) -> &'static str {
        match self {
            Workload::UsageSeq => "usage_seq",
            Workload::List25Seq => "list25_seq",
            Workload::List25C32 => "list25_c32",
            Workload::CreateSeq => "create_seq",
        }
    }
    fn concurrency(self) -> usize {
        match self {
            Workload::List25C32 => IN_FLIGHT,
            _ => 1,
        }
    }
}

/// The floor: what a Rust program would write by hand with reqwest, sending the same requests
/// as the SDK (same headers, an idempotency key on mutations) and parsing bodies into `Value`.
struct Floor {
    http: reqwest::Client,
    base: String,
    auth: reqwest::header::HeaderValue,
    write_auth: reqwest::header::HeaderValue,
}

impl Floor {
    fn new(base: &str, key: &str, write_key: &str) -> Res<Floor> {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let http = reqwest::Client::builder()
            .tcp_nodelay(true)
            .pool_idle_timeout(Duration::from_secs(60))
            .build()
            .map_err(|e| e.to_string())?;
        let header = |k: &str| {
            reqwest::header::HeaderValue::from_str(&format!("Bearer {k}"))
                .map_err(|e| e.to_string())
        };
        Ok(Floor {
            http,
            base: base.trim_end_matches('/').to_owned(),
            auth: header(key)?,
            write_auth: header(write_key)?,
        })
    }

    async fn get(&self, path: &str) -> Res<Value> {
        let response = self
            .http
            .get(format!("{}{path}", self.base))
            .header(reqwest::header::AUTHORIZATION, self.auth.clone())
            .header(reqwest::header::ACCEPT, "application/json")
            .header(reqwest::header::USER_AGENT, "nixflex-bench-floor/0")
            .send()
            .await
            .map_err(|e| e.to_string())?;
        if response.status() != 200 {
            return Err(format!("GET {path}: {}", response.status()));
        }
        let body = response.bytes().await.map_err(|e| e.to_string())?;
        serde_json::from_slice(&body).map_err(|e| e.to_string())
    }

    async fn create(&self) -> Res<Value> {
        let body = json!({"name": "Bench agent", "system_prompt": SYSTEM_PROMPT});
        let bytes = serde_json::to_vec(&body).map_err(|e| e.to_string())?;
        let response = self
            .http
            .post(format!("{}/v1/agents", self.base))
            .header(reqwest::header::AUTHORIZATION, self.write_auth.clone())
            .header(reqwest::header::ACCEPT, "application/json")
            .header(reqwest::header::USER_AGENT, "nixflex-bench-floor/0")
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .header("idempotency-key", uuid::Uuid::new_v4().to_string())
            .body(bytes)
            .send()
            .await
            .map_err(|e| e.to_string())?;
        if response.status() != 201 && response.status() != 200 {
            return Err(format!("POST /v1/agents: {}", response.status()));
        }
        let body = response.bytes().await.map_err(|e| e.to_string())?;
        serde_json::from_slice(&body).map_err(|e| e.to_string())
    }
}

enum Driver {
    Floor(Floor),
    Core {
        read: nixflex::Client,
        write: nixflex::Client,
    },
}

fn core_client(url: &str, key: &str) -> Res<nixflex::Client> {
    nixflex::Client::builder()
        .api_key(key)
        .base_url(url)
        .build()
        .map_err(|e| e.to_string())
}

impl Driver {
    fn new(client: &str, url: &str, key: &str, write_key: &str) -> Res<Driver> {
        match client {
            "floor" => Ok(Driver::Floor(Floor::new(url, key, write_key)?)),
            "core" => Ok(Driver::Core {
                read: core_client(url, key)?,
                write: core_client(url, write_key)?,
            }),
            other => Err(format!("unknown client {other}")),
        }
    }

    async fn one(&self, w: Workload) -> Res<()> {
        match (self, w) {
            (Driver::Floor(f), Workload::UsageSeq) => {
                let v = f.get("/v1/usage").await?;
                if !v.is_object() {
                    return Err("usage is not an object".into());
                }
            }
            (Driver::Floor(f), Workload::List25Seq | Workload::List25C32) => {
                let v = f.get("/v1/agents").await?;
                let n = v["agents"].as_array().map_or(0, Vec::len);
                if n != LIST_LEN {
                    return Err(format!("agents.list returned {n} agents"));
                }
            }
            (Driver::Floor(f), Workload::CreateSeq) => {
                let v = f.create().await?;
                if !v["agent_id"].is_string() {
                    return Err("no agent_id".into());
                }
            }
            (Driver::Core { read, .. }, Workload::UsageSeq) => {
                read.usage().get().await.map_err(|e| e.to_string())?;
            }
            (Driver::Core { read, .. }, Workload::List25Seq | Workload::List25C32) => {
                let page = read
                    .agents()
                    .list(&nixflex::models::AgentsListParams::default())
                    .await
                    .map_err(|e| e.to_string())?;
                if page.len() != LIST_LEN {
                    return Err(format!("agents.list returned {} agents", page.len()));
                }
            }
            (Driver::Core { write, .. }, Workload::CreateSeq) => {
                let mut body = nixflex::models::AgentCreate::new("Bench agent");
                body.system_prompt = Some(SYSTEM_PROMPT.to_owned());
                let agent = write
                    .agents()
                    .create(&body)
                    .await
                    .map_err(|e| e.to_string())?;
                if agent.agent_id.is_empty() {
                    return Err("no agent_id".into());
                }
            }
        }
        Ok(())
    }
}

/// Runs `w` with its concurrency until `duration` has passed; returns (calls, seconds).
async fn timed(d: &Arc<Driver>, w: Workload, duration: Duration) -> Res<(u64, f64)> {
    let start = Instant::now();
    let deadline = start + duration;
    let mut tasks = Vec::new();
    for _ in 0..w.concurrency() {
        let d = Arc::clone(d);
        tasks.push(tokio::spawn(async move {
            let mut n = 0u64;
            while Instant::now() < deadline {
                d.one(w).await?;
                n += 1;
            }
            Ok::<u64, String>(n)
        }));
    }
    let mut total = 0;
    for t in tasks {
        total += t.await.map_err(|e| e.to_string())??;
    }
    Ok((total, start.elapsed().as_secs_f64()))
}

/// Sequential workloads run on the caller's task, as a program awaiting each call would.
async fn timed_seq(d: &Driver, w: Workload, duration: Duration) -> Res<(u64, f64)> {
    let start = Instant::now();
    let deadline = start + duration;
    let mut n = 0u64;
    while Instant::now() < deadline {
        d.one(w).await?;
        n += 1;
    }
    Ok((n, start.elapsed().as_secs_f64()))
}

async fn measure(d: &Arc<Driver>, w: Workload, duration: Duration) -> Res<(u64, f64)> {
    if w.concurrency() == 1 {
        timed_seq(d, w, duration).await
    } else {
        timed(d, w, duration).await
    }
}

async fn rates(args: &Args) -> Res<Value> {
    let client = args.get("client")?;
    let d = Arc::new(Driver::new(
        client,
        args.get("url")?,
        args.get("key")?,
        args.get("write-key")?,
    )?);
    let duration = Duration::from_secs_f64(args.num("duration", 1.5)?);
    let warmup = Duration::from_secs_f64(args.num("warmup", 0.3)?);
    let names = args
        .opt("workloads")
        .unwrap_or("usage_seq,list25_seq,list25_c32,create_seq");
    let mut out = serde_json::Map::new();
    for name in names.split(',').filter(|s| !s.is_empty()) {
        let w = Workload::parse(name)?;
        measure(&d, w, warmup).await?;
        let (ops, seconds) = measure(&d, w, duration).await?;
        out.insert(
            w.name().into(),
            json!({"ops": ops, "seconds": seconds, "rate": ops as f64 / seconds}),
        );
    }
    Ok(json!({"client": client, "workloads": out}))
}

async fn walk(args: &Args) -> Res<Value> {
    let client = core_client(args.get("url")?, args.get("key")?)?;
    let mode = args.get("mode")?;
    let expect = args.num("expect", 0.0)? as u64;
    let start = Instant::now();
    let (items, pages) = match mode {
        "iter" => {
            let mut stream = client
                .calls()
                .iter(
                    &nixflex::models::CallsListParams::default(),
                    nixflex::WalkOptions::default(),
                )
                .map_err(|e| e.to_string())?;
            let mut n = 0u64;
            while let Some(call) = stream.next().await {
                call.map_err(|e| e.to_string())?;
                n += 1;
            }
            (n, None)
        }
        "seq" => {
            // What the official SDKs do: one page after the other until a short page.
            let (mut n, mut pages, mut offset) = (0u64, 0u64, 0i64);
            loop {
                let query = nixflex::models::CallsListParams {
                    limit: Some(PAGE),
                    offset: Some(offset),
                    ..Default::default()
                };
                let page = client
                    .calls()
                    .list(&query)
                    .await
                    .map_err(|e| e.to_string())?;
                pages += 1;
                n += page.len() as u64;
                offset += page.len() as i64;
                if (page.len() as i64) < PAGE {
                    break;
                }
            }
            (n, Some(pages))
        }
        other => return Err(format!("unknown walk mode {other}")),
    };
    let seconds = start.elapsed().as_secs_f64();
    if expect > 0 && items != expect {
        return Err(format!("the walk saw {items} items, expected {expect}"));
    }
    Ok(json!({"client": "core", "mode": mode, "items": items, "pages": pages, "seconds": seconds}))
}

/// The best any client can do on the walk tenant: every page (offsets known in advance, so no
/// first round trip) over `connections` concurrent requests, bodies read but never parsed.
async fn ceiling(args: &Args) -> Res<Value> {
    let key = args.get("key")?;
    let floor = Floor::new(args.get("url")?, key, key)?;
    let calls = args.num("calls", 10_000.0)? as u64;
    let connections = args.num("connections", 8.0)? as usize;
    let next = Arc::new(AtomicU64::new(0));
    let floor = Arc::new(floor);
    let start = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..connections {
        let (floor, next) = (Arc::clone(&floor), Arc::clone(&next));
        tasks.push(tokio::spawn(async move {
            loop {
                let offset = next.fetch_add(PAGE as u64, Ordering::AcqRel);
                if offset >= calls {
                    return Ok::<(), String>(());
                }
                let response = floor
                    .http
                    .get(format!(
                        "{}/v1/calls?limit={PAGE}&offset={offset}",
                        floor.base
                    ))
                    .header(reqwest::header::AUTHORIZATION, floor.auth.clone())
                    .send()
                    .await
                    .map_err(|e| e.to_string())?;
                if response.status() != 200 {
                    return Err(format!("calls.list: {}", response.status()));
                }
                response.bytes().await.map_err(|e| e.to_string())?;
            }
        }));
    }
    for t in tasks {
        t.await.map_err(|e| e.to_string())??;
    }
    Ok(
        json!({"client": "ceiling", "connections": connections, "pages": calls / PAGE as u64,
              "seconds": start.elapsed().as_secs_f64()}),
    )
}

/// The mock alone: bare reqwest sending `usage.get` from `connections` tasks for `duration`,
/// bodies read and not parsed, so that the figure is the server's (sharing the cores with this
/// process), not a client's.
async fn mock_rate(args: &Args) -> Res<Value> {
    let key = args.get("key")?;
    let floor = Arc::new(Floor::new(args.get("url")?, key, key)?);
    let duration = Duration::from_secs_f64(args.num("duration", 2.0)?);
    let connections = args.num("connections", 64.0)? as usize;
    let done = Arc::new(AtomicU64::new(0));
    let start = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..connections {
        let (floor, done) = (Arc::clone(&floor), Arc::clone(&done));
        tasks.push(tokio::spawn(async move {
            while start.elapsed() < duration {
                let response = floor
                    .http
                    .get(format!("{}/v1/usage", floor.base))
                    .header(reqwest::header::AUTHORIZATION, floor.auth.clone())
                    .send()
                    .await
                    .map_err(|e| e.to_string())?;
                if response.status() != 200 {
                    return Err(format!("usage.get: {}", response.status()));
                }
                response.bytes().await.map_err(|e| e.to_string())?;
                done.fetch_add(1, Ordering::Relaxed);
            }
            Ok::<(), String>(())
        }));
    }
    for t in tasks {
        t.await.map_err(|e| e.to_string())??;
    }
    let seconds = start.elapsed().as_secs_f64();
    let requests = done.load(Ordering::Relaxed);
    Ok(
        json!({"client": "mock-rate", "connections": connections, "requests": requests,
              "seconds": seconds, "rate": requests as f64 / seconds}),
    )
}

fn rss_mb() -> (f64, f64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse::<f64>().ok())
            .map_or(0.0, |kb| kb / 1024.0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

async fn memory(args: &Args) -> Res<Value> {
    let client = args.get("client")?;
    let key = args.get("key")?;
    let d = Arc::new(Driver::new(client, args.get("url")?, key, key)?);
    let calls = args.num("calls", 100_000.0)? as u64;
    let checkpoint = args.num("checkpoint", 10_000.0)? as u64;
    let concurrency = args.num("concurrency", IN_FLIGHT as f64)? as usize;
    let start = Instant::now();
    let mut points = serde_json::Map::new();
    let mut done = 0u64;
    for target in [checkpoint.min(calls), calls] {
        let todo = Arc::new(AtomicU64::new(target - done));
        let mut tasks = Vec::new();
        for _ in 0..concurrency {
            let (d, todo) = (Arc::clone(&d), Arc::clone(&todo));
            tasks.push(tokio::spawn(async move {
                while todo
                    .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| n.checked_sub(1))
                    .is_ok()
                {
                    d.one(Workload::UsageSeq).await?;
                }
                Ok::<(), String>(())
            }));
        }
        for t in tasks {
            t.await.map_err(|e| e.to_string())??;
        }
        done = target;
        points.insert(done.to_string(), json!(rss_mb().0));
    }
    let (_, peak) = rss_mb();
    Ok(json!({
        "client": client, "calls": calls, "concurrency": concurrency,
        "rss_mb": points, "peak_rss_mb": peak, "seconds": start.elapsed().as_secs_f64(),
    }))
}

/// `--name value` pairs.
struct Args(HashMap<String, String>);

impl Args {
    fn parse(raw: &[String]) -> Res<Args> {
        let mut map = HashMap::new();
        let mut it = raw.iter();
        while let Some(flag) = it.next() {
            let name = flag
                .strip_prefix("--")
                .ok_or_else(|| format!("unexpected argument {flag}"))?;
            let value = it.next().ok_or_else(|| format!("{flag} needs a value"))?;
            map.insert(name.to_owned(), value.clone());
        }
        Ok(Args(map))
    }
    fn opt(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(String::as_str)
    }
    fn get(&self, name: &str) -> Res<&str> {
        self.opt(name)
            .ok_or_else(|| format!("--{name} is required"))
    }
    fn num(&self, name: &str, default: f64) -> Res<f64> {
        match self.opt(name) {
            None => Ok(default),
            Some(v) => v
                .parse()
                .map_err(|_| format!("--{name}: not a number: {v}")),
        }
    }
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let raw: Vec<String> = std::env::args().skip(1).collect();
    let outcome = async {
        let (command, rest) = raw
            .split_first()
            .ok_or("usage: nixflex-bench rates|walk|memory ...")?;
        let args = Args::parse(rest)?;
        match command.as_str() {
            "rates" => rates(&args).await,
            "walk" => walk(&args).await,
            "memory" => memory(&args).await,
            "ceiling" => ceiling(&args).await,
            "mock-rate" => mock_rate(&args).await,
            other => Err(format!("unknown command {other}")),
        }
    }
    .await;
    match outcome {
        Ok(value) => println!("{value}"),
        Err(err) => {
            eprintln!("nixflex-bench: {err}");
            std::process::exit(1);
        }
    }
}

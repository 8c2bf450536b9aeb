-- wrk script for bench/ingest.sh: signed issues.labeled deliveries, each with its own X-GitHub-Delivery.
--
-- Environment (set by ingest.sh):
--   BENCH_PAYLOAD    path of the payload file, sent byte for byte
--   BENCH_SIGNATURE  "sha256=<hex>": HMAC-SHA256 of those exact bytes under WEBHOOK_SECRET (computed with openssl)
--   BENCH_RUN_ID     unique per wrk run (ingest.sh uses date + random), so ids never repeat across runs
--   BENCH_PATH       webhook path (default /api/github/webhooks)
--
-- Cost per request: one string concatenation (prefix .. counter .. suffix); the request is built once per
-- thread with wrk.format and split around a placeholder delivery id. No response() callback, so wrk does
-- not enter Lua per response (non-2xx answers are still counted by wrk itself).

local counter = 0
local prefix, suffix
local threads = {}
local thread_no = 0

function setup(thread)
  thread_no = thread_no + 1
  thread:set("tid", thread_no)
  table.insert(threads, thread)
end

function init(args)
  local path = os.getenv("BENCH_PAYLOAD")
  local signature = os.getenv("BENCH_SIGNATURE")
  local run = os.getenv("BENCH_RUN_ID") or tostring(os.time())
  local f = assert(io.open(path, "rb"), "cannot open BENCH_PAYLOAD " .. tostring(path))
  local body = f:read("*a")
  f:close()
  local placeholder = "@@DELIVERY@@"
  local req = wrk.format("POST", os.getenv("BENCH_PATH") or "/api/github/webhooks", {
    ["Content-Type"] = "application/json",
    ["X-GitHub-Event"] = "issues",
    ["X-Hub-Signature-256"] = signature,
    ["X-GitHub-Delivery"] = placeholder,
    ["User-Agent"] = "GitHub-Hookshot/bench",
  }, body)
  local at = assert(req:find(placeholder, 1, true), "placeholder not found")
  prefix = req:sub(1, at - 1) .. run .. "-" .. tostring(tid) .. "-"
  suffix = req:sub(at + #placeholder)
end

function request()
  counter = counter + 1
  return prefix .. counter .. suffix
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  -- One machine-readable line for ingest.sh; latencies in microseconds.
  io.write(string.format(
    "BENCH_RESULT requests=%d seconds=%.3f rps=%.1f p50_us=%d p90_us=%d p99_us=%d max_us=%d"
      .. " non2xx=%d connect=%d read=%d write=%d timeout=%d\n",
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    e.status, e.connect, e.read, e.write, e.timeout))
end

-- wrk script for bench/load.py: GET a random path of the file named after `--`, count
-- 4xx and 5xx answers, and print one JSON line with the figures at the end.
local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("seed", counter)
  table.insert(threads, thread)
end

function init(args)
  paths = {}
  for line in io.lines(args[1]) do paths[#paths + 1] = line end
  math.randomseed(os.time() * 100 + seed)
  status_4xx, status_5xx = 0, 0
end

function request()
  return wrk.format("GET", paths[math.random(#paths)])
end

function response(status, headers, body)
  if status >= 500 then
    status_5xx = status_5xx + 1
  elseif status >= 400 then
    status_4xx = status_4xx + 1
  end
end

function done(summary, latency, requests)
  local s4, s5 = 0, 0
  for _, thread in ipairs(threads) do
    s4 = s4 + thread:get("status_4xx")
    s5 = s5 + thread:get("status_5xx")
  end
  local errors = summary.errors
  io.write(string.format(
    '{"requests": %d, "seconds": %.2f, "p50_ms": %.1f, "p95_ms": %.1f, "p99_ms": %.1f, ' ..
    '"max_ms": %.1f, "status_4xx": %d, "status_5xx": %d, "socket_errors": %d}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    s4, s5, errors.connect + errors.read + errors.write + errors.timeout))
end

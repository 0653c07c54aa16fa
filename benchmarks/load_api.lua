-- wrk script for benchmarks/load_api.py: mixed dashboard reads, one path per request in turn.
-- Reports p50/p95/p99 and every kind of error as one JSON line (prefixed "WRK_JSON ").

local paths = {
  "/api/facts?country=SDN",
  "/api/facts?cause=disaster&date_from=2023-01-01&date_to=2023-06-30",
  "/api/facts?country=UKR&term=displaced&figure_min=1000",
  "/api/facts?review_status=accepted&sort=-date",
  "/api/facts?country=HTI&q=flood",
  "/api/facts?limit=100&offset=200",
  "/api/stats/timeline?country=COD",
  "/api/stats/timeline?cause=conflict&date_from=2022-01-01&date_to=2022-12-31",
  "/api/stats/histogram?country=PHL",
  "/api/articles?limit=20",
  "/api/facts/FACT_ID",
  "/api/articles/ARTICLE_ID",
  "/",
}
local counter = 0
local facts = 1000

-- args: the number of facts in the store (wrk ... -- ROWS); articles hold 5 facts each
function init(args)
  facts = tonumber(args[1] or "1000") or 1000
end

request = function()
  counter = counter + 1
  local path = paths[(counter % #paths) + 1]
  path = path:gsub("FACT_ID", tostring((counter * 7919) % facts + 1))
  path = path:gsub("ARTICLE_ID", tostring((counter * 104729) % math.floor(facts / 5) + 1))
  return wrk.format("GET", path)
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests": %d, "duration_s": %.3f, "rps": %.1f, "p50_ms": %.2f, "p95_ms": %.2f, ' ..
    '"p99_ms": %.2f, "max_ms": %.2f, "errors_connect": %d, "errors_read": %d, "errors_write": %d, ' ..
    '"errors_status": %d, "errors_timeout": %d}\n',
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, e.connect, e.read, e.write, e.status, e.timeout))
end

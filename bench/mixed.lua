-- A busy office's mix for wrk (issue #14): 70 % list pages 1–5, 25 % details of orders on those pages, 5 % edits
-- (PATCH of a created order's description). bench/mixed.sh writes the order ids to DETAIL_IDS and EDIT_IDS.
local function lines(path)
  local ids = {}
  for line in io.lines(path) do if #line > 0 then ids[#ids + 1] = line end end
  return ids
end

local details = lines(os.getenv("DETAIL_IDS"))
local edits = lines(os.getenv("EDIT_IDS"))
local counter = 0

request = function()
  counter = counter + 1
  local roll = math.random(100)
  if roll <= 70 then
    return wrk.format("GET", "/api/v1/orders/?page=" .. math.random(5))
  elseif roll <= 95 then
    return wrk.format("GET", "/api/v1/orders/" .. details[math.random(#details)] .. "/")
  end
  local headers = {}
  for name, value in pairs(wrk.headers) do headers[name] = value end
  headers["Content-Type"] = "application/json"
  local body = '{"description": "Правка ' .. counter .. '-' .. math.random(1000000) .. '"}'
  return wrk.format("PATCH", "/api/v1/orders/" .. edits[math.random(#edits)] .. "/", headers, body)
end

local statuses = {}
response = function(status)
  statuses[status] = (statuses[status] or 0) + 1
end

done = function(summary, latency, requests)
  io.write(string.format("MIX rps=%.1f p50=%.1fms p99=%.1fms requests=%d non2xx=%d socket_errors=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.requests, (summary.errors.status or 0),
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end

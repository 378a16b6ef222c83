-- wrk script of RouterLoad: POSTs request bodies read from a file (one JSON document per line),
-- each thread cycling through them from its own offset, and prints the figures RouterLoad reads
-- as "d4j <name> <value>" lines. Usage: wrk ... -s router-load.lua URL -- BODIES_FILE
local threads = 0

function setup(thread)
  thread:set("tid", threads)
  threads = threads + 1
end

function init(args)
  bodies = {}
  for line in io.lines(args[1]) do
    if #line > 0 then
      bodies[#bodies + 1] = line
    end
  end
  if #bodies == 0 then
    error("no request bodies in " .. args[1])
  end
  next_body = (tid * 7919) % #bodies
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
end

function request()
  next_body = next_body % #bodies + 1
  return wrk.format(nil, nil, nil, bodies[next_body])
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("d4j requests %d\n", summary.requests))
  io.write(string.format("d4j duration_us %d\n", summary.duration))
  io.write(string.format("d4j errors_connect %d\n", e.connect))
  io.write(string.format("d4j errors_read %d\n", e.read))
  io.write(string.format("d4j errors_write %d\n", e.write))
  io.write(string.format("d4j errors_status %d\n", e.status))
  io.write(string.format("d4j errors_timeout %d\n", e.timeout))
  for _, p in ipairs({ 50, 90, 99, 99.9 }) do
    io.write(string.format("d4j p%s_us %d\n", p, latency:percentile(p)))
  end
  io.write(string.format("d4j max_us %d\n", latency.max))
end

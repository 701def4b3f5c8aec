-- wrk script: every request is one GraphQL createPerson mutation (one person, one audit event).
--
--   wrk -t2 -c16 -d10s --timeout 30s --latency -s bench/create_person.lua http://127.0.0.1:18091/graphql \
--       -- <UNIT_ID> [SEND_SECONDS]
--
-- UNIT_ID (or the environment variable UNIT_ID) is the unit the people join; TOKEN (environment)
-- is the bearer token of an account with EDITOR or more on that unit.
--
-- SEND_SECONDS: each connection sends its last request SEND_SECONDS after its thread started
-- and then waits (delay() parks it), so the requests still in flight can be answered before
-- wrk stops at its -d. Without that pause wrk drops up to one request per connection at the
-- end whose mutation the server may still commit, and the audit chain could not be compared
-- exactly with the count of answered mutations. Omitted or 0: send until wrk stops.
--
-- Each wrk thread runs its own Lua state, so the counters below are per thread; done() runs
-- in the setup state and adds them up through the thread objects kept by setup(). It prints
-- one machine-readable line starting with BENCH_RESULT (times in ms):
--   sent responses ok non2xx gql_errors window_s rps p50_ms p90_ms p99_ms max_ms
--   socket_errors(connect/read/write/timeout) wrk_requests
-- ok = 2xx without "errors" in the body; non2xx = any other status; gql_errors = 2xx whose
-- body contains "errors". rps = responses / window_s, the time from the first thread's start
-- to the last response.

local ffi = require("ffi")
ffi.cdef([[
typedef struct { long tv_sec; long tv_nsec; } taizhang_bench_timespec;
int clock_gettime(int clk_id, taizhang_bench_timespec *tp);
]])
local CLOCK_MONOTONIC = 1
local timespec = ffi.new("taizhang_bench_timespec")

local function now()
    ffi.C.clock_gettime(CLOCK_MONOTONIC, timespec)
    return tonumber(timespec.tv_sec) + tonumber(timespec.tv_nsec) * 1e-9
end

-- Setup state (one): the threads, to read their counters in done().
local threads = {}

function setup(thread)
    table.insert(threads, thread)
end

-- Thread states (one per wrk thread): counters are globals so thread:get() can read them.
sent, responses, ok, non2xx, gql_errors = 0, 0, 0, 0, 0
started_at, last_response_at, stop_sending_at = 0, 0, math.huge

function init(args)
    local unit_id = args[1] or os.getenv("UNIT_ID")
    if unit_id == nil or unit_id == "" then
        error("create_person.lua: pass the unit id after --, or set UNIT_ID")
    end
    local send_seconds = tonumber(args[2] or os.getenv("SEND_SECONDS") or "0") or 0
    wrk.method = "POST"
    wrk.headers["Content-Type"] = "application/json"
    local token = os.getenv("TOKEN")
    if token == nil or token == "" then
        error("create_person.lua: set TOKEN to the bearer token of an account that may create people")
    end
    wrk.headers["Authorization"] = "Bearer " .. token
    wrk.body = '{"query":"mutation($i:CreatePersonInput!){createPerson(input:$i){person{id}}}",'
        .. '"variables":{"i":{"name":"压测人员","unitId":"' .. unit_id .. '","position":"科员"}}}'
    started_at = now()
    if send_seconds > 0 then
        stop_sending_at = started_at + send_seconds
    end
end

-- Called before every request (and only because it is defined).
function delay()
    if now() >= stop_sending_at then
        return 3600 * 1000 -- park this connection until wrk stops
    end
    sent = sent + 1
    return 0
end

function response(status, headers, body)
    responses = responses + 1
    last_response_at = now()
    if status < 200 or status > 299 then
        non2xx = non2xx + 1
    elseif body ~= nil and string.find(body, "errors", 1, true) then
        gql_errors = gql_errors + 1
    else
        ok = ok + 1
    end
end

function done(summary, latency, requests)
    local t = { sent = 0, responses = 0, ok = 0, non2xx = 0, gql_errors = 0 }
    local first_start, last_response = math.huge, 0
    for i, thread in ipairs(threads) do
        local row = {}
        for name, _ in pairs(t) do
            row[name] = thread:get(name) or 0
            t[name] = t[name] + row[name]
        end
        local s, l = thread:get("started_at") or 0, thread:get("last_response_at") or 0
        if s > 0 and s < first_start then first_start = s end
        if l > last_response then last_response = l end
        io.write(string.format("thread %d: sent %d, responses %d, ok %d, non-2xx %d, with errors %d\n",
            i, row.sent, row.responses, row.ok, row.non2xx, row.gql_errors))
    end
    local window = 0
    if last_response > first_start then window = last_response - first_start end
    local rps = 0
    if window > 0 then rps = t.responses / window end
    local e = summary.errors
    io.write(string.format(
        "BENCH_RESULT sent=%d responses=%d ok=%d non2xx=%d gql_errors=%d window_s=%.3f rps=%.1f "
            .. "p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f "
            .. "connect_errors=%d read_errors=%d write_errors=%d timeouts=%d wrk_requests=%d\n",
        t.sent, t.responses, t.ok, t.non2xx, t.gql_errors, window, rps,
        latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
        latency.max / 1000, e.connect, e.read, e.write, e.timeout, summary.requests))
end

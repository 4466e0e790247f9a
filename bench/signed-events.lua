-- wrk script: posts canonical call events, each with a fresh eventId, signed the Standard Webhooks way
-- (HMAC-SHA256 over "{id}.{timestamp}.{body}"). SHA-256, HMAC and base64 in plain LuaJIT (wrk has no crypto).
--   SCC_WEBHOOK_SECRET=whsec_... wrk -t2 -c32 -d30s -s bench/signed-events.lua http://127.0.0.1:8080/api/v1/calls/events
local bit = require("bit")
local band, bor, bxor, bnot, rshift, lshift, ror, tobit =
  bit.band, bit.bor, bit.bxor, bit.bnot, bit.rshift, bit.lshift, bit.ror, bit.tobit
local char, byte, rep, concat = string.char, string.byte, string.rep, table.concat

local K = {
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2 }

local function be32(x)
  return char(band(rshift(x, 24), 255), band(rshift(x, 16), 255), band(rshift(x, 8), 255), band(x, 255))
end

local W = {}
local function sha256(msg)
  local len = #msg
  local extra = (64 - (len + 9) % 64) % 64
  msg = msg .. "\128" .. rep("\0", extra) .. be32(math.floor(len * 8 / 4294967296)) .. be32(len * 8 % 4294967296)
  local h1, h2, h3, h4 = 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a
  local h5, h6, h7, h8 = 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19
  for chunk = 1, #msg, 64 do
    for i = 0, 15 do
      local a, b, c, d = byte(msg, chunk + i * 4, chunk + i * 4 + 3)
      W[i] = bor(lshift(a, 24), lshift(b, 16), lshift(c, 8), d)
    end
    for i = 16, 63 do
      local w15, w2 = W[i - 15], W[i - 2]
      local s0 = bxor(ror(w15, 7), ror(w15, 18), rshift(w15, 3))
      local s1 = bxor(ror(w2, 17), ror(w2, 19), rshift(w2, 10))
      W[i] = tobit(W[i - 16] + s0 + W[i - 7] + s1)
    end
    local a, b, c, d, e, f, g, h = h1, h2, h3, h4, h5, h6, h7, h8
    for i = 0, 63 do
      local S1 = bxor(ror(e, 6), ror(e, 11), ror(e, 25))
      local ch = bxor(band(e, f), band(bnot(e), g))
      local t1 = tobit(h + S1 + ch + K[i + 1] + W[i])
      local S0 = bxor(ror(a, 2), ror(a, 13), ror(a, 22))
      local maj = bxor(band(a, b), band(a, c), band(b, c))
      h, g, f, e, d, c, b, a = g, f, e, tobit(d + t1), c, b, a, tobit(t1 + S0 + maj)
    end
    h1, h2, h3, h4 = tobit(h1 + a), tobit(h2 + b), tobit(h3 + c), tobit(h4 + d)
    h5, h6, h7, h8 = tobit(h5 + e), tobit(h6 + f), tobit(h7 + g), tobit(h8 + h)
  end
  return be32(h1) .. be32(h2) .. be32(h3) .. be32(h4) .. be32(h5) .. be32(h6) .. be32(h7) .. be32(h8)
end

local B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
local function b64encode(s)
  local out = {}
  for i = 1, #s, 3 do
    local a, b, c = byte(s, i, i + 2)
    local n = lshift(a, 16) + lshift(b or 0, 8) + (c or 0)
    local c1, c2, c3, c4 = rshift(n, 18), band(rshift(n, 12), 63), band(rshift(n, 6), 63), band(n, 63)
    out[#out + 1] = B64:sub(c1 + 1, c1 + 1) .. B64:sub(c2 + 1, c2 + 1)
      .. (b and B64:sub(c3 + 1, c3 + 1) or "=") .. (c and B64:sub(c4 + 1, c4 + 1) or "=")
  end
  return concat(out)
end
local function b64decode(s)
  s = s:gsub("[^%w%+/]", "")
  local out, bits, nbits = {}, 0, 0
  for i = 1, #s do
    bits = bor(lshift(bits, 6), B64:find(s:sub(i, i), 1, true) - 1)
    nbits = nbits + 6
    if nbits >= 8 then
      nbits = nbits - 8
      out[#out + 1] = char(band(rshift(bits, nbits), 255))
    end
  end
  return concat(out)
end

local secret = os.getenv("SCC_WEBHOOK_SECRET") or error("set SCC_WEBHOOK_SECRET")
local key = b64decode(secret:gsub("^whsec_", ""))
if #key > 64 then key = sha256(key) end
key = key .. rep("\0", 64 - #key)
local ipad, opad = {}, {}
for i = 1, 64 do
  ipad[i] = char(bxor(byte(key, i), 0x36))
  opad[i] = char(bxor(byte(key, i), 0x5c))
end
ipad, opad = concat(ipad), concat(opad)
local function hmac(msg) return sha256(opad .. sha256(ipad .. msg)) end

-- self-check against the Standard Webhooks specification's test vector
do
  local k = b64decode("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw") .. rep("\0", 40)
  local ip, op = {}, {}
  for i = 1, 64 do ip[i] = char(bxor(byte(k, i), 0x36)); op[i] = char(bxor(byte(k, i), 0x5c)) end
  local sig = b64encode(sha256(concat(op) .. sha256(concat(ip) .. 'msg_p5jXN8AQM9LWM0D4loKWxJek.1614265330.{"test": 2432232314}')))
  assert(sig == "g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", "SHA-256/HMAC self-check failed: " .. sig)
end

local threads = {}
function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end

local counter = 0
function request()
  counter = counter + 1
  local id = string.format("evt_%d_%d_%d", tid or 0, os.time(), counter)
  local body = '{"eventId":"' .. id .. '","callId":"call_' .. id .. '","type":"call.ended",'
    .. '"occurredAt":"2026-11-24T10:17:05Z","direction":"inbound","status":"answered",'
    .. '"from":"+1 (415) 555-0134","to":"+14155550100","durationSeconds":116,'
    .. '"agent":{"id":"ag_17","email":"dana@acme.example"},"notes":"benchmark"}'
  local ts = tostring(os.time())
  return wrk.format("POST", nil, {
    ["Content-Type"] = "application/json",
    ["webhook-id"] = id,
    ["webhook-timestamp"] = ts,
    ["webhook-signature"] = "v1," .. b64encode(hmac(id .. "." .. ts .. "." .. body)),
  }, body)
end

function done(summary, latency, requests)
  local non2xx = summary.errors.status or 0
  io.write(string.format("requests=%d non2xx=%d socket_errors=%d\n", summary.requests, non2xx,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
  io.write(string.format("accepted_per_second=%.0f\n", (summary.requests - non2xx) / (summary.duration / 1e6)))
  io.write(string.format("latency_ms p50=%.2f p90=%.2f p99=%.2f max=%.2f\n",
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end

-- GCRA for one throttle key, atomically. The time is Redis's own (TIME), so nodes whose clocks differ agree;
-- Redis 5+ replicates a script's effects, not the script, so reading TIME before a write is allowed.
-- KEYS[1]: the throttle. Its value is the theoretical arrival time in microseconds; it expires when it falls
--          into the past, where it would mean the same as no value at all.
-- ARGV[1]: interval between cells (microseconds); ARGV[2]: tolerance, (max_burst - 1) intervals (microseconds);
-- ARGV[3]: '1' takes a cell when allowed, '0' only looks.
-- Returns 0 when a cell is allowed (and was taken when asked), else the microseconds until one is.
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
local interval = tonumber(ARGV[1])
local tolerance = tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or now)
if tat < now then
  tat = now
end
local ahead = tat - now
if ahead > tolerance then
  return math.ceil(ahead - tolerance)
end
if ARGV[3] == '1' then
  tat = tat + interval
  -- %.17g keeps every digit of the double; Lua's own tostring would round to 14
  redis.call('SET', KEYS[1], string.format('%.17g', tat), 'PX', math.ceil((tat - now) / 1000))
end
return 0

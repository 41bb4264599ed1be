-- Takes a connection lease when the limit allows, atomically.
-- KEYS[1]: the limit's sorted set: member = lease id, score = when the lease expires (Redis time, milliseconds).
-- ARGV[1]: the limit; ARGV[2]: lease ttl (ms); ARGV[3]: the new lease's id.
-- Returns 1 when the lease was taken, 0 when the limit is reached.
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then
  return 0
end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[3])
-- the set lives as long as its longest lease, so a limit nobody uses leaves nothing behind
local last = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
redis.call('PEXPIREAT', KEYS[1], last[2])
return 1

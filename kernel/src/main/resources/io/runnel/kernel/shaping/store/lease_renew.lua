-- Extends the leases a node still holds. A lease that had already expired (the node was cut off from Redis for
-- longer than the ttl) is added back: its connection is still open, so it counts again.
-- KEYS[1]: the limit's sorted set; ARGV[1]: lease ttl (ms); ARGV[2..]: the node's lease ids.
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local expiry = now + tonumber(ARGV[1])
for i = 2, #ARGV do
  redis.call('ZADD', KEYS[1], expiry, ARGV[i])
end
local last = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
redis.call('PEXPIREAT', KEYS[1], last[2])
return #ARGV - 1

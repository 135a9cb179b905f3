-- SPDX-License-Identifier: MIT
-- tests/lua/gc.lua - Lua's garbage collector on pagoda: many tables,
-- strings and closures made and dropped, weak tables, finalizers (__gc),
-- both collector modes and explicit steps. Every line is deterministic (no
-- addresses, no times, no byte counts that depend on the allocator); a
-- wrong answer fails an assert (lua exits 1). Run through stdin:
--
--     make lua && make run ELF=build/lua/lua-glibc ARGS=- STDIN=tests/lua/gc.lua

local function kb() return collectgarbage("count") end

print("gc: mode was " .. collectgarbage("incremental"))
collectgarbage()
local base = kb()

-- 1. garbage: 200,000 tables, strings and closures, none kept
local sum = 0
for i = 1, 200000 do
  local t = { i, tostring(i), i * 2 }
  local s = "s" .. i .. "-" .. (i % 97)
  local f = function() return i + #s end
  sum = sum + t[1] + f() - #t[2]
end
print("gc: churn sum " .. sum)
collectgarbage()
assert(kb() < base + 256, "memory after the churn was not given back")
print("gc: after the churn and a full collection, memory is back near the start")

-- 2. a live structure: a linked list of 50,000 nodes kept, then dropped
local list
for i = 1, 50000 do list = { value = i, next = list } end
collectgarbage()
local with_list = kb()
assert(with_list > base + 1024, "a 50,000-node list takes over 1 MiB")
local n, total = 0, 0
for node in function(_, node) if node then return node.next end end, nil, { next = list } do
  if node == nil then break end
  n = n + 1
  total = total + node.value
end
print("gc: list of " .. n .. " nodes, values sum to " .. total)
list = nil
collectgarbage()
assert(kb() < with_list - 1024, "dropping the list freed nothing")
print("gc: the dropped list is collected")

-- 3. weak tables
local weak_k = setmetatable({}, { __mode = "k" })
local weak_v = setmetatable({}, { __mode = "v" })
local keep = {}
for i = 1, 100 do
  local key = { id = i }
  weak_k[key] = i
  weak_v[i] = { id = i }
  if i % 10 == 0 then keep[#keep + 1] = key; keep[#keep + 1] = weak_v[i] end
end
weak_v.name = "strings are values, not collected"
collectgarbage()
local nk, nv, ksum = 0, 0, 0
for k, v in pairs(weak_k) do nk = nk + 1; ksum = ksum + v; assert(k.id == v) end
for _ in pairs(weak_v) do nv = nv + 1 end
print(string.format("gc: weak keys left %d (sum %d), weak values left %d", nk, ksum, nv))
assert(nk == 10 and ksum == 550 and nv == 11)
-- ephemeron: a value that refers to its own key does not keep it alive
local eph = setmetatable({}, { __mode = "k" })
do local k = {}; eph[k] = { back = k } end
collectgarbage()
assert(next(eph) == nil, "an ephemeron entry kept itself alive")
print("gc: ephemeron entry collected")

-- 4. finalizers, in reverse order of marking, each once; resurrection
local order = {}
for i = 1, 5 do
  setmetatable({}, { __gc = function() order[#order + 1] = i end })
end
collectgarbage()
print("gc: finalizers ran in order " .. table.concat(order, ","))
assert(table.concat(order, ",") == "5,4,3,2,1")
local saved
do
  setmetatable({ name = "phoenix" }, { __gc = function(o) saved = o end })
end
collectgarbage()
assert(saved and saved.name == "phoenix")
print("gc: a finalizer resurrected '" .. saved.name .. "'")
saved = nil
collectgarbage()
local closed = {}
do
  local a <close> = setmetatable({}, { __close = function() closed[#closed + 1] = "a" end })
  local b <close> = setmetatable({}, { __close = function() closed[#closed + 1] = "b" end })
end
print("gc: to-be-closed variables closed " .. table.concat(closed, ","))

-- 5. explicit steps, incremental: a cycle ends after finitely many steps
collectgarbage("incremental", 100, 200, 10)
for i = 1, 20000 do local _ = { i } end
local steps, done = 0, false
repeat
  steps = steps + 1
  done = collectgarbage("step", 0)
until done or steps > 100000
assert(done, "no cycle finished in 100,000 steps")
print("gc: incremental steps finish a cycle")
assert(collectgarbage("isrunning"))
collectgarbage("stop")
assert(not collectgarbage("isrunning"))
local before = kb()
for i = 1, 10000 do local _ = { i } end
assert(kb() > before + 256, "stopped, the collector still freed")
collectgarbage("restart")
collectgarbage()
print("gc: stop holds garbage, restart and collect free it")

-- 6. generational mode: young garbage goes in minor collections
print("gc: mode was " .. collectgarbage("generational", 20, 100))
local old = {}
for i = 1, 1000 do old[i] = { i } end
for round = 1, 50 do
  for i = 1, 2000 do local _ = { round, i, tostring(i) } end
  collectgarbage("step", 0)
end
local oldsum = 0
for i = 1, #old do oldsum = oldsum + old[i][1] end
print("gc: old objects intact under minor collections, sum " .. oldsum)
assert(oldsum == 500500)
print("gc: mode was " .. collectgarbage("incremental"))

-- 7. strings: interned short strings, long strings, many of them dropped
local seen = {}
for i = 1, 5000 do seen[("k%04d"):format(i % 1000)] = true end
local nseen = 0
for _ in pairs(seen) do nseen = nseen + 1 end
local long = string.rep("x", 100000)
local parts = {}
for i = 1, 100 do parts[i] = long .. i end
local lens = 0
for i = 1, #parts do lens = lens + #parts[i] end
parts = nil
collectgarbage()
print(string.format("gc: %d distinct short strings, long strings of %d bytes dropped", nseen, lens))
assert(kb() < base + 1024)
print("gc: done")

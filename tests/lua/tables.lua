-- SPDX-License-Identifier: MIT
-- tests/lua/tables.lua - Lua's table library on pagoda: sort (default
-- order, comparators, stability not assumed, big random arrays checked),
-- concat, insert/remove, move, pack/unpack, the length of sequences,
-- metatables (__index, __newindex, __len, __eq, __lt, __concat, __call),
-- iteration in a fixed order (pairs' order is not printed: it depends on
-- the string hash seed), coroutines. Deterministic output; a wrong answer
-- fails an assert (lua exits 1).
--
--     make lua && make run ELF=build/lua/lua-glibc ARGS=- STDIN=tests/lua/tables.lua

local function list(t, n) return table.concat(t, ",", 1, n or #t) end
local function sorted_keys(t)
  local keys = {}
  for k in pairs(t) do keys[#keys + 1] = tostring(k) end
  table.sort(keys)
  return table.concat(keys, ",")
end

-- sort
local t = { 5, 3, 8, 1, 9, 2, 7, 4, 6, 0 }
table.sort(t)
print("sort: " .. list(t))
table.sort(t, function(a, b) return a > b end)
print("sort desc: " .. list(t))
local words = { "pear", "Apple", "fig", "banana", "cherry", "date", "elderberry" }
table.sort(words)
print("sort strings: " .. list(words))
table.sort(words, function(a, b)
  if #a ~= #b then return #a < #b end
  return a:lower() < b:lower()
end)
print("sort by length: " .. list(words))
local people = {
  { name = "ada", age = 36 }, { name = "bob", age = 25 }, { name = "cy", age = 36 },
  { name = "dee", age = 19 }, { name = "eve", age = 25 },
}
table.sort(people, function(a, b)
  if a.age ~= b.age then return a.age > b.age end
  return a.name < b.name
end)
local names = {}
for i, p in ipairs(people) do names[i] = p.name .. "/" .. p.age end
print("sort records: " .. list(names))

math.randomseed(20261205)
local big = {}
for i = 1, 50000 do big[i] = math.random(1, 1000000) end
local sum_before = 0
for i = 1, #big do sum_before = sum_before + big[i] end
table.sort(big)
local sum_after = 0
for i = 1, #big do
  sum_after = sum_after + big[i]
  if i > 1 then assert(big[i - 1] <= big[i], "not sorted at " .. i) end
end
assert(sum_before == sum_after)
print(string.format("sort 50000 random: first %d, median %d, last %d, sum %d",
                    big[1], big[25000], big[50000], sum_after))
local fl = {}
for i = 1, 1000 do fl[i] = math.random() * 2 - 1 end
table.sort(fl)
print(string.format("sort floats: %.6f %.6f %.6f", fl[1], fl[500], fl[1000]))
local ok, err = pcall(table.sort, { 3, 1, 2 }, function(a, b) return true end)
print("sort invalid order: " .. tostring(ok) .. " " .. (ok and "" or err:gsub("^.-:%d+: ", "")))
ok, err = pcall(table.sort, { 1, "x", 2 })
print("sort mixed: " .. tostring(ok) .. " " .. err:gsub("^.-:%d+: ", ""))

-- insert, remove, concat
local q = {}
for i = 1, 5 do table.insert(q, i * 10) end
table.insert(q, 1, 5)
table.insert(q, 4, 25)
print("insert: " .. list(q) .. " (#" .. #q .. ")")
print("remove: " .. table.remove(q) .. " " .. table.remove(q, 1) .. " " .. table.remove(q, 3) .. " -> " .. list(q))
local empty = {}
print("remove empty: " .. tostring(table.remove(empty)) .. " #" .. #empty)
print("concat: [" .. table.concat({ 1, 2.5, "x" }, ", ") .. "] [" .. table.concat({}, ",") ..
      "] [" .. table.concat({ "a", "b", "c", "d" }, "-", 2, 3) .. "]")
ok, err = pcall(table.concat, { 1, {}, 3 })
print("concat bad: " .. tostring(ok) .. " " .. err:gsub("^.-:%d+: ", ""))

-- move, pack, unpack
local src = { 1, 2, 3, 4, 5 }
print("move: " .. list(table.move(src, 2, 4, 1)))
print("move overlap: " .. list(table.move({ 1, 2, 3, 4, 5 }, 1, 4, 2)))
print("move to other: " .. list(table.move({ 1, 2, 3 }, 1, 3, 3, { 9, 9 })))
local packed = table.pack(1, nil, 3, nil)
print("pack: n=" .. packed.n .. " [1]=" .. tostring(packed[1]) .. " [3]=" .. tostring(packed[3]))
print("unpack: " .. select("#", table.unpack({ 1, 2, 3 })) .. " " ..
      list({ table.unpack({ 1, 2, 3, 4, 5 }, 2, 4) }))
local many = {}
for i = 1, 200 do many[i] = i end
print("unpack 200: " .. select("#", table.unpack(many)) .. " last " .. select(200, table.unpack(many)))

-- a big table: array and hash parts grow and shrink
local h = {}
for i = 1, 100000 do h[i] = i end
for i = 1, 100000 do h["k" .. i] = i end
local n, s = 0, 0
for k, v in pairs(h) do n = n + 1; s = s + v end
print("pairs: " .. n .. " entries, values sum " .. s .. ", length " .. #h)
for i = 1, 100000, 2 do h["k" .. i] = nil end
n = 0
for _ in pairs(h) do n = n + 1 end
print("after removing half the keys: " .. n)
print("keys in order: " .. sorted_keys({ z = 1, a = 2, [3] = 3, m = 4, [1] = 5 }))

-- metatables
local Vec = {}
Vec.__index = Vec
local function vec(x, y) return setmetatable({ x = x, y = y }, Vec) end
Vec.__add = function(a, b) return vec(a.x + b.x, a.y + b.y) end
Vec.__eq = function(a, b) return a.x == b.x and a.y == b.y end
Vec.__lt = function(a, b) return a:len2() < b:len2() end
Vec.__le = function(a, b) return a:len2() <= b:len2() end
Vec.__tostring = function(v) return "(" .. v.x .. "," .. v.y .. ")" end
Vec.__concat = function(a, b) return tostring(a) .. tostring(b) end
Vec.__len = function() return 2 end
Vec.__call = function(v, k) return v.x * k end
function Vec:len2() return self.x * self.x + self.y * self.y end
local a, b = vec(1, 2), vec(3, 4)
print("meta: " .. tostring(a + b) .. " " .. tostring(a == vec(1, 2)) .. " " .. tostring(a < b) ..
      " " .. tostring(b <= a) .. " " .. (a .. b) .. " #" .. #a .. " call " .. a(10))
local vs = { vec(3, 0), vec(1, 1), vec(0, 2), vec(5, 5), vec(0, 0) }
table.sort(vs)
local out = {}
for i, v in ipairs(vs) do out[i] = tostring(v) end
print("sort with __lt: " .. list(out))
local log = {}
local proxy = setmetatable({}, {
  __index = function(_, k) log[#log + 1] = "get " .. k; return k .. "!" end,
  __newindex = function(tbl, k, v) log[#log + 1] = "set " .. k; rawset(tbl, k, v * 2) end,
})
local got = proxy.foo
proxy.bar = 21
print("proxy: " .. got .. " " .. proxy.bar .. " " .. table.concat(log, ", "))
local defaults = setmetatable({}, { __index = { color = "red", size = 3 } })
defaults.size = 5
print("inherit: " .. defaults.color .. " " .. defaults.size .. " raw " .. tostring(rawget(defaults, "color")))

-- coroutines: a generator and a pipeline
local function range(n)
  return coroutine.wrap(function() for i = 1, n do coroutine.yield(i) end end)
end
local function filter(pred, gen)
  return coroutine.wrap(function()
    for v in gen do if pred(v) then coroutine.yield(v) end end
  end)
end
local primes = {}
for v in filter(function(x)
  if x < 2 then return false end
  for d = 2, math.floor(math.sqrt(x)) do if x % d == 0 then return false end end
  return true
end, range(100)) do primes[#primes + 1] = v end
print("coroutine primes: " .. #primes .. " " .. list(primes, 10) .. " ... " .. primes[#primes])
local co = coroutine.create(function(x, y)
  local z = coroutine.yield(x + y)
  local w = coroutine.yield(z * 2)
  return w, "end"
end)
local r = {}
for _, arg in ipairs({ { 1, 2 }, { 10 }, { 7 } }) do
  local res = { coroutine.resume(co, table.unpack(arg)) }
  r[#r + 1] = table.concat({ tostring(res[1]), tostring(res[2]), tostring(res[3]) }, "/")
end
print("coroutine: " .. table.concat(r, " ") .. " " .. coroutine.status(co))
print("tables: done")

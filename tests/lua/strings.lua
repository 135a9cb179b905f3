-- SPDX-License-Identifier: MIT
-- tests/lua/strings.lua - Lua's string library on pagoda: string.format
-- (integers, floats in every conversion, %q, %s padding), patterns (find,
-- match, gmatch, gsub with strings, tables and functions, anchors, %b,
-- %f), rep, byte/char, pack/unpack and utf8. Deterministic output; a wrong
-- answer fails an assert (lua exits 1).
--
--     make lua && make run ELF=build/lua/lua-glibc ARGS=- STDIN=tests/lua/strings.lua

local function show(name, ...)
  local out = {}
  for i = 1, select("#", ...) do out[i] = tostring((select(i, ...))) end
  print(name .. ": " .. table.concat(out, " | "))
end

-- format: integers and strings
show("int", string.format("%d %5d %-5d| %05d %+d %x %X %#x %o %c", 42, 42, 42, 42, 42, 255, 255, 255, 8, 65))
show("int64", string.format("%d %d %x", math.maxinteger, math.mininteger, -1))
show("str", string.format("[%s] [%10s] [%-10s] [%.3s]", "abc", "abc", "abc", "abcdef"))
show("q", string.format("%q", 'a "quoted"\n\0line\t\\end'))
show("q-num", string.format("%q %q %q", 1/3, math.mininteger, 255))
-- format: floats
local floats = { 0.0, -0.0, 1.0, 0.1, 1/3, 2/3, 123456.789, 1e-10, 6.02214076e23,
                 1.7976931348623157e308, 2.2250738585072014e-308, 4.9e-324, 2^53, -2.5 }
for _, x in ipairs(floats) do
  print(string.format("float: %.17g | %f | %.3f | %e | %.10E | %g | %G | %a | %10.4f | %-12.2e|",
                      x, x, x, x, x, x, x, x, x, x))
end
show("special", string.format("%f %f %f %e %g", 1/0, -1/0, 0/0 ~= 0/0 and 1 or 0, 1/0, -1/0))
show("tostring", 1/3, 10/2, 2^63, -0.0, 1e15, 1e16, 123456789012, 3 // 2, 3.0 // 2, 7 % -3, -7 % 3, 7.5 % 2)
show("tonumber", tonumber("0x10"), tonumber("  12  "), tonumber("1e2"), tonumber("z", 36),
     tonumber("777", 8), tonumber("0x1p4"), tonumber("12a"), tonumber(""), math.tointeger(3.0))

-- patterns
show("find", ("hello world"):find("o w"), ("hello world"):find("l+"), ("a.b"):find(".", 1, true),
     ("hello"):find("xyz"), ("hello"):find("", 10))
show("match", ("key = value"):match("^(%w+)%s*=%s*(%w+)$"))
show("match2", ("2026-12-05"):match("(%d+)-(%d+)-(%d+)"))
show("match3", ("  trim me  "):match("^%s*(.-)%s*$"), ("[[nested]]"):match("%[(%b[])%]"))
show("frontier", ("THE (quick) fox"):gsub("%f[%a]%a+", function(w) return w:lower() end))
show("position", ("abc"):match("()b()"))
local words = {}
for w in ("the quick brown fox jumps over the lazy dog"):gmatch("%a+") do words[#words + 1] = w end
show("gmatch", #words, table.concat(words, ","))
local pairs_seen = {}
for k, v in ("a=1, b=22, ccc=333"):gmatch("(%w+)=(%w+)") do pairs_seen[#pairs_seen + 1] = k .. ":" .. v end
show("gmatch2", table.concat(pairs_seen, " "))
show("gsub", ("hello world"):gsub("o", "0"))
show("gsub-n", ("hello world"):gsub("l", "L", 2))
show("gsub-cap", ("hello world"):gsub("(%w+) (%w+)", "%2 %1 %0 %%"))
show("gsub-table", ("$name is $age"):gsub("%$(%w+)", { name = "lua", age = 31 }))
show("gsub-func", ("1 2 3 4"):gsub("%d", function(d) return d * d end))
show("gsub-anchor", ("aaa"):gsub("^a", "b"), ("abc"):gsub("", "-"))
show("classes", ("a1 B2_c3!"):gsub("[%l]", "l"), ("a1 B2_c3!"):gsub("[^%w%s]", "?"))
local ok, err = pcall(string.rep)
show("error", ok, (err:gsub("^.-:%d+: ", "")))
ok, err = pcall(string.find, "x", "[a")
show("bad-pattern", ok, (err:gsub("^.-:%d+: ", "")))

-- rep, sub, upper, lower, reverse, len
show("rep", ("ab"):rep(3), ("ab"):rep(3, ","), #("x"):rep(1000000), ("x"):rep(0))
show("sub", ("abcdef"):sub(2, 4), ("abcdef"):sub(-3), ("abcdef"):sub(4, 2), ("abcdef"):sub(-100, 100))
show("case", ("MiXeD 123"):upper(), ("MiXeD 123"):lower(), ("stressed"):reverse(), #"\0\1\2")

-- byte and char
show("byte", ("ABC"):byte(1, -1))
show("char", string.char(72, 105, 0, 255):byte(1, -1))
local all = {}
for i = 0, 255 do all[#all + 1] = string.char(i) end
local s256 = table.concat(all)
local bsum = 0
for i = 1, #s256 do bsum = bsum + s256:byte(i) end
show("bytes", #s256, bsum)
assert(bsum == 255 * 256 // 2)

-- pack and unpack
local packed = string.pack("<i4 >i4 i8 d f s1 z B h", -2, 258, math.maxinteger, 1/3, 0.5, "hi", "zero", 200, -300)
show("pack", #packed, (packed:gsub(".", function(c) return string.format("%02x", c:byte()) end)))
show("unpack", string.unpack("<i4 >i4 i8 d f s1 z B h", packed))
show("packsize", string.packsize("i4 i8 d"), string.packsize("!8 i1 i8"), string.packsize("<i3"))
show("unpack-pos", string.unpack("<I2", "\1\2\3\4", 3))
ok, err = pcall(string.pack, "i1", 200)
show("pack-overflow", ok, (err:gsub("^.-:%d+: ", "")))

-- utf8
local u = "héllo wörld ✓ 😀"
show("utf8-len", #u, utf8.len(u))
local cps = {}
for _, c in utf8.codes(u) do cps[#cps + 1] = c end
show("utf8-codes", table.concat(cps, ","))
show("utf8-char", utf8.char(72, 233, 0x2713, 0x1F600), utf8.codepoint(u, 1, 3))
show("utf8-offset", utf8.offset(u, 3), utf8.offset(u, -1), utf8.len("\xff"))
show("utf8-pattern", #utf8.charpattern, (u:gsub(utf8.charpattern, "."):len()))

-- concatenation and numbers to strings at scale
local buf = {}
for i = 1, 10000 do buf[i] = string.format("%05d:%.2f", i, i / 7) end
local joined = table.concat(buf, ";")
show("big", #joined, joined:sub(1, 30), joined:sub(-20))
local want = #buf - 1
for i = 1, #buf do want = want + #buf[i] end
assert(#joined == want and select(2, joined:gsub(";", ";")) == 9999)
print("strings: done")

-- SPDX-License-Identifier: MIT
-- tests/lua/math.lua - Lua's math library on pagoda: integer and float
-- arithmetic (wrap-around, floor division, modulo, shifts), conversions,
-- the libm functions through the C library (sin, exp, log, pow, fmod...),
-- special values, and the seeded xoshiro256** generator. Deterministic
-- output; a wrong answer fails an assert (lua exits 1).
--
--     make lua && make run ELF=build/lua/lua-glibc ARGS=- STDIN=tests/lua/math.lua

local function g(x) return string.format("%.15g", x) end

-- integers
print("int: " .. table.concat({ 7 // 2, -7 // 2, 7 % 3, -7 % 3, 7 % -3, 2^10, 1 << 62,
                                  math.maxinteger + 1 == math.mininteger and 1 or 0,
                                  math.mininteger // -1, 0xff ~ 0x0f, ~0, -1 >> 60, 3 & 5, 3 | 5 }, " "))
print("int types: " .. math.type(1) .. " " .. math.type(1.0) .. " " .. tostring(math.type("1")) ..
      " " .. tostring(math.tointeger(2^53)) .. " " .. tostring(math.tointeger(0.5)))
print("ult: " .. tostring(math.ult(1, -1)) .. " " .. tostring(math.ult(-1, 1)) ..
      " abs " .. math.abs(math.mininteger) .. " " .. math.abs(-3.5))
local ok, err = pcall(function() return 1 // 0 end)
print("int div by zero: " .. tostring(ok) .. " " .. err:gsub("^.-:%d+: ", ""))
print("float div by zero: " .. g(1 // 0.0) .. " " .. g(-1 % math.huge) .. " " .. g(1 / 0))

-- floats and conversions
print("floor/ceil: " .. math.floor(3.7) .. " " .. math.floor(-3.7) .. " " .. math.ceil(3.2) .. " " ..
      math.ceil(-3.2) .. " " .. math.type(math.floor(1e100)) .. " " .. g(math.fmod(7.5, 2)) ..
      " " .. g(math.fmod(-7, 3)) .. " " .. math.fmod(-7, 3))
local ip, fp = math.modf(-3.75)
print("modf: " .. g(ip) .. " " .. g(fp) .. " " .. g(select(2, math.modf(math.huge))))
print("minmax: " .. math.max(3, 7.5, -1) .. " " .. math.min(3, 7.5, -1) .. " " .. math.max(1, 2) ..
      " huge " .. g(math.huge) .. " " .. g(-math.huge) .. " pi " .. g(math.pi))
local nan = 0 / 0
print("nan: " .. tostring(nan ~= nan) .. " " .. tostring(nan == nan) .. " " .. tostring(math.max(nan, 1) ~= math.max(nan, 1)))

-- libm
local xs = { 0, 0.5, 1, 2, math.pi / 6, math.pi / 4, 10, -3.25, 1e-5, 100 }
for _, x in ipairs(xs) do
  print(string.format("f(%s): sin %s cos %s tan %s exp %s sqrt %s atan %s",
                      g(x), g(math.sin(x)), g(math.cos(x)), g(math.tan(x)), g(math.exp(x)),
                      g(math.sqrt(math.abs(x))), g(math.atan(x))))
end
for _, x in ipairs({ 0.001, 0.5, 1, 2, math.exp(1), 10, 1000, 1e300 }) do
  print(string.format("log(%s): %s log2 %s log10 %s asin %s acos %s",
                      g(x), g(math.log(x)), g(math.log(x, 2)), g(math.log(x, 10)),
                      g(math.asin(math.min(x, 1))), g(math.acos(math.min(x, 1)))))
end
print("pow: " .. g(2^0.5) .. " " .. g(10^-3) .. " " .. g((-8)^(1/3)) .. " " .. g(2^1023 * 2) ..
      " " .. g(0^0) .. " " .. g(math.atan(1, -1)) .. " " .. g(math.atan(-0.0, -1)))
print("log special: " .. g(math.log(0)) .. " " .. tostring(math.log(-1) ~= math.log(-1)) ..
      " exp " .. g(math.exp(710)) .. " " .. g(math.exp(-750)))
local e = 0
for k = 0, 20 do
  local f = 1
  for j = 2, k do f = f * j end
  e = e + 1 / f
end
print("series e: " .. g(e) .. " error " .. string.format("%.3e", math.abs(e - math.exp(1))))
assert(math.abs(e - math.exp(1)) < 1e-15)
local s = 0
for k = 1, 100000 do s = s + 1 / (k * k) end
print("basel: " .. g(s) .. " vs pi^2/6 " .. g(math.pi ^ 2 / 6))
assert(math.abs(s - math.pi ^ 2 / 6) < 1e-4)

-- numbers and strings
print("tostring: " .. table.concat({ tostring(1e300 * 1e10), tostring(-(0 / 0) ~= 0), 2^63,
                                      math.maxinteger + 0.0, 1e100, 0.1 + 0.2, 100 // 1.0 }, " "))
print("string->number: " .. ("10" + 5) .. " " .. ("3.5" * 2) .. " " .. ("0x10" + 0) .. " " ..
      (10 .. 20) .. " " .. math.type("10" + 5) .. " " .. math.type("10" * 1.0))

-- random: seeded, so the same sequence every run
math.randomseed(42)
local r = {}
for i = 1, 8 do r[i] = math.random(1, 100) end
print("random ints: " .. table.concat(r, " "))
local fl = {}
for i = 1, 4 do fl[i] = string.format("%.12f", math.random()) end
print("random floats: " .. table.concat(fl, " "))
print("random big: " .. math.random(0) .. " " .. math.random(math.mininteger, math.maxinteger))
math.randomseed(42)
assert(math.random(1, 100) == r[1], "randomseed(42) does not repeat the sequence")
local counts = { 0, 0, 0, 0, 0, 0 }
math.randomseed(7, 11)
for _ = 1, 60000 do local d = math.random(6); counts[d] = counts[d] + 1 end
print("dice: " .. table.concat(counts, " "))
for d = 1, 6 do assert(counts[d] > 9000 and counts[d] < 11000) end
ok, err = pcall(math.random, 2, 1)
print("random empty: " .. tostring(ok) .. " " .. err:gsub("^.-:%d+: ", ""))

-- a numeric workload: Mandelbrot in characters
local rows = {}
for y = -1.2, 1.2001, 0.2 do
  local row = {}
  for x = -2.1, 0.6001, 0.075 do
    local zr, zi, i = 0.0, 0.0, 0
    while i < 50 and zr * zr + zi * zi < 4 do
      zr, zi = zr * zr - zi * zi + x, 2 * zr * zi + y
      i = i + 1
    end
    row[#row + 1] = i == 50 and "#" or (i > 8 and "+" or ".")
  end
  rows[#rows + 1] = table.concat(row)
end
for _, row in ipairs(rows) do print("mandel: " .. row) end
print("math: done")

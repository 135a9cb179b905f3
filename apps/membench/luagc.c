// SPDX-License-Identifier: MIT
/*
 * apps/membench/luagc.c - the lua-gc workload: Lua 5.4's interpreter (the
 * core and its base, coroutine, table, string, math and utf8 libraries,
 * Debian's source, built into every variant by membench.mk) running a
 * garbage-heavy script written here, with the variant's malloc under it.
 *
 * Lua allocates only through the lua_Alloc function a state is made with:
 * here it calls malloc for a new block, realloc to resize one, free to
 * drop one (free(NULL), which Lua's own l_alloc would make, is left out:
 * no allocator work). The script runs twice, in fresh states:
 *
 *   1. bare: the lua_Alloc calls the allocator directly; the instructions
 *      of the whole run (lua_newstate, the libraries, the script,
 *      lua_close) are "total_instr": the interpreter's speed with this
 *      allocator under it, nothing of the harness's in it;
 *   2. counted: every call through mb_malloc(), mb_realloc(), mb_free(),
 *      as the other workloads count them: "ops", "instr_per_op",
 *      "max_op_instr", footprint and faults.
 *
 * The two runs make the same calls: the string hash seed is fixed
 * (membench.mk defines luai_makeseed), the script uses no time, no
 * addresses and no random numbers, and the collector's pacing depends only
 * on the sizes Lua asks for. So every allocator sees the same sequence.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lauxlib.h"
#include "lua.h"
#include "lualib.h"

#include "membench.h"

/*
 * The script: SCALE (an integer global) sets the rounds. Integers only
 * (the picolibc builds have no FPU: floats would measure soft-float).
 */
static const char script[] =
	"local n = SCALE\n"
	"local sink = 0\n"
	/* 1. small tables made and dropped, a ring of 512 kept a while */
	"local ring = {}\n"
	"for i = 1, n do\n"
	"  local t = { i, i + 1, x = i, y = tostring(i) }\n"
	"  ring[i % 512 + 1] = t\n"
	"  sink = sink + #t + #t.y\n"
	"end\n"
	"ring = nil\n"
	"collectgarbage()\n"
	/* 2. strings: concatenation, pieces joined by table.concat, gsub */
	"local parts = {}\n"
	"for i = 1, n do\n"
	"  parts[#parts + 1] = 'k' .. i .. ':' .. (i * 7) % 1000\n"
	"  if #parts == 256 then\n"
	"    local s = table.concat(parts, ',')\n"
	"    sink = sink + #s + #s:gsub('k', 'key'):upper()\n"
	"    parts = {}\n"
	"  end\n"
	"end\n"
	"local acc = ''\n"
	"for i = 1, n // 4 do\n"
	"  acc = acc .. string.char(97 + i % 26) .. i\n"
	"  if #acc > 4096 then sink = sink + #acc; acc = acc:sub(-1024) end\n"
	"end\n"
	"collectgarbage()\n"
	/* 3. closures and their upvalues, coroutines */
	"local function counter(k)\n"
	"  local c = 0\n"
	"  return function() c = c + k; return c end\n"
	"end\n"
	"for i = 1, n do\n"
	"  local f = counter(i)\n"
	"  f(); sink = sink + f()\n"
	"end\n"
	"for i = 1, n // 64 do\n"
	"  local co = coroutine.wrap(function(a)\n"
	"    for j = 1, 8 do a = coroutine.yield(a + j) end\n"
	"    return a\n"
	"  end)\n"
	"  local v = i\n"
	"  for j = 1, 9 do v = co(v) end\n"
	"  sink = sink + v\n"
	"end\n"
	/* 4. tables grown by insertion (array and hash parts), then dropped */
	"collectgarbage('generational')\n"
	"for r = 1, n // 1000 + 1 do\n"
	"  local a, h = {}, {}\n"
	"  for i = 1, 1000 do\n"
	"    a[#a + 1] = i\n"
	"    h['h' .. (i * r)] = i\n"
	"  end\n"
	"  for i = 1, 1000, 3 do h['h' .. (i * r)] = nil end\n"
	"  for i = 1, 500 do table.remove(a) end\n"
	"  sink = sink + a[#a] + #a\n"
	"end\n"
	"collectgarbage('incremental')\n"
	/* 5. trees of tables, built whole and dropped (binary-trees' shape) */
	"local function tree(d)\n"
	"  if d == 0 then return {} end\n"
	"  return { tree(d - 1), tree(d - 1) }\n"
	"end\n"
	"local function check(t)\n"
	"  if t[1] then return 1 + check(t[1]) + check(t[2]) end\n"
	"  return 1\n"
	"end\n"
	"local long = tree(10)\n"
	"for i = 1, n // 2048 + 1 do\n"
	"  sink = sink + check(tree(8))\n"
	"  if i % 4 == 0 then collectgarbage('step', 64) end\n"
	"end\n"
	"sink = sink + check(long)\n"
	"long = nil\n"
	/* 6. weak values and a last full cycle */
	"local cache = setmetatable({}, { __mode = 'v' })\n"
	"for i = 1, n // 4 do cache[i % 1000] = { i } end\n"
	"collectgarbage()\n"
	"return sink\n";

static struct mb_run *counted; /* the run the calls count into, or NULL */
static uint64_t calls;	       /* the bare run's allocator calls */

static void *alloc_fn(void *ud, void *p, size_t old, size_t n)
{
	(void)ud;
	if (n == 0) {
		if (p) {
			calls++;
			if (counted)
				mb_free(counted, p, old);
			else
				free(p);
		}
		return NULL;
	}
	calls++;
	/* p NULL: old is the kind of object, not a size */
	if (!p)
		return counted ? mb_malloc(counted, n) : malloc(n);
	return counted ? mb_realloc(counted, p, old, n) : realloc(p, n);
}

static const luaL_Reg libs[] = {
	{ LUA_GNAME, luaopen_base },
	{ LUA_COLIBNAME, luaopen_coroutine },
	{ LUA_TABLIBNAME, luaopen_table },
	{ LUA_STRLIBNAME, luaopen_string },
	{ LUA_MATHLIBNAME, luaopen_math },
	{ LUA_UTF8LIBNAME, luaopen_utf8 },
	{ NULL, NULL },
};

/* One run in a fresh state: 0, or -1 with the error on stderr. */
static int run(long long scale, long long *sink)
{
	lua_State *L = lua_newstate(alloc_fn, NULL);
	int ret = -1;

	if (!L) {
		fprintf(stderr, "lua-gc: lua_newstate failed\n");
		return -1;
	}
	for (const luaL_Reg *lib = libs; lib->func; lib++) {
		luaL_requiref(L, lib->name, lib->func, 1);
		lua_pop(L, 1);
	}
	lua_pushinteger(L, scale);
	lua_setglobal(L, "SCALE");
	if (luaL_dostring(L, script) != LUA_OK)
		fprintf(stderr, "lua-gc: %s\n", lua_tostring(L, -1));
	else if (!lua_isinteger(L, -1))
		fprintf(stderr, "lua-gc: the script returned no integer\n");
	else {
		*sink = lua_tointeger(L, -1);
		ret = 0;
	}
	lua_close(L);
	return ret;
}

void wl_lua_gc(void)
{
	long long scale = MB_SCALE(20000, 2000), bare = 0, sink = 0;
	struct mb_run r;
	uint64_t t0, t1;
	int bad;

	counted = NULL;
	calls = 0;
	t0 = mb_instret();
	bad = run(scale, &bare);
	t1 = mb_instret();

	counted = &r;
	mb_begin(&r, "lua-gc", calls);
	r.total_instr = t1 - t0;
	if (bad || run(scale, &sink))
		r.error = r.error ? r.error : "the Lua script failed";
	else if (sink != bare)
		r.error = "the two runs gave different results";
	counted = NULL;
	mb_end(&r);
}

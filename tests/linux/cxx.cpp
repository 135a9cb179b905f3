// SPDX-License-Identifier: MIT
/*
 * tests/linux/cxx.cpp - C++ with the standard library: iostream (and its
 * formatting), std::string, std::vector, std::map, std::sort, exceptions
 * thrown through frames (destructors run, a custom type, std::out_of_range
 * from vector::at, catch (...)), and a static object's destructor at exit.
 */
#include <algorithm>
#include <iomanip>
#include <iostream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

struct Noisy {
	std::string name;
	explicit Noisy(std::string n) : name(std::move(n)) { std::cout << "cxx: make " << name << "\n"; }
	~Noisy() { std::cout << "cxx: destroy " << name << "\n"; }
};

struct Custom {
	int code;
};

static Noisy global("global");

static int thrower(int depth)
{
	Noisy n("frame " + std::to_string(depth));
	if (depth == 0)
		throw Custom{42};
	return thrower(depth - 1) + 1;
}

int main()
{
	std::vector<int> v;
	for (int i = 0; i < 1000; i++)
		v.push_back((i * 7919) % 1000);
	std::sort(v.begin(), v.end());
	bool sorted = std::is_sorted(v.begin(), v.end());
	std::cout << "cxx: vector of " << v.size() << " sorted " << (sorted ? "yes" : "no")
		  << ", front " << v.front() << ", back " << v.back() << "\n";

	std::map<std::string, int> words;
	std::istringstream in("the quick brown fox jumps over the lazy dog the end");
	for (std::string w; in >> w;)
		words[w]++;
	for (const auto &kv : words)
		std::cout << "cxx: " << kv.first << " " << kv.second << "\n";

	std::string s = "pagoda";
	s += " runs C++";
	std::transform(s.begin(), s.end(), s.begin(), ::toupper);
	std::cout << "cxx: " << s << " (" << s.size() << " chars)\n";
	std::cout << "cxx: " << std::fixed << std::setprecision(3) << 3.14159265 << " "
		  << std::scientific << 12345.678 << " " << std::hex << 255 << std::dec << "\n";

	try {
		thrower(3);
	} catch (const Custom &c) {
		std::cout << "cxx: caught Custom " << c.code << "\n";
	}
	try {
		std::cout << v.at(5000) << "\n";
	} catch (const std::out_of_range &e) {
		std::cout << "cxx: caught out_of_range\n";
	}
	try {
		throw std::runtime_error("a runtime_error");
	} catch (...) {
		std::cout << "cxx: caught (...)\n";
	}
	std::cerr << "cxx: to cerr\n";
	std::cout << "cxx: done" << std::endl;
	return 5;
}

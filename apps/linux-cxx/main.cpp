// SPDX-License-Identifier: MIT
/*
 * apps/linux-cxx - C++ as a Linux program uses it: iostream (whose
 * initialisation asks futex(2)), vector, string, map, an exception thrown
 * and caught, a destructor that runs. Its output is compared with the same
 * binary under qemu-riscv64 (scenario linux-cxx).
 */
#include <algorithm>
#include <iostream>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

struct Noisy {
	std::string name;
	explicit Noisy(std::string n) : name(std::move(n))
	{
	}
	~Noisy()
	{
		std::cout << "destroyed " << name << std::endl;
	}
};

static int parse(const std::string &s)
{
	if (s.empty() || !std::all_of(s.begin(), s.end(), ::isdigit))
		throw std::invalid_argument("not a number: '" + s + "'");
	return std::stoi(s);
}

int main(int argc, char **argv)
{
	std::vector<std::string> args(argv + 1, argv + argc);
	std::map<std::string, int> count;
	int sum = 0;

	for (const auto &a : args)
		count[a]++;
	for (const auto &kv : count)
		std::cout << kv.first << " x" << kv.second << std::endl;
	{
		Noisy n("scope");
		for (const auto &a : args) {
			try {
				sum += parse(a);
			} catch (const std::invalid_argument &e) {
				std::cout << "caught: " << e.what() << std::endl;
			}
		}
	}
	std::vector<int> v(1000);
	for (int i = 0; i < 1000; i++)
		v[i] = (i * 7919) % 1000;
	std::sort(v.begin(), v.end());
	std::cout << "sum " << sum << ", sorted " << v.front() << ".."
		  << v.back() << ", 1.5 * sum = " << 1.5 * sum << std::endl;
	return sum % 256;
}

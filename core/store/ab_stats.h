#pragma once
// Blind A/B results for the comparison view: per pairing of arms, how often
// each won, with a 95 % Wilson score interval (it stays inside [0, 1] and
// behaves for few picks, where the normal approximation does not).
// "Neither" is counted apart: it says both lost, not who won.
#include "core/store/store.h"

#include <cstdint>
#include <string>
#include <vector>

namespace fabula {

struct WilsonInterval {
    double p = 0;     // wins / n (0 when n is 0)
    double low = 0;   // 0..1
    double high = 1;  // 0..1; [0, 1] when n is 0: nothing is known
};

// z: the normal quantile; 1.959964 gives 95 %. Wins must be in 0..n.
WilsonInterval wilson_interval(std::int64_t wins, std::int64_t n, double z = 1.959963984540054);

// One pairing of arms, whatever side each was shown on; first < second by name.
struct AbPairing {
    std::string first, second;
    std::int64_t first_wins = 0, second_wins = 0;
    std::int64_t neither = 0;
    std::int64_t picks() const { return first_wins + second_wins; } // the ones that decided
    WilsonInterval first_rate() const { return wilson_interval(first_wins, picks()); }
};

// Sorted by the arms' names.
std::vector<AbPairing> ab_comparison(const std::vector<AbPick>& picks);

} // namespace fabula

#include "core/store/ab_stats.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <stdexcept>
#include <utility>

namespace fabula {

WilsonInterval wilson_interval(std::int64_t wins, std::int64_t n, double z) {
    if (n < 0 || wins < 0 || wins > n) throw std::invalid_argument("wilson_interval: wins must be in 0..n");
    if (n == 0) return {};
    const double nn = static_cast<double>(n);
    const double p = static_cast<double>(wins) / nn;
    const double z2 = z * z;
    const double centre = (p + z2 / (2 * nn)) / (1 + z2 / nn);
    const double half = z / (1 + z2 / nn) * std::sqrt(p * (1 - p) / nn + z2 / (4 * nn * nn));
    // At 0 and n the bounds are exactly 0 and 1; rounding must not put p outside them.
    return {p, wins == 0 ? 0.0 : std::max(0.0, centre - half), wins == n ? 1.0 : std::min(1.0, centre + half)};
}

std::vector<AbPairing> ab_comparison(const std::vector<AbPick>& picks) {
    std::map<std::pair<std::string, std::string>, AbPairing> by;
    for (const AbPick& p : picks) {
        const bool swapped = p.b_label < p.a_label;
        const std::string& first = swapped ? p.b_label : p.a_label;
        const std::string& second = swapped ? p.a_label : p.b_label;
        AbPairing& row = by[{first, second}];
        row.first = first;
        row.second = second;
        if (p.choice == AbChoice::Neither) {
            ++row.neither;
        } else if ((p.choice == AbChoice::A) != swapped) {
            ++row.first_wins;
        } else {
            ++row.second_wins;
        }
    }
    std::vector<AbPairing> out;
    for (auto& [key, row] : by) out.push_back(std::move(row));
    return out;
}

} // namespace fabula

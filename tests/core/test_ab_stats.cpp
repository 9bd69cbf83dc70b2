// The comparison view's numbers: Wilson score intervals against values
// worked out by hand (published tables agree) and against the interval's
// other closed form, and the per-pairing counts from a fixed set of picks.
#include "check.h"
#include "core/store/ab_stats.h"

#include <cmath>
#include <stdexcept>

using namespace fabula;

namespace {
constexpr double kZ = 1.959963984540054;

// (2 n p + z^2 -/+ z sqrt(z^2 + 4 n p (1 - p))) / (2 (n + z^2)): the same
// interval written another way, so a slip in either shows.
std::pair<double, double> other_form(double wins, double n) {
    const double p = wins / n, z2 = kZ * kZ;
    const double root = kZ * std::sqrt(z2 + 4 * n * p * (1 - p));
    return {(2 * n * p + z2 - root) / (2 * (n + z2)), (2 * n * p + z2 + root) / (2 * (n + z2))};
}

AbPick pick(const char* a, const char* b, AbChoice c) {
    AbPick p;
    p.a_label = a;
    p.b_label = b;
    p.choice = c;
    return p;
}
} // namespace

TEST_CASE(wilson_matches_hand_values) {
    const WilsonInterval w = wilson_interval(7, 10);
    CHECK_NEAR(w.p, 0.7, 1e-12);
    CHECK_NEAR(w.low, 0.3968, 1e-4);
    CHECK_NEAR(w.high, 0.8922, 1e-4);
    const WilsonInterval half = wilson_interval(5, 10);
    CHECK_NEAR(half.low, 0.2366, 1e-4);
    CHECK_NEAR(half.high, 0.7634, 1e-4);
    // At the edges the interval still has width, unlike p +/- z se.
    const WilsonInterval none = wilson_interval(0, 10);
    CHECK_NEAR(none.low, 0.0, 1e-12);
    CHECK_NEAR(none.high, 0.2775, 1e-4);
    const WilsonInterval all = wilson_interval(10, 10);
    CHECK_NEAR(all.low, 0.7225, 1e-4);
    CHECK_NEAR(all.high, 1.0, 1e-12);
}

TEST_CASE(wilson_matches_the_other_closed_form) {
    for (int n : {1, 2, 3, 7, 10, 25, 100, 1000})
        for (int k = 0; k <= n; k += std::max(1, n / 7)) {
            const WilsonInterval w = wilson_interval(k, n);
            const auto [lo, hi] = other_form(k, n);
            CHECK_NEAR(w.low, std::max(0.0, lo), 1e-12);
            CHECK_NEAR(w.high, std::min(1.0, hi), 1e-12);
            CHECK(w.low <= w.p && w.p <= w.high);
        }
}

TEST_CASE(wilson_without_picks_knows_nothing) {
    const WilsonInterval w = wilson_interval(0, 0);
    CHECK_NEAR(w.low, 0.0, 0);
    CHECK_NEAR(w.high, 1.0, 0);
    CHECK_THROWS_WITH(std::invalid_argument, wilson_interval(3, 2), "0..n");
}

TEST_CASE(comparison_counts_each_pairing_whatever_the_side) {
    // base vs Mia: Mia wins 3 (twice shown as B, once as A), base 1, neither 2;
    // base vs hot: hot wins 1.
    const std::vector<AbPick> picks{
        pick("base", "Mia", AbChoice::B), pick("Mia", "base", AbChoice::A), pick("base", "Mia", AbChoice::B),
        pick("Mia", "base", AbChoice::B), pick("base", "Mia", AbChoice::Neither), pick("Mia", "base", AbChoice::Neither),
        pick("hot", "base", AbChoice::A),
    };
    const std::vector<AbPairing> rows = ab_comparison(picks);
    CHECK_EQ(rows.size(), std::size_t(2));
    // "Mia" < "base" < "hot" in byte order.
    CHECK_EQ(rows[0].first, std::string("Mia"));
    CHECK_EQ(rows[0].second, std::string("base"));
    CHECK_EQ(rows[0].first_wins, 3);
    CHECK_EQ(rows[0].second_wins, 1);
    CHECK_EQ(rows[0].neither, 2);
    CHECK_EQ(rows[0].picks(), 4);
    CHECK_NEAR(rows[0].first_rate().p, 0.75, 1e-12);
    const auto [lo, hi] = other_form(3, 4);
    CHECK_NEAR(rows[0].first_rate().low, lo, 1e-12);
    CHECK_NEAR(rows[0].first_rate().high, hi, 1e-12);
    CHECK_EQ(rows[1].first, std::string("base"));
    CHECK_EQ(rows[1].second, std::string("hot"));
    CHECK_EQ(rows[1].first_wins, 0);
    CHECK_EQ(rows[1].second_wins, 1);
    CHECK_EQ(rows[1].neither, 0);
}

FABULA_TEST_MAIN

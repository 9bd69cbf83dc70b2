#pragma once
// A minimal harness for the Qt-free tests of core/ and training/, so those
// libraries can be tested on a machine without Qt (a GPU box). The Qt parts
// are tested with Qt Test.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

namespace fabula_test {

struct Case {
    const char* name;
    void (*fn)();
};

inline std::vector<Case>& registry() {
    static std::vector<Case> cases;
    return cases;
}

struct Failure {
    std::string what;
};

struct Registrar {
    Registrar(const char* name, void (*fn)()) { registry().push_back({name, fn}); }
};

[[noreturn]] inline void fail(const char* file, int line, const std::string& what) {
    std::ostringstream os;
    os << file << ":" << line << ": " << what;
    throw Failure{os.str()};
}

inline int run_all(int argc, char** argv) {
    int failed = 0, ran = 0;
    for (const auto& c : registry()) {
        if (argc > 1 && std::string(argv[1]) != c.name) continue;
        ++ran;
        try {
            c.fn();
            std::printf("PASS %s\n", c.name);
        } catch (const Failure& f) {
            ++failed;
            std::printf("FAIL %s\n  %s\n", c.name, f.what.c_str());
        } catch (const std::exception& e) {
            ++failed;
            std::printf("FAIL %s\n  unexpected exception: %s\n", c.name, e.what());
        }
    }
    std::printf("%d passed, %d failed\n", ran - failed, failed);
    return failed == 0 && ran > 0 ? 0 : 1;
}

} // namespace fabula_test

#define FT_CAT2(a, b) a##b
#define FT_CAT(a, b) FT_CAT2(a, b)
#define TEST_CASE(name)                                                           \
    static void name();                                                           \
    static ::fabula_test::Registrar FT_CAT(ft_reg_, name)(#name, &name);          \
    static void name()

#define CHECK(cond)                                                               \
    do {                                                                          \
        if (!(cond)) ::fabula_test::fail(__FILE__, __LINE__, "CHECK(" #cond ")"); \
    } while (0)

#define CHECK_EQ(a, b)                                                            \
    do {                                                                          \
        auto&& ft_a = (a);                                                        \
        auto&& ft_b = (b);                                                        \
        if (!(ft_a == ft_b)) {                                                    \
            std::ostringstream ft_os;                                             \
            ft_os << "CHECK_EQ(" #a ", " #b "): " << ft_a << " != " << ft_b;      \
            ::fabula_test::fail(__FILE__, __LINE__, ft_os.str());                 \
        }                                                                         \
    } while (0)

#define CHECK_NEAR(a, b, tol)                                                     \
    do {                                                                          \
        double ft_a = (a), ft_b = (b);                                            \
        if (!(std::fabs(ft_a - ft_b) <= (tol))) {                                 \
            std::ostringstream ft_os;                                             \
            ft_os << "CHECK_NEAR(" #a ", " #b "): " << ft_a << " vs " << ft_b;    \
            ::fabula_test::fail(__FILE__, __LINE__, ft_os.str());                 \
        }                                                                         \
    } while (0)

// Passes when expr throws an exception of type E whose what() contains needle.
#define CHECK_THROWS_WITH(E, expr, needle)                                        \
    do {                                                                          \
        bool ft_thrown = false;                                                   \
        try {                                                                     \
            (void)(expr);                                                         \
        } catch (const E& ft_e) {                                                 \
            ft_thrown = true;                                                     \
            if (std::string(ft_e.what()).find(needle) == std::string::npos)       \
                ::fabula_test::fail(__FILE__, __LINE__,                           \
                                    std::string("message lacks '") + (needle) +   \
                                        "': " + ft_e.what());                     \
        }                                                                         \
        if (!ft_thrown)                                                           \
            ::fabula_test::fail(__FILE__, __LINE__, "no " #E " from " #expr);     \
    } while (0)

#define FABULA_TEST_MAIN                                                          \
    int main(int argc, char** argv) { return ::fabula_test::run_all(argc, argv); }

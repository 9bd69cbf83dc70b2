// The distributed seam (training/distributed.h) with real processes on
// 127.0.0.1: this binary started again as each rank ("--rank SCENARIO"),
// forming a Gloo group through a c10d TCPStore. The sums are checked against
// every rank's inputs rebuilt locally; a rank killed -9 (or stopped) must
// make the others throw PeerLost naming it.
#include "check.h"
#include "core/error.h"
#include "training/distributed.h"

#include <ATen/ATen.h>

#include <arpa/inet.h>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <netinet/in.h>
#include <spawn.h>
#include <string>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

extern char** environ;

using namespace fabula;
using namespace fabula::training;

namespace {

// ---- what a rank does ------------------------------------------------------

// The buckets of all_reduce_sum in the test: 64 KB instead of 25 MB.
constexpr int64_t kTestBucketBytes = 64 * 1024;

// Rank r's inputs: a shape mix that spans several buckets (the first two
// tensors fill one: 2 x 30 KB of 64 KB), dtype changes inside a run, a
// non-contiguous view, an empty tensor, a tensor larger than a bucket and
// integers (exact in float32 below 2^24).
std::vector<at::Tensor> rank_inputs(int r) {
    auto f32 = at::TensorOptions().dtype(at::kFloat);
    std::vector<at::Tensor> t;
    t.push_back(at::arange(7500, f32).remainder(1000) * (r + 1));
    t.push_back(at::arange(7500, f32).remainder(977) + r);
    t.push_back(at::full({5, 7}, 2.0 + r, f32));
    t.push_back(at::arange(12, at::TensorOptions().dtype(at::kDouble)).reshape({3, 4}) * (r + 10) + 0.5);
    t.push_back(at::arange(30, f32).reshape({5, 6}).t() * (r + 3)); // non-contiguous
    t.push_back(at::empty({0}, f32));
    t.push_back(at::arange(8, at::TensorOptions().dtype(at::kLong)) * (int64_t(1) << (33 + r)));
    t.push_back(at::arange(40000, f32).remainder(13) * (r + 2));
    t.push_back(at::arange(100, f32) - r);
    return t;
}

int fail_rank(const std::string& what) {
    std::printf("FAIL %s\n", what.c_str());
    std::fflush(stdout);
    return 1;
}

int run_collectives(ProcessGroup& group) {
    const int world = group.world_size(), rank = group.rank();
    auto tensors = rank_inputs(rank);
    group.set_bucket_bytes(kTestBucketBytes);
    group.all_reduce_sum(tensors);
    auto expected = rank_inputs(0);
    for (int r = 1; r < world; ++r) {
        auto other = rank_inputs(r);
        for (size_t i = 0; i < expected.size(); ++i) expected[i] = expected[i] + other[i];
    }
    for (size_t i = 0; i < tensors.size(); ++i) {
        if (tensors[i].sizes() != expected[i].sizes() || tensors[i].scalar_type() != expected[i].scalar_type())
            return fail_rank("all_reduce_sum changed the shape or dtype of tensor " + std::to_string(i));
        if (!at::equal(tensors[i], expected[i])) return fail_rank("all_reduce_sum: tensor " + std::to_string(i));
    }
    if (double d = group.all_reduce_sum(0.25 + rank); d != 0.25 * world + world * (world - 1) / 2.0)
        return fail_rank("all_reduce_sum(double) gave " + std::to_string(d));
    int64_t big = (int64_t(1) << 40) + rank;
    if (int64_t n = group.all_reduce_sum(big); n != (int64_t(1) << 40) * world + world * (world - 1) / 2)
        return fail_rank("all_reduce_sum(int64) gave " + std::to_string(n));

    // Broadcast from the last rank into every rank's (differently valued) tensors.
    const int root = world - 1;
    auto mine = rank_inputs(rank), roots = rank_inputs(root);
    group.broadcast(mine, root);
    for (size_t i = 0; i < mine.size(); ++i)
        if (!at::equal(mine[i], roots[i])) return fail_rank("broadcast: tensor " + std::to_string(i));

    std::string refusal = std::string("rank 0 refuses: r\xC3\xA9") + '\0' + "cipe changed\n";
    std::string text = group.broadcast_text(rank == 0 ? refusal : "ignored", 0);
    if (text != refusal) return fail_rank("broadcast_text from 0 gave '" + text + "'");
    text = group.broadcast_text(rank == root ? "from the last" : "", root);
    if (text != "from the last") return fail_rank("broadcast_text from the last rank gave '" + text + "'");
    auto all = group.all_gather_text("fingerprint of " + std::to_string(rank * 7));
    if (static_cast<int>(all.size()) != world) return fail_rank("all_gather_text size");
    for (int r = 0; r < world; ++r)
        if (all[r] != "fingerprint of " + std::to_string(r * 7)) return fail_rank("all_gather_text[" + std::to_string(r) + "]");
    group.barrier();
    std::printf("OK\n");
    return 0;
}

// Every rank sums once; the victim then says READY and waits to be killed
// (or stopped); the others sum again and must get PeerLost.
int run_lose_peer(ProcessGroup& group, int victim) {
    std::vector<at::Tensor> t{at::ones({1000})};
    group.all_reduce_sum(t);
    if (group.rank() == victim) {
        std::printf("READY\n");
        std::fflush(stdout);
        for (;;) pause();
    }
    try {
        group.all_reduce_sum(t);
        return fail_rank("the second all-reduce succeeded without rank " + std::to_string(victim));
    } catch (const PeerLost& e) {
        std::printf("PEERLOST %d %s\n", e.peer, e.what());
        return 0;
    }
}

// GradientSync on a small graph. The parameters [U, W1, b1, W2, b2, E] fall
// into the buckets [b2, W2], [b1, W1], [U] (reverse order, 65 KB each), and E
// (empty) into none. U never gets a gradient, so its bucket can only start in
// finish(); the other two must start while backward still runs. Step 1: rank
// 0 runs two backward passes (the second armed), rank 1 one unarmed pass
// (no rows in the last micro-batch). Step 2: one armed pass each. The
// gradients must be the sums of what each rank's passes give alone.
at::Tensor grad_input(int rank, int step, int pass) {
    at::manual_seed(1000 * step + 100 * rank + pass);
    return at::randn({8, 64});
}
int grad_passes(int rank, int step) { return step == 1 && rank == 0 ? 2 : 1; }

std::vector<at::Tensor> grad_params() {
    at::manual_seed(7);
    std::vector<at::Tensor> p = {at::randn({10}), at::randn({64, 256}) * 0.1, at::randn({256}) * 0.1,
                                 at::randn({256, 64}) * 0.1, at::randn({64}) * 0.1, at::empty({0})};
    for (auto& t : p) t.requires_grad_(true);
    return p;
}

void grad_forward_backward(const std::vector<at::Tensor>& p, const at::Tensor& x) {
    at::Tensor h = at::tanh(at::matmul(x, p[1]) + p[2]);
    at::Tensor y = at::matmul(h, p[3]) + p[4];
    (y * y).sum().backward();
}

int run_gradients(ProcessGroup& group) {
    const int rank = group.rank(), world = group.world_size();
    group.set_bucket_bytes(65 * 1024);
    std::vector<at::Tensor> params = grad_params();
    GradientSync sync(group, params);
    if (sync.bucket_count() != 3) return fail_rank("buckets: " + std::to_string(sync.bucket_count()));
    for (int step = 1; step <= 2; ++step) {
        const int passes = grad_passes(rank, step);
        const bool armed_pass = !(step == 1 && rank == 1);
        for (int pass = 0; pass < passes; ++pass) {
            if (armed_pass && pass == passes - 1) sync.arm();
            grad_forward_backward(params, grad_input(rank, step, pass));
        }
        sync.finish();
        const int early = sync.started_during_backward();
        if (early != (armed_pass ? 2 : 0))
            return fail_rank("step " + std::to_string(step) + ": " + std::to_string(early) +
                             " buckets started during backward");
        // What every rank's passes give, each on its own, summed.
        std::vector<at::Tensor> expected(params.size());
        for (int r = 0; r < world; ++r) {
            std::vector<at::Tensor> fresh = grad_params();
            for (int pass = 0; pass < grad_passes(r, step); ++pass)
                grad_forward_backward(fresh, grad_input(r, step, pass));
            for (size_t i = 0; i < fresh.size(); ++i) {
                at::Tensor g = fresh[i].grad().defined() ? fresh[i].grad() : at::zeros_like(fresh[i]);
                expected[i] = expected[i].defined() ? expected[i] + g : g;
            }
        }
        for (size_t i = 0; i < params.size(); ++i) {
            const at::Tensor got = params[i].grad();
            if (params[i].numel() == 0) continue;
            if (!got.defined()) return fail_rank("parameter " + std::to_string(i) + " has no gradient");
            if (!at::allclose(got, expected[i], 1e-6, 1e-6))
                return fail_rank("step " + std::to_string(step) + ": parameter " + std::to_string(i) +
                                 " differs from the sum by " +
                                 std::to_string((got - expected[i]).abs().max().item<double>()));
        }
        for (auto& t : params) t.mutable_grad().reset();
    }
    std::printf("OK\n");
    return 0;
}

int rank_main(const std::string& scenario) {
    try {
        auto env = dist_env_from_environment();
        if (!env) return fail_rank("no RANK in the environment");
        int timeout = std::atoi(std::getenv("TEST_DIST_TIMEOUT"));
        ProcessGroup group(*env, DeviceKind::CPU, std::chrono::seconds(timeout));
        if (scenario == "collectives") return run_collectives(group);
        if (scenario == "gradients") return run_gradients(group);
        if (scenario.rfind("lose-", 0) == 0) return run_lose_peer(group, std::atoi(scenario.c_str() + 5));
        return fail_rank("unknown scenario " + scenario);
    } catch (const std::exception& e) {
        return fail_rank(std::string("exception: ") + e.what());
    }
}

// ---- the test side: starting ranks -----------------------------------------

int free_port() {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = 0;
    if (fd < 0 || bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) throw std::runtime_error("bind");
    socklen_t len = sizeof a;
    getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    close(fd);
    return ntohs(a.sin_port);
}

struct Rank {
    pid_t pid = -1;
    int out = -1; // the rank's stdout
    std::string text;

    std::string read_line() {
        std::string line;
        char c;
        while (read(out, &c, 1) == 1) {
            if (c == '\n') return line;
            line += c;
        }
        return line;
    }
    void read_rest() {
        char buf[4096];
        ssize_t n;
        while ((n = read(out, buf, sizeof buf)) > 0) text.append(buf, static_cast<size_t>(n));
    }
    int wait_exit() {
        read_rest();
        int status = 0;
        waitpid(pid, &status, 0);
        close(out);
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
};

std::vector<Rank> start_ranks(int world, const std::string& scenario, int timeout_s) {
    int port = free_port();
    std::vector<Rank> ranks(world);
    for (int r = 0; r < world; ++r) {
        std::vector<std::string> env_strings;
        for (char** e = environ; *e; ++e) {
            std::string s(*e);
            if (s.rfind("RANK=", 0) && s.rfind("WORLD_SIZE=", 0) && s.rfind("MASTER_", 0) && s.rfind("LOCAL_", 0))
                env_strings.push_back(s);
        }
        env_strings.push_back("RANK=" + std::to_string(r));
        env_strings.push_back("WORLD_SIZE=" + std::to_string(world));
        env_strings.push_back("LOCAL_RANK=" + std::to_string(r));
        env_strings.push_back("LOCAL_WORLD_SIZE=" + std::to_string(world));
        env_strings.push_back("MASTER_ADDR=127.0.0.1");
        env_strings.push_back("MASTER_PORT=" + std::to_string(port));
        env_strings.push_back("TEST_DIST_TIMEOUT=" + std::to_string(timeout_s));
        std::vector<char*> envp;
        for (auto& s : env_strings) envp.push_back(s.data());
        envp.push_back(nullptr);
        int fds[2];
        if (pipe(fds) != 0) throw std::runtime_error("pipe");
        posix_spawn_file_actions_t fa;
        posix_spawn_file_actions_init(&fa);
        posix_spawn_file_actions_adddup2(&fa, fds[1], STDOUT_FILENO);
        posix_spawn_file_actions_addclose(&fa, fds[0]);
        posix_spawn_file_actions_addclose(&fa, fds[1]);
        std::string self = "/proc/self/exe", flag = "--rank", sc = scenario;
        char* argv[] = {self.data(), flag.data(), sc.data(), nullptr};
        int rc = posix_spawn(&ranks[r].pid, "/proc/self/exe", &fa, nullptr, argv, envp.data());
        posix_spawn_file_actions_destroy(&fa);
        close(fds[1]);
        if (rc != 0) throw std::runtime_error(std::string("posix_spawn: ") + std::strerror(rc));
        ranks[r].out = fds[0];
    }
    return ranks;
}

// Starts the group, stops or kills `victim` once it has summed, and checks
// that every other rank names it.
// Two ranks run a scenario; each must exit 0 having printed OK.
void expect_two_ranks_ok(const char* scenario, int line) {
    auto ranks = start_ranks(2, scenario, 60);
    for (int r = 0; r < 2; ++r) {
        int code = ranks[r].wait_exit();
        if (code != 0 || ranks[r].text != "OK\n")
            ::fabula_test::fail(__FILE__, line, "rank " + std::to_string(r) + " exited " + std::to_string(code) +
                                                    ": " + ranks[r].text);
    }
}

void check_peer_lost(int world, int victim, int signal, int timeout_s, const std::string& needle) {
    auto ranks = start_ranks(world, "lose-" + std::to_string(victim), timeout_s);
    std::string ready = ranks[victim].read_line();
    if (ready != "READY") {
        for (auto& r : ranks) kill(r.pid, SIGKILL);
        for (auto& r : ranks) r.wait_exit();
        CHECK_EQ(ready, std::string("READY"));
    }
    kill(ranks[victim].pid, signal);
    for (int r = 0; r < world; ++r) {
        if (r == victim) continue;
        int code = ranks[r].wait_exit();
        if (code != 0) {
            kill(ranks[victim].pid, SIGKILL);
            ranks[victim].wait_exit();
        }
        CHECK_EQ(code, 0);
        std::string expect = "PEERLOST " + std::to_string(victim) + " rank " + std::to_string(victim) +
                             " stopped responding";
        if (ranks[r].text.rfind(expect, 0) != 0) {
            kill(ranks[victim].pid, SIGKILL);
            ranks[victim].wait_exit();
            CHECK_EQ(ranks[r].text, expect + "...");
        }
        CHECK(ranks[r].text.find(needle) != std::string::npos);
    }
    kill(ranks[victim].pid, SIGKILL);
    ranks[victim].wait_exit();
}

struct EnvGuard {
    std::map<std::string, std::string> saved;
    std::vector<std::string> names{"RANK", "WORLD_SIZE", "LOCAL_RANK", "LOCAL_WORLD_SIZE", "MASTER_ADDR",
                                   "MASTER_PORT", "TORCHELASTIC_USE_AGENT_STORE", "TORCHELASTIC_RESTART_COUNT"};
    EnvGuard() {
        for (auto& n : names) {
            if (const char* v = std::getenv(n.c_str())) saved[n] = v;
            unsetenv(n.c_str());
        }
    }
    ~EnvGuard() {
        for (auto& n : names) unsetenv(n.c_str());
        for (auto& [n, v] : saved) setenv(n.c_str(), v.c_str(), 1);
    }
    void torchrun(int rank, int world) {
        setenv("RANK", std::to_string(rank).c_str(), 1);
        setenv("WORLD_SIZE", std::to_string(world).c_str(), 1);
        setenv("LOCAL_RANK", std::to_string(rank).c_str(), 1);
        setenv("LOCAL_WORLD_SIZE", std::to_string(world).c_str(), 1);
        setenv("MASTER_ADDR", "10.0.0.7", 1);
        setenv("MASTER_PORT", "29500", 1);
    }
};

} // namespace

TEST_CASE(env_absent_means_one_process) {
    EnvGuard g;
    CHECK(!dist_env_from_environment().has_value());
}

TEST_CASE(env_reads_torchrun_variables) {
    EnvGuard g;
    g.torchrun(3, 4);
    setenv("LOCAL_RANK", "1", 1);
    setenv("LOCAL_WORLD_SIZE", "2", 1);
    setenv("TORCHELASTIC_USE_AGENT_STORE", "True", 1);
    setenv("TORCHELASTIC_RESTART_COUNT", "2", 1);
    auto env = dist_env_from_environment();
    CHECK(env.has_value());
    CHECK_EQ(env->rank, 3);
    CHECK_EQ(env->world_size, 4);
    CHECK_EQ(env->local_rank, 1);
    CHECK_EQ(env->local_world_size, 2);
    CHECK_EQ(env->master_addr, std::string("10.0.0.7"));
    CHECK_EQ(env->master_port, 29500);
    CHECK(env->use_agent_store);
    CHECK_EQ(env->restart_count, 2);
    setenv("TORCHELASTIC_USE_AGENT_STORE", "False", 1);
    CHECK(!dist_env_from_environment()->use_agent_store);
}

TEST_CASE(env_errors_name_the_variable) {
    EnvGuard g;
    g.torchrun(0, 2);
    unsetenv("WORLD_SIZE");
    CHECK_THROWS_WITH(UsageError, dist_env_from_environment(), "WORLD_SIZE");
    g.torchrun(2, 2);
    CHECK_THROWS_WITH(UsageError, dist_env_from_environment(), "RANK=2");
    g.torchrun(0, 2);
    setenv("WORLD_SIZE", "two", 1);
    CHECK_THROWS_WITH(UsageError, dist_env_from_environment(), "WORLD_SIZE=two");
    g.torchrun(0, 2);
    setenv("MASTER_PORT", "70000", 1);
    CHECK_THROWS_WITH(UsageError, dist_env_from_environment(), "MASTER_PORT=70000");
    g.torchrun(0, 2);
    unsetenv("MASTER_ADDR");
    CHECK_THROWS_WITH(UsageError, dist_env_from_environment(), "MASTER_ADDR");
    g.torchrun(1, 2);
    setenv("LOCAL_RANK", "2", 1);
    CHECK_THROWS_WITH(UsageError, dist_env_from_environment(), "LOCAL_RANK=2");
    g.torchrun(0, 2);
    setenv("TORCHELASTIC_USE_AGENT_STORE", "yes", 1);
    CHECK_THROWS_WITH(UsageError, dist_env_from_environment(), "TORCHELASTIC_USE_AGENT_STORE=yes");
    g.torchrun(0, 2);
    unsetenv("TORCHELASTIC_USE_AGENT_STORE");
    setenv("TORCHELASTIC_RESTART_COUNT", "-1", 1);
    CHECK_THROWS_WITH(UsageError, dist_env_from_environment(), "TORCHELASTIC_RESTART_COUNT=-1");
}

TEST_CASE(two_ranks_sum_broadcast_and_exchange_text) { expect_two_ranks_ok("collectives", __LINE__); }

TEST_CASE(two_ranks_sum_gradients_while_backward_runs) { expect_two_ranks_ok("gradients", __LINE__); }

TEST_CASE(killed_rank_1_is_named_by_rank_0) {
    check_peer_lost(2, 1, SIGKILL, 60, "(rank 0, all-reduce");
}

// Rank 0 also hosts the store, which dies with it.
TEST_CASE(killed_rank_0_is_named_by_rank_1) {
    check_peer_lost(2, 0, SIGKILL, 60, "(rank 1, all-reduce");
}

// With more than two ranks the survivors tell the lost one by its heartbeat.
TEST_CASE(killed_rank_of_three_is_named_by_both_others) {
    check_peer_lost(3, 1, SIGKILL, 10, "stopped responding");
}

// A stopped (hung) rank keeps its sockets open: the collective times out
// after the group's timeout, and its silent heartbeat names it.
TEST_CASE(hung_rank_of_three_is_named_after_the_timeout) {
    check_peer_lost(3, 1, SIGSTOP, 3, "no answer within 3 s");
}

int main(int argc, char** argv) {
    if (argc == 3 && std::string(argv[1]) == "--rank") return rank_main(argv[2]);
    return ::fabula_test::run_all(argc, argv);
}

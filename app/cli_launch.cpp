#include "app/cli_launch.h"

#include "core/device.h"

#include <arpa/inet.h>
#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <netinet/in.h>
#include <spawn.h>
#include <stdexcept>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace fabula::cli {

namespace {

// A port nobody listens on now; rank 0's store binds it a moment later (the
// same small window torchrun --standalone leaves).
int free_loopback_port() {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) throw std::runtime_error(std::string("cannot open a socket: ") + std::strerror(errno));
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    if (bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
        getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0) {
        int err = errno;
        close(fd);
        throw std::runtime_error(std::string("cannot find a free port on 127.0.0.1: ") + std::strerror(err));
    }
    close(fd);
    return ntohs(a.sin_port);
}

bool is_rank_variable(const std::string& entry) {
    static const char* names[] = {"RANK=", "LOCAL_RANK=", "WORLD_SIZE=", "LOCAL_WORLD_SIZE=", "GROUP_RANK=",
                                  "ROLE_RANK=", "MASTER_ADDR=", "MASTER_PORT=", "TORCHELASTIC_USE_AGENT_STORE=",
                                  "TORCHELASTIC_RESTART_COUNT="};
    return std::any_of(std::begin(names), std::end(names),
                       [&](const char* n) { return entry.rfind(n, 0) == 0; });
}

struct Child {
    pid_t pid = -1;
    int rank = 0;
    bool running = true;
    int code = 0; // exit code, 128 + signal when killed
};

// How long the others get to end after SIGTERM before SIGKILL (torchrun's default).
constexpr int kTerminateGraceSeconds = 30;

// Counted in a handler and passed on by the loop below: a handler rather
// than a blocked mask, since any of libtorch's threads may be the one the
// kernel hands the signal to.
volatile sig_atomic_t g_interrupts = 0, g_terminates = 0;
extern "C" void count_launcher_signal(int sig) {
    if (sig == SIGINT) g_interrupts = g_interrupts + 1;
    else g_terminates = g_terminates + 1;
}

} // namespace

int launch_local_ranks(int nproc, const std::string& command, const std::vector<std::string>& args) {
    const int port = free_loopback_port();
    const bool omp_set = std::getenv("OMP_NUM_THREADS") != nullptr;
    const int threads = std::max(1, available_cores() / nproc);

    struct sigaction sa = {}, old_int = {}, old_term = {};
    sa.sa_handler = count_launcher_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);
    auto restore_signals = [&] {
        sigaction(SIGINT, &old_int, nullptr);
        sigaction(SIGTERM, &old_term, nullptr);
    };

    std::vector<Child> children;
    auto signal_all = [&](int sig) {
        for (auto& c : children)
            if (c.running) kill(c.pid, sig);
    };
    std::string self = "/proc/self/exe";
    for (int r = 0; r < nproc; ++r) {
        std::vector<std::string> env;
        for (char** e = environ; *e; ++e)
            if (!is_rank_variable(*e)) env.emplace_back(*e);
        env.push_back("RANK=" + std::to_string(r));
        env.push_back("LOCAL_RANK=" + std::to_string(r));
        env.push_back("GROUP_RANK=0");
        env.push_back("ROLE_RANK=" + std::to_string(r));
        env.push_back("WORLD_SIZE=" + std::to_string(nproc));
        env.push_back("LOCAL_WORLD_SIZE=" + std::to_string(nproc));
        env.push_back("MASTER_ADDR=127.0.0.1");
        env.push_back("MASTER_PORT=" + std::to_string(port));
        env.push_back("TORCHELASTIC_RESTART_COUNT=0");
        if (!omp_set) env.push_back("OMP_NUM_THREADS=" + std::to_string(threads));
        std::vector<char*> envp;
        for (auto& s : env) envp.push_back(s.data());
        envp.push_back(nullptr);

        std::vector<std::string> argv_strings{"fabula-cli", command};
        argv_strings.insert(argv_strings.end(), args.begin(), args.end());
        std::vector<char*> argv;
        for (auto& s : argv_strings) argv.push_back(s.data());
        argv.push_back(nullptr);

        posix_spawn_file_actions_t fa;
        posix_spawn_file_actions_init(&fa);
        if (r != 0) posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
        posix_spawnattr_t attr;
        posix_spawnattr_init(&attr);
        // Their own process group: Ctrl+C in a terminal reaches only this
        // process, which passes it on once (a rank's second SIGINT means
        // "quit now").
        posix_spawnattr_setpgroup(&attr, 0);
        posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
        Child c;
        c.rank = r;
        int rc = posix_spawn(&c.pid, self.c_str(), &fa, &attr, argv.data(), envp.data());
        posix_spawn_file_actions_destroy(&fa);
        posix_spawnattr_destroy(&attr);
        if (rc != 0) {
            signal_all(SIGTERM);
            for (auto& done : children) waitpid(done.pid, nullptr, 0);
            restore_signals();
            throw std::runtime_error("cannot start rank " + std::to_string(r) + ": " + std::strerror(rc));
        }
        children.push_back(c);
    }

    bool stop_requested = false; // SIGINT passed on: a rank ending with 130 is doing as asked
    int failure = -1;            // the first failing rank
    time_t terminate_deadline = 0;
    auto running = [&] { return std::any_of(children.begin(), children.end(), [](const Child& c) { return c.running; }); };
    sig_atomic_t interrupts_passed = 0, terminates_passed = 0;
    while (running()) {
        while (interrupts_passed < g_interrupts) {
            ++interrupts_passed;
            stop_requested = true;
            signal_all(SIGINT);
        }
        while (terminates_passed < g_terminates) {
            ++terminates_passed;
            stop_requested = true;
            signal_all(SIGTERM);
        }
        for (auto& c : children) {
            if (!c.running) continue;
            int status = 0;
            if (waitpid(c.pid, &status, WNOHANG) != c.pid) continue;
            c.running = false;
            c.code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
            const bool asked = stop_requested && (c.code == 130 || c.code == 128 + SIGTERM);
            if (c.code != 0 && !asked && failure < 0) {
                failure = c.rank;
                // The others could only wait for it until their timeout.
                signal_all(SIGTERM);
                terminate_deadline = time(nullptr) + kTerminateGraceSeconds;
                std::fprintf(stderr, "fabula-cli %s: rank %d exited with code %d; ending the other ranks\n",
                             command.c_str(), c.rank, c.code);
            }
        }
        if (terminate_deadline && time(nullptr) > terminate_deadline) signal_all(SIGKILL);
        if (running()) {
            // Ranks end in seconds, signals are rare: a tenth of a second is
            // prompt enough and costs nothing.
            timespec tick{0, 100 * 1000 * 1000};
            nanosleep(&tick, nullptr);
        }
    }
    restore_signals();
    if (failure >= 0) return children[failure].code;
    for (const auto& c : children)
        if (c.code != 0) return c.code;
    return 0;
}

} // namespace fabula::cli

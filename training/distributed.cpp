// The c10d seam: torchrun's environment, the store, a Gloo or NCCL backend,
// and failures turned into PeerLost naming the rank that went away. The Gloo
// headers are third_party/gloo (the commit torch 2.13 was built from, see
// docs/distributed.md); the code they describe is the copy inside
// libtorch_cpu.so, never a second Gloo library.
#include "training/distributed.h"

#include "core/error.h"

#include <ATen/ATen.h>
#include <c10/util/Exception.h>
#include <gloo/common/error.h>
#include <gloo/config.h>
#include <torch/csrc/distributed/c10d/PrefixStore.hpp>
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>
#include <torch/csrc/autograd/function_hook.h>
#include <torch/csrc/autograd/variable.h>
#if FABULA_HAVE_C10D_NCCL
#include <c10/cuda/CUDAFunctions.h>
#include <torch/csrc/distributed/c10d/ProcessGroupNCCL.hpp>
#endif

#include <algorithm>
#include <atomic>
#include <cctype>
#include <charconv>
#include <condition_variable>
#include <cstdlib>
#include <exception>
#include <mutex>
#include <thread>

#include <signal.h>

namespace fabula::training {

namespace {

const char* env_or_null(const char* name) {
    const char* v = std::getenv(name);
    return (v && *v) ? v : nullptr;
}

int parse_env_int(const char* name, const char* text, long min, long max) {
    long value = 0;
    const char* end = text + std::char_traits<char>::length(text);
    auto [ptr, ec] = std::from_chars(text, end, value);
    if (ec != std::errc() || ptr != end || value < min || value > max)
        throw UsageError(std::string(name) + "=" + text + " is not a whole number from " + std::to_string(min) +
                         " to " + std::to_string(max));
    return static_cast<int>(value);
}

std::vector<uint8_t> to_bytes(const std::string& s) { return {s.begin(), s.end()}; }
std::string from_bytes(const std::vector<uint8_t>& b) { return {b.begin(), b.end()}; }

// c10 errors carry a C++ backtrace in what(); the person needs the first line.
std::string short_reason(const std::exception& e) {
    std::string text;
    if (auto* c10e = dynamic_cast<const c10::Error*>(&e))
        text = c10e->what_without_backtrace();
    else
        text = e.what();
    if (auto nl = text.find('\n'); nl != std::string::npos) text.resize(nl);
    return text;
}

bool mentions_timeout(const std::string& reason) {
    std::string lower(reason);
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
    return lower.find("timed out") != std::string::npos || lower.find("timeout") != std::string::npos;
}

// Bytes per gradient bucket: DDP's default bucket_cap_mb.
constexpr int64_t kBucketBytes = 25ll << 20;
// After a failure in a group larger than two, a rank whose heartbeat has not
// moved within kBlameBeats beats is the one that stopped responding. A beat
// every tenth of the timeout (0.5 to 5 s) keeps the store's load small and
// the verdict well inside the time a collective is given.
constexpr int kBlameBeats = 3;
std::chrono::milliseconds beat_interval(std::chrono::milliseconds timeout) {
    return std::clamp(timeout / 10, std::chrono::milliseconds(500), std::chrono::milliseconds(5000));
}

} // namespace

std::optional<DistEnv> dist_env_from_environment() {
    const char* rank = env_or_null("RANK");
    const char* world = env_or_null("WORLD_SIZE");
    if (!rank && !world) return std::nullopt;
    if (!rank) throw UsageError("WORLD_SIZE is set but RANK is not (start every rank with torchrun)");
    if (!world) throw UsageError("RANK is set but WORLD_SIZE is not (start every rank with torchrun)");
    DistEnv env;
    env.world_size = parse_env_int("WORLD_SIZE", world, 1, 1 << 20);
    env.rank = parse_env_int("RANK", rank, 0, env.world_size - 1);
    if (const char* v = env_or_null("LOCAL_WORLD_SIZE"))
        env.local_world_size = parse_env_int("LOCAL_WORLD_SIZE", v, 1, env.world_size);
    else
        env.local_world_size = env.world_size;
    if (const char* v = env_or_null("LOCAL_RANK"))
        env.local_rank = parse_env_int("LOCAL_RANK", v, 0, env.local_world_size - 1);
    else
        env.local_rank = env.rank % env.local_world_size;
    const char* addr = env_or_null("MASTER_ADDR");
    const char* port = env_or_null("MASTER_PORT");
    if (env.world_size > 1 && !addr) throw UsageError("MASTER_ADDR is not set (the address of rank 0's store)");
    if (env.world_size > 1 && !port) throw UsageError("MASTER_PORT is not set (the port of rank 0's store)");
    if (addr) env.master_addr = addr;
    if (port) env.master_port = parse_env_int("MASTER_PORT", port, 1, 65535);
    if (const char* v = env_or_null("TORCHELASTIC_USE_AGENT_STORE")) {
        // torchrun writes str(bool); torch itself only honours "True".
        std::string s(v);
        if (s == "True")
            env.use_agent_store = true;
        else if (s != "False")
            throw UsageError("TORCHELASTIC_USE_AGENT_STORE=" + s + " is neither True nor False");
    }
    if (const char* v = env_or_null("TORCHELASTIC_RESTART_COUNT"))
        env.restart_count = parse_env_int("TORCHELASTIC_RESTART_COUNT", v, 0, 1 << 30);
    return env;
}

struct ProcessGroup::Impl {
    DistEnv env;
    DeviceKind device;
    std::chrono::milliseconds timeout;
    at::Device tensor_device{at::kCPU};
    c10::intrusive_ptr<c10d::Store> tcp;     // the TCPStore (server on rank 0 unless the agent hosts it)
    c10::intrusive_ptr<c10d::Store> group;   // what every key of this group lives under
    c10::intrusive_ptr<c10d::Store> texts;   // broadcast_text / all_gather_text / leaving
    c10::intrusive_ptr<c10d::Backend> backend;
    int64_t text_calls = 0;
    int64_t bucket_bytes = kBucketBytes;
    bool failed = false;
    int blamed = -1;

    // Liveness (groups larger than two only; with two the other rank is the answer).
    std::atomic<int64_t> collectives{0};
    c10::intrusive_ptr<c10d::Store> beat_store; // its own connection: beats never wait behind a collective's key
    std::thread beat_thread;
    std::mutex beat_mutex;
    std::condition_variable beat_cv;
    bool beat_stop = false;

    ~Impl() { stop_beats(); } // also when the constructor throws after the beats started

    std::string beat_key(int r) const { return "beat/" + std::to_string(r); }
    std::string gave_up_key(int r) const { return "gave-up/" + std::to_string(r); }
    std::string verdict_key(int r) const { return "verdict/" + std::to_string(r); }

    void beat_once(int64_t n) {
        beat_store->set(beat_key(env.rank), to_bytes(std::to_string(n) + " " + std::to_string(collectives.load())));
    }

    void start_beats() {
        beat_store = c10::make_intrusive<c10d::PrefixStore>("fabula/", group_root_clone());
        beat_once(0);
        beat_thread = std::thread([this] {
            try {
                for (int64_t n = 1;; ++n) {
                    std::unique_lock lock(beat_mutex);
                    if (beat_cv.wait_for(lock, beat_interval(timeout), [this] { return beat_stop; })) return;
                    lock.unlock();
                    beat_once(n);
                }
            } catch (const std::exception&) {
                // The store is gone (rank 0 or the agent ended): the
                // collectives report that; a beat has nothing to add.
            }
        });
    }

    void stop_beats() {
        if (!beat_thread.joinable()) return;
        {
            std::lock_guard lock(beat_mutex);
            beat_stop = true;
        }
        beat_cv.notify_all();
        beat_thread.join();
    }

    c10::intrusive_ptr<c10d::Store> root_over(c10::intrusive_ptr<c10d::Store> store) const {
        // torch's env:// rendezvous under torchelastic before the store was
        // shared between rounds used /worker/attempt_<restart>; keeping it
        // means a restarted group never reads a dead attempt's addresses from
        // the agent's store, which 2.13 reuses across rounds.
        if (env.use_agent_store)
            store = c10::make_intrusive<c10d::PrefixStore>("/worker/attempt_" + std::to_string(env.restart_count),
                                                           store);
        // init_process_group's own prefix, then the default group's name.
        store = c10::make_intrusive<c10d::PrefixStore>("default_pg", store);
        return c10::make_intrusive<c10d::PrefixStore>("0/", store);
    }
    c10::intrusive_ptr<c10d::Store> group_root_clone() const { return root_over(tcp->clone()); }

    struct Beat {
        int64_t beat = -1, collectives = -1;
    };
    std::vector<Beat> read_beats() {
        std::vector<Beat> beats(env.world_size);
        for (int r = 0; r < env.world_size; ++r) {
            if (!beat_store->check({beat_key(r)})) continue;
            std::string s = from_bytes(beat_store->get(beat_key(r)));
            auto space = s.find(' ');
            beats[r].beat = std::stoll(s.substr(0, space));
            beats[r].collectives = std::stoll(s.substr(space + 1));
        }
        return beats;
    }

    // The rank that stopped responding, -1 when that cannot be told.
    int blame() {
        if (env.world_size == 2) return 1 - env.rank;
        if (!beat_store) return -1;
        try {
            auto before = read_beats();
            std::this_thread::sleep_for(beat_interval(timeout) * kBlameBeats);
            auto after = read_beats();
            // A rank that has given up saw the failure too: it is alive,
            // though its beats may have ended with it.
            auto suspect = [&](int r) { return r != env.rank && !beat_store->check({gave_up_key(r)}); };
            for (int r = 0; r < env.world_size; ++r)
                if (suspect(r) && (after[r].beat < 0 || after[r].beat == before[r].beat)) return r;
            // Every rank is alive: the one that never entered this
            // collective is the one the others wait for.
            int64_t mine = collectives.load();
            for (int r = 0; r < env.world_size; ++r)
                if (suspect(r) && after[r].collectives < mine) return r;
        } catch (const std::exception&) {
            // Rank 0 hosted the store; without the agent's, its loss is rank 0's.
            if (!env.use_agent_store && env.rank != 0) return 0;
        }
        return -1;
    }

    [[noreturn]] void peer_lost(const std::exception& e, const char* what) {
        failed = true;
        std::string reason = short_reason(e);
        if (beat_store) {
            try {
                beat_store->set(gave_up_key(env.rank), to_bytes("1"));
            } catch (const std::exception&) {
            }
        }
        int peer = blamed = blame();
        if (beat_store) {
            try {
                beat_store->set(verdict_key(env.rank), to_bytes(std::to_string(peer)));
            } catch (const std::exception&) {
            }
        }
        std::string who = peer >= 0 ? "rank " + std::to_string(peer) : "a peer rank";
        std::string detail = mentions_timeout(reason)
                                 ? "no answer within " + std::to_string(timeout.count() / 1000) + " s (--dist-timeout)"
                                 : reason;
        throw PeerLost(peer, who + " stopped responding (rank " + std::to_string(env.rank) + ", " + what + ": " +
                                 detail + ")");
    }

    // Runs a communication step; what a peer's loss looks like from here
    // (Gloo's IoException, c10d's store and network errors) becomes PeerLost.
    template <class F>
    auto guarded(const char* what, F&& f) {
        try {
            return f();
        } catch (const PeerLost&) {
            throw;
        } catch (const ::gloo::IoException& e) {
            peer_lost(e, what);
        } catch (const c10::DistError& e) {
            peer_lost(e, what);
        }
    }

    // For a collective's wait: every failure after a launch that passed
    // c10d's argument checks is the network's or a peer's.
    void wait_all(std::vector<c10::intrusive_ptr<c10d::Work>>& works, const char* what) {
        try {
            for (auto& w : works) w->wait();
        } catch (const std::exception& e) {
            peer_lost(e, what);
        }
    }
};

ProcessGroup::ProcessGroup(const DistEnv& env, DeviceKind device, std::chrono::seconds timeout)
    : impl_(std::make_unique<Impl>()) {
    Impl& g = *impl_;
    g.env = env;
    g.device = device;
    g.timeout = std::chrono::duration_cast<std::chrono::milliseconds>(timeout);
    if (device == DeviceKind::Auto) throw std::logic_error("ProcessGroup: resolve the device first");
    // Gloo writes to its peers with writev(2), which has no MSG_NOSIGNAL: a
    // write to a rank that has just died would kill this one with SIGPIPE
    // before it could name the lost rank. Python ignores SIGPIPE at start,
    // which is why torch.distributed never meets this; a rank ignores it too,
    // so the write fails with EPIPE and becomes PeerLost.
    ::signal(SIGPIPE, SIG_IGN);
#if !FABULA_HAVE_C10D_NCCL
    if (device == DeviceKind::CUDA)
        throw UsageError("this build of Fabula has no NCCL: distributed training on CUDA needs a libtorch with "
                         "CUDA at build time; train on the CPU (--device cpu) or rebuild");
#endif

    c10d::TCPStoreOptions opts;
    opts.port = static_cast<std::uint16_t>(env.master_port);
    opts.timeout = g.timeout;
    if (!env.use_agent_store) {
        opts.isServer = env.rank == 0;
        opts.numWorkers = static_cast<std::size_t>(env.world_size);
        opts.multiTenant = true;
    }
    std::string where = env.master_addr + ":" + std::to_string(env.master_port);
    try {
        g.tcp = c10::make_intrusive<c10d::TCPStore>(env.master_addr, opts);
    } catch (const std::exception& e) {
        std::string reason = short_reason(e);
        if (opts.isServer && !mentions_timeout(reason))
            throw std::runtime_error("rank 0 cannot host the store at " + where + ": " + reason);
        g.failed = true;
        int peer = opts.isServer ? (env.world_size == 2 ? 1 : -1) : (env.use_agent_store ? -1 : 0);
        std::string who = peer >= 0 ? "rank " + std::to_string(peer) : env.use_agent_store ? "torchrun's agent" : "a peer rank";
        throw PeerLost(peer, who + " stopped responding (rank " + std::to_string(env.rank) +
                                 ", joining the store at " + where + ": " + reason + ")");
    }
    g.group = g.root_over(g.tcp);
    g.texts = c10::make_intrusive<c10d::PrefixStore>("fabula/", g.group);

    g.guarded("joining the group", [&] {
        if (env.world_size > 2) g.start_beats();
        if (device == DeviceKind::CPU) {
            auto store = c10::make_intrusive<c10d::PrefixStore>("cpu/", g.group);
            // create_default: GLOO_SOCKET_IFNAME when set, else this host's
            // name or the loopback, as torch.distributed picks.
            auto options = c10d::ProcessGroupGloo::Options::create_default(g.timeout);
            g.backend = c10::make_intrusive<c10d::ProcessGroupGloo>(store, env.rank, env.world_size, options);
        } else {
#if FABULA_HAVE_C10D_NCCL
            c10::cuda::set_device(static_cast<c10::DeviceIndex>(env.local_rank));
            g.tensor_device = at::Device(at::kCUDA, static_cast<c10::DeviceIndex>(env.local_rank));
            auto store = c10::make_intrusive<c10d::PrefixStore>("cuda/", g.group);
            auto options = c10d::ProcessGroupNCCL::Options::create();
            options->timeout = g.timeout;
            g.backend = c10::make_intrusive<c10d::ProcessGroupNCCL>(store, env.rank, env.world_size, options);
#endif
        }
    });
}

ProcessGroup::~ProcessGroup() {
    Impl& g = *impl_;
    // After a failure in a larger group, rank 0's store stays until the
    // other survivors have reached their verdict (a timeout may reach them
    // later than it reached rank 0), or they would blame rank 0 for its
    // store going away while they compare beats.
    if (g.failed && g.beat_store && g.env.rank == 0 && !g.env.use_agent_store) {
        try {
            std::vector<std::string> keys;
            for (int r = 1; r < g.env.world_size; ++r)
                if (r != g.blamed) keys.push_back(g.verdict_key(r));
            g.beat_store->wait(keys, g.timeout + beat_interval(g.timeout) * (kBlameBeats + 1));
        } catch (const std::exception&) {
        }
    }
    g.stop_beats();
    // Rank 0's process hosts the store: it stays until every rank has said
    // it is leaving, so nobody's last store call meets a closed socket. After
    // a failure nobody waits: the peers may be gone.
    if (!g.failed && g.env.world_size > 1 && g.texts) {
        try {
            g.texts->set("left/" + std::to_string(g.env.rank), to_bytes("1"));
            if (g.env.rank == 0 && !g.env.use_agent_store) {
                std::vector<std::string> keys;
                for (int r = 0; r < g.env.world_size; ++r) keys.push_back("left/" + std::to_string(r));
                g.texts->wait(keys, g.timeout);
            }
        } catch (const std::exception&) {
            // Leaving is best effort; the work is done.
        }
    }
    g.backend.reset();
}

int ProcessGroup::rank() const { return impl_->env.rank; }
int ProcessGroup::world_size() const { return impl_->env.world_size; }

void ProcessGroup::all_reduce_sum(std::vector<at::Tensor>& tensors) {
    Impl& g = *impl_;
    ++g.collectives;
    // Consecutive tensors of one dtype share a bucket of at most
    // bucket_bytes (a larger tensor is a bucket of its own).
    struct Bucket {
        std::vector<size_t> members;
        int64_t bytes = 0;
        at::Tensor flat;
    };
    std::vector<Bucket> buckets;
    for (size_t i = 0; i < tensors.size(); ++i) {
        const at::Tensor& t = tensors[i];
        if (!t.defined()) throw std::invalid_argument("all_reduce_sum: tensor " + std::to_string(i) + " is undefined");
        if (t.numel() == 0) continue;
        int64_t bytes = t.numel() * static_cast<int64_t>(t.element_size());
        bool fits = !buckets.empty() &&
                    tensors[buckets.back().members.front()].scalar_type() == t.scalar_type() &&
                    tensors[buckets.back().members.front()].device() == t.device() &&
                    buckets.back().bytes + bytes <= g.bucket_bytes;
        if (!fits) buckets.emplace_back();
        buckets.back().members.push_back(i);
        buckets.back().bytes += bytes;
    }
    std::vector<c10::intrusive_ptr<c10d::Work>> works;
    g.guarded("all-reduce", [&] {
        for (auto& b : buckets) {
            if (b.members.size() == 1 && tensors[b.members[0]].is_contiguous()) {
                b.flat = tensors[b.members[0]];
            } else {
                std::vector<at::Tensor> parts;
                parts.reserve(b.members.size());
                for (size_t i : b.members) parts.push_back(tensors[i].reshape({-1}));
                b.flat = at::cat(parts);
            }
            std::vector<at::Tensor> one{b.flat};
            c10d::AllreduceOptions opts;
            opts.reduceOp = c10d::ReduceOp::SUM;
            works.push_back(g.backend->allreduce(one, opts));
        }
    });
    g.wait_all(works, "all-reduce");
    for (auto& b : buckets) {
        if (b.flat.is_same(tensors[b.members[0]])) continue;
        int64_t offset = 0;
        for (size_t i : b.members) {
            at::Tensor& t = tensors[i];
            t.copy_(b.flat.narrow(0, offset, t.numel()).view(t.sizes()));
            offset += t.numel();
        }
    }
}

void ProcessGroup::set_bucket_bytes(int64_t bytes) {
    if (bytes <= 0) throw std::invalid_argument("set_bucket_bytes: the size must be positive");
    impl_->bucket_bytes = bytes;
}

void ProcessGroup::all_reduce_sum(std::vector<double>& values) {
    if (values.empty()) return;
    std::vector<at::Tensor> one{at::tensor(values, at::kDouble).to(impl_->tensor_device)};
    all_reduce_sum(one);
    const at::Tensor t = one[0].to(at::kCPU).contiguous();
    std::copy_n(t.data_ptr<double>(), values.size(), values.begin());
}

double ProcessGroup::all_reduce_sum(double value) {
    std::vector<at::Tensor> one{at::full({1}, value, at::TensorOptions().dtype(at::kDouble).device(impl_->tensor_device))};
    all_reduce_sum(one);
    return one[0].item<double>();
}

int64_t ProcessGroup::all_reduce_sum(int64_t value) {
    std::vector<at::Tensor> one{at::full({1}, value, at::TensorOptions().dtype(at::kLong).device(impl_->tensor_device))};
    all_reduce_sum(one);
    return one[0].item<int64_t>();
}

void ProcessGroup::broadcast(std::vector<at::Tensor>& tensors, int root) {
    Impl& g = *impl_;
    ++g.collectives;
    std::vector<c10::intrusive_ptr<c10d::Work>> works;
    // One tensor at a time: broadcasts happen once per run (the starting
    // weights), where a bucket's extra copy costs more than it saves.
    std::vector<at::Tensor> staged(tensors.size());
    g.guarded("broadcast", [&] {
        for (size_t i = 0; i < tensors.size(); ++i) {
            if (!tensors[i].defined() || tensors[i].numel() == 0) continue;
            staged[i] = tensors[i].is_contiguous() ? tensors[i] : tensors[i].contiguous();
            std::vector<at::Tensor> one{staged[i]};
            c10d::BroadcastOptions opts;
            opts.rootRank = root;
            works.push_back(g.backend->broadcast(one, opts));
        }
    });
    g.wait_all(works, "broadcast");
    for (size_t i = 0; i < tensors.size(); ++i)
        if (staged[i].defined() && !staged[i].is_same(tensors[i])) tensors[i].copy_(staged[i]);
}

void ProcessGroup::barrier() {
    Impl& g = *impl_;
    ++g.collectives;
    std::vector<c10::intrusive_ptr<c10d::Work>> works;
    g.guarded("barrier", [&] { works.push_back(g.backend->barrier(c10d::BarrierOptions{})); });
    g.wait_all(works, "barrier");
}

std::string ProcessGroup::broadcast_text(const std::string& text, int root) {
    Impl& g = *impl_;
    ++g.collectives;
    std::string key = "text/" + std::to_string(g.text_calls++);
    return g.guarded("broadcast of text", [&] {
        if (g.env.rank == root) {
            g.texts->set(key, to_bytes(text));
            return text;
        }
        return from_bytes(g.texts->get(key));
    });
}

std::vector<std::string> ProcessGroup::all_gather_text(const std::string& text) {
    Impl& g = *impl_;
    ++g.collectives;
    std::string key = "gather/" + std::to_string(g.text_calls++) + "/";
    return g.guarded("gather of text", [&] {
        g.texts->set(key + std::to_string(g.env.rank), to_bytes(text));
        std::vector<std::string> all(g.env.world_size);
        for (int r = 0; r < g.env.world_size; ++r)
            all[r] = r == g.env.rank ? text : from_bytes(g.texts->get(key + std::to_string(r)));
        return all;
    });
}

// ---- GradientSync ------------------------------------------------------------

struct GradientSync::Impl {
    ProcessGroup::Impl& g;
    std::vector<at::Tensor> params;
    struct Bucket {
        std::vector<size_t> members; // indices into params
        at::Tensor flat;             // the members' gradients end to end (none for one contiguous gradient)
        at::Tensor sent;             // what was handed to the all-reduce
        size_t pending = 0;          // members whose gradient is not final yet
        c10::intrusive_ptr<c10d::Work> work;
    };
    std::vector<Bucket> buckets;
    static constexpr size_t kNone = size_t(-1);
    std::vector<size_t> bucket_of; // kNone: an empty parameter, never sent
    std::vector<char> ready;
    size_t next = 0; // the first bucket not started: buckets start in order
    bool armed = false, finishing = false;
    int started_early = 0, started_early_last = 0;
    std::mutex mutex;
    std::exception_ptr error; // a launch that failed inside the backward pass

    explicit Impl(ProcessGroup::Impl& group) : g(group) {}

    void reset() {
        std::fill(ready.begin(), ready.end(), 0);
        for (Bucket& b : buckets) {
            b.pending = b.members.size();
            b.work.reset();
            b.sent = at::Tensor();
        }
        next = 0;
        started_early = 0;
    }

    void start(Bucket& b) {
        for (size_t i : b.members) {
            at::Tensor& p = params[i];
            // A parameter this rank's batch did not reach contributes zeros.
            if (!p.grad().defined()) p.mutable_grad() = at::zeros_like(p);
        }
        if (!b.flat.defined()) {
            at::Tensor& p = params[b.members[0]];
            if (!p.grad().is_contiguous()) p.mutable_grad() = p.grad().contiguous(); // Gloo and NCCL want it so
            b.sent = p.grad();
        } else {
            int64_t offset = 0;
            for (size_t i : b.members) {
                const at::Tensor& grad = params[i].grad();
                b.flat.narrow(0, offset, grad.numel()).view(grad.sizes()).copy_(grad);
                offset += grad.numel();
            }
            b.sent = b.flat;
        }
        std::vector<at::Tensor> one{b.sent};
        c10d::AllreduceOptions opts;
        opts.reduceOp = c10d::ReduceOp::SUM;
        b.work = g.backend->allreduce(one, opts);
        if (!finishing) ++started_early;
    }

    void start_ready() {
        while (next < buckets.size() && buckets[next].pending == 0) start(buckets[next++]);
    }

    void mark_ready(size_t i) {
        if (ready[i]) return;
        ready[i] = 1;
        if (bucket_of[i] == kNone) return;
        if (--buckets[bucket_of[i]].pending == 0) start_ready();
    }

    // Called by autograd once parameter i's gradient is accumulated.
    void accumulated(size_t i) {
        std::lock_guard lock(mutex);
        if (!armed || error) return;
        try {
            mark_ready(i);
        } catch (...) {
            error = std::current_exception(); // finish() reports it as the collective's failure
        }
    }

    struct AccumulatedHook final : torch::autograd::PostAccumulateGradHook {
        AccumulatedHook(Impl* s, size_t i) : sync(s), index(i) {}
        void operator()(const torch::autograd::Variable&) override { sync->accumulated(index); }
        Impl* sync;
        size_t index;
    };
};

GradientSync::GradientSync(ProcessGroup& group, std::vector<at::Tensor> params)
    : impl_(std::make_unique<Impl>(*group.impl_)) {
    Impl& s = *impl_;
    s.params = std::move(params);
    s.bucket_of.assign(s.params.size(), Impl::kNone);
    s.ready.assign(s.params.size(), 0);
    // Reverse order: the last layers' gradients come first in backward.
    int64_t bytes = 0;
    for (size_t k = s.params.size(); k-- > 0;) {
        const at::Tensor& p = s.params[k];
        if (!p.defined() || !p.requires_grad() || !p.is_leaf())
            throw std::invalid_argument("GradientSync: parameter " + std::to_string(k) + " is not a trainable leaf");
        if (p.numel() == 0) continue;
        const int64_t size = p.numel() * static_cast<int64_t>(p.element_size());
        bool fits = !s.buckets.empty() && s.params[s.buckets.back().members.front()].scalar_type() == p.scalar_type() &&
                    s.params[s.buckets.back().members.front()].device() == p.device() &&
                    bytes + size <= s.g.bucket_bytes;
        if (!fits) {
            s.buckets.emplace_back();
            bytes = 0;
        }
        s.buckets.back().members.push_back(k);
        s.bucket_of[k] = s.buckets.size() - 1;
        bytes += size;
    }
    for (Impl::Bucket& b : s.buckets) {
        int64_t numel = 0;
        for (size_t i : b.members) numel += s.params[i].numel();
        if (b.members.size() > 1) b.flat = at::empty({numel}, s.params[b.members[0]].options().requires_grad(false));
    }
    s.reset();
    for (size_t k = 0; k < s.params.size(); ++k)
        torch::autograd::impl::set_post_acc_grad_hooks(s.params[k], std::make_unique<Impl::AccumulatedHook>(&s, k));
}

GradientSync::~GradientSync() {
    for (const at::Tensor& p : impl_->params) torch::autograd::impl::set_post_acc_grad_hooks(p, nullptr);
}

void GradientSync::arm() {
    std::lock_guard lock(impl_->mutex);
    impl_->armed = true;
}

void GradientSync::finish() {
    Impl& s = *impl_;
    ProcessGroup::Impl& g = s.g;
    ++g.collectives;
    std::vector<c10::intrusive_ptr<c10d::Work>> works;
    {
        std::lock_guard lock(s.mutex);
        s.armed = false;
        s.finishing = true;
        std::exception_ptr early = s.error;
        s.error = nullptr;
        try {
            g.guarded("all-reduce", [&] {
                if (early) std::rethrow_exception(early);
                for (size_t i = 0; i < s.params.size(); ++i) s.mark_ready(i);
            });
        } catch (...) {
            s.finishing = false;
            throw;
        }
        s.finishing = false;
        for (Impl::Bucket& b : s.buckets) works.push_back(b.work);
        s.started_early_last = s.started_early;
    }
    g.wait_all(works, "all-reduce");
    for (Impl::Bucket& b : s.buckets) {
        if (!b.flat.defined()) continue;
        int64_t offset = 0;
        for (size_t i : b.members) {
            at::Tensor grad = s.params[i].grad();
            grad.copy_(b.flat.narrow(0, offset, grad.numel()).view(grad.sizes()));
            offset += grad.numel();
        }
    }
    std::lock_guard lock(s.mutex);
    s.reset();
}

int GradientSync::started_during_backward() const { return impl_->started_early_last; }
int GradientSync::bucket_count() const { return static_cast<int>(impl_->buckets.size()); }

} // namespace fabula::training

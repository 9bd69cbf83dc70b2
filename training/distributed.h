#pragma once
// Data-parallel training on PyTorch's own distributed runtime (c10d): the
// ranks torchrun describes in the environment, a Gloo (CPU) or NCCL (CUDA)
// process group over the c10d store, and the few collectives the trainer
// needs. Internal to training/ (includes ATen); no Qt.
#include "core/device.h"

#include <ATen/core/Tensor.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace fabula::training {

// What torchrun (or `fabula-cli train --nproc-per-node`) sets for a rank.
struct DistEnv {
    int rank = 0, world_size = 1, local_rank = 0, local_world_size = 1;
    std::string master_addr = "127.0.0.1";
    int master_port = 0;
    // TORCHELASTIC_USE_AGENT_STORE=True: the agent hosts the store at
    // MASTER_ADDR:MASTER_PORT and every rank (rank 0 too) is a client, under
    // the prefix torch's own rendezvous uses for this restart.
    bool use_agent_store = false;
    int restart_count = 0; // TORCHELASTIC_RESTART_COUNT
};

// The environment's ranks; nullopt when RANK and WORLD_SIZE are not set (a
// single process). A malformed or inconsistent value throws UsageError naming
// the variable.
std::optional<DistEnv> dist_env_from_environment();

// A collective that failed because a peer went away or timed out. The
// trainer lets it through; the CLI prints what() and exits 1.
class PeerLost : public std::runtime_error {
public:
    PeerLost(int peer_rank, const std::string& message) : std::runtime_error(message), peer(peer_rank) {}
    int peer; // the rank that stopped responding, -1 when unknown
};

// Joins the group on construction and leaves it on destruction. Every call is
// a collective: every rank makes the same calls in the same order.
class ProcessGroup {
public:
    // Gloo for DeviceKind::CPU, NCCL for CUDA. Every collective gives up
    // after `timeout` with PeerLost ("rank N stopped responding").
    ProcessGroup(const DistEnv& env, DeviceKind device, std::chrono::seconds timeout);
    ~ProcessGroup();
    ProcessGroup(const ProcessGroup&) = delete;
    ProcessGroup& operator=(const ProcessGroup&) = delete;

    int rank() const;
    int world_size() const;

    // Sums over ranks in place. Many tensors (the gradients) are flattened
    // into buckets, all launched before the first is waited for.
    void all_reduce_sum(std::vector<at::Tensor>& tensors);
    // The bucket size of all_reduce_sum (default 25 MB, as DDP's
    // bucket_cap_mb); every rank must use the same.
    void set_bucket_bytes(int64_t bytes);
    // Summed element by element over ranks, in place (logged figures).
    void all_reduce_sum(std::vector<double>& values);
    double all_reduce_sum(double value);
    int64_t all_reduce_sum(int64_t value);
    // Rank root's values into every rank's tensors (the starting weights).
    void broadcast(std::vector<at::Tensor>& tensors, int root = 0);
    void barrier();
    // Rank root's text on every rank (rank 0's refusal, so every rank exits
    // with the same message); through the store, not the device.
    std::string broadcast_text(const std::string& text, int root = 0);
    // Every rank's text, by rank (settings and data fingerprints at start).
    std::vector<std::string> all_gather_text(const std::string& text);

private:
    friend class GradientSync;
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// The gradients of a step summed over the ranks while the step's last
// backward pass still runs, as DDP does: the parameters fall into buckets in
// reverse order (the order backward produces their gradients), and a
// bucket's all-reduce starts as soon as its last gradient is accumulated.
// Buckets start in the same order on every rank, whatever order the
// gradients arrive in, so the collectives match.
class GradientSync {
public:
    // Hooks every parameter (a leaf that requires grad); the buckets use the
    // group's bucket size at this point.
    GradientSync(ProcessGroup& group, std::vector<at::Tensor> params);
    ~GradientSync(); // removes the hooks
    GradientSync(const GradientSync&) = delete;
    GradientSync& operator=(const GradientSync&) = delete;

    // The next backward pass is this rank's last of the step: its
    // accumulated gradients start their buckets' all-reduce.
    void arm();
    // After that backward pass, or with none on this rank: a parameter with
    // no gradient counts as zeros, the buckets not yet started start, and
    // every one is waited for. The gradients are then the sums over ranks.
    // PeerLost as the other collectives.
    void finish();
    // How many buckets the last armed step started before finish() (that
    // the all-reduce overlapped the backward pass), and how many there are.
    int started_during_backward() const;
    int bucket_count() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace fabula::training

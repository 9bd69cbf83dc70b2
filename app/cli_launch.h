#pragma once
// `fabula-cli train --nproc-per-node N`: this process does what
// `torchrun --standalone --nproc-per-node N --no-python` would, so a machine
// with several GPUs (or many cores) trains without Python installed.
#include <string>
#include <vector>

namespace fabula::cli {

// Runs `nproc` copies of this executable as the ranks of one group on this
// machine: `fabula-cli COMMAND ARGS...` with the environment torchrun sets
// (RANK, LOCAL_RANK, WORLD_SIZE, LOCAL_WORLD_SIZE, MASTER_ADDR=127.0.0.1, a
// free MASTER_PORT, OMP_NUM_THREADS = cores / nproc unless set). SIGINT and
// SIGTERM are passed on to every rank; when one fails the others get
// SIGTERM, as torchrun's agent does. Only rank 0's stdout reaches ours (the
// ranks' stderr all does). Returns the exit code: the first failing rank's,
// else 130 when they stopped on a signal, else 0.
int launch_local_ranks(int nproc, const std::string& command, const std::vector<std::string>& args);

} // namespace fabula::cli

#pragma once
// Where and in which precision the model runs. No libtorch in this header.
#include <cstdint>
#include <string>

namespace fabula {

// Int8: every projection's weights in 8 bits (core/int8.h), embeddings as
// stored, norms, biases and the KV cache fp32; CPU only, for generation and
// evaluation (training refuses it).
enum class Precision { Auto, FP32, BF16, FP16, Int8 };
enum class DeviceKind { Auto, CPU, CUDA };

Precision parse_precision(const std::string& s); // throws UsageError
DeviceKind parse_device(const std::string& s);   // throws UsageError
std::string to_string(Precision);
std::string to_string(DeviceKind);

struct Placement {
    DeviceKind device = DeviceKind::CPU; // never Auto once resolved
    Precision precision = Precision::FP32;
    int threads = 1;
    std::string describe() const; // e.g. "CPU, bf16, 2 threads"
};

// auto device: CUDA when a GPU is usable, else CPU; with int8 always the CPU
// (its kernels are CPU kernels). auto precision: bf16 on CPUs with AVX-512
// BF16 or AMX-BF16 and on GPUs that have bf16, fp16 on other GPUs, fp32
// otherwise (CausalLM's plan may then pick int8 or 16 bits for large models).
// threads <= 0: all cores. Throws UsageError when CUDA is asked for but not
// there, and for int8 on CUDA (refused rather than silently run elsewhere).
Placement resolve_placement(DeviceKind device, Precision precision, int threads);

bool cpu_has_fast_bf16();
int available_cores();
bool cuda_available();
// The CUDA GPUs this process can use; 0 in a build without CUDA or on a machine without one.
int cuda_device_count();
// MemAvailable of /proc/meminfo in bytes; -1 when unknown.
int64_t available_memory_bytes();

// Called once at start-up by the executables: keeps large activations in the
// heap instead of returning them to the OS after every op, which otherwise
// page-faults every tensor again on every step (see shared notes).
void tune_allocator();

// The libtorch this build runs on, e.g. "2.13.0" (Help ▸ About).
std::string libtorch_version();

} // namespace fabula

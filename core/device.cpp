#include "core/device.h"


#include "core/error.h"

#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <ATen/Context.h>
#include <ATen/detail/CUDAHooksInterface.h>
#include <torch/version.h>

#include <cpuid.h>
#include <fstream>
#include <malloc.h>
#include <thread>
#include <unistd.h>

namespace fabula {

Precision parse_precision(const std::string& s) {
    if (s == "auto") return Precision::Auto;
    if (s == "fp32") return Precision::FP32;
    if (s == "bf16") return Precision::BF16;
    if (s == "fp16") return Precision::FP16;
    if (s == "int8") return Precision::Int8;
    throw UsageError("precision must be auto, fp32, bf16, fp16 or int8, not '" + s + "'");
}

DeviceKind parse_device(const std::string& s) {
    if (s == "auto") return DeviceKind::Auto;
    if (s == "cpu") return DeviceKind::CPU;
    if (s == "cuda") return DeviceKind::CUDA;
    throw UsageError("device must be auto, cpu or cuda, not '" + s + "'");
}

std::string to_string(Precision p) {
    switch (p) {
    case Precision::Auto: return "auto";
    case Precision::FP32: return "fp32";
    case Precision::BF16: return "bf16";
    case Precision::FP16: return "fp16";
    case Precision::Int8: return "int8";
    }
    return "?";
}

std::string to_string(DeviceKind d) {
    switch (d) {
    case DeviceKind::Auto: return "auto";
    case DeviceKind::CPU: return "cpu";
    case DeviceKind::CUDA: return "cuda";
    }
    return "?";
}

std::string Placement::describe() const {
    std::string s = device == DeviceKind::CUDA ? "GPU" : "CPU";
    s += ", " + to_string(precision);
    if (device == DeviceKind::CPU) s += ", " + std::to_string(threads) + (threads == 1 ? " thread" : " threads");
    return s;
}

bool cpu_has_fast_bf16() {
    unsigned a, b, c, d;
    if (!__get_cpuid_count(7, 1, &a, &b, &c, &d)) return false;
    const bool avx512_bf16 = a & (1u << 5);
    __get_cpuid_count(7, 0, &a, &b, &c, &d);
    const bool amx_bf16 = d & (1u << 22);
    return avx512_bf16 || amx_bf16;
}

int64_t available_memory_bytes() {
    std::ifstream f("/proc/meminfo");
    std::string key;
    int64_t value;
    std::string unit;
    while (f >> key >> value >> unit)
        if (key == "MemAvailable:") return value * 1024;
    return -1;
}

int available_cores() {
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof(set), &set) == 0) return CPU_COUNT(&set);
    return static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

int cuda_device_count() { return at::hasCUDA() ? int(at::detail::getCUDAHooks().deviceCount()) : 0; }

bool cuda_available() { return cuda_device_count() > 0; }

Placement resolve_placement(DeviceKind device, Precision precision, int threads) {
    Placement p;
    if (precision == Precision::Int8 && device == DeviceKind::CUDA)
        throw UsageError("int8 runs on the CPU only: use --device cpu, or fp16/bf16 on the GPU");
    if (precision == Precision::Int8) device = DeviceKind::CPU;
    if (device == DeviceKind::CUDA && !cuda_available())
        throw UsageError("device cuda was asked for, but no usable CUDA GPU was found (this build or this machine has none)");
    p.device = device == DeviceKind::Auto ? (cuda_available() ? DeviceKind::CUDA : DeviceKind::CPU) : device;
    if (precision == Precision::Auto) {
        if (p.device == DeviceKind::CUDA) {
            // Compute capability 8.0 (Ampere) and later have bf16 tensor cores.
            // The cuDNN bf16 check is true exactly on compute capability >= 8.0
            // (Ampere and later), the GPUs with bf16 tensor cores.
            precision = at::detail::getCUDAHooks().supportsBFloat16ConvolutionWithCuDNNv8() ? Precision::BF16
                                                                                             : Precision::FP16;
        } else {
            precision = cpu_has_fast_bf16() ? Precision::BF16 : Precision::FP32;
        }
    }
    p.precision = precision;
    p.threads = threads > 0 ? threads : available_cores();
    at::set_num_threads(p.threads);
    return p;
}

void tune_allocator() {
    mallopt(M_MMAP_THRESHOLD, 1 << 30);
    mallopt(M_TRIM_THRESHOLD, 1 << 30);
    mallopt(M_TOP_PAD, 256 << 20);
}

std::string libtorch_version() {
    return std::to_string(TORCH_VERSION_MAJOR) + "." + std::to_string(TORCH_VERSION_MINOR) + "." +
           std::to_string(TORCH_VERSION_PATCH);
}

} // namespace fabula

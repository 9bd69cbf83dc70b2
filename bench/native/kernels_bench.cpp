// Decoding's kernels against the machine's read bandwidth: a streaming read
// (at::sum over 96 MiB), then every gemv kernel (fp32, bf16, fp16) and int8
// kernel on GPT-2 124M's big matrices, each cycled through enough copies that
// the weights come from memory as in decoding, and a whole token's
// projections (lm_head included). Then prompts: linear_int8 against
// at::linear (fp32) at 512 rows, and a prompt's causal attention against the
// library's (SDPA, one call and two of 256 queries). Not a test: prints figures.
//   fabula-kernels-bench [threads] [what: all|gemv|gemv-fp32|gemv-bf16|gemv-fp16|attention|int8|int8-cache|prompt|prompt-int8|prompt-attention]
// One thread times by thread CPU time, more by wall time (best of many turns).
#include "core/gemv.h"
#include "core/int8.h"

#include <ATen/Parallel.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

using namespace fabula::kernels;

namespace {

using Clock = std::chrono::steady_clock;

double seconds(const std::function<void()>& f, int reps) {
    double best = 1e30;
    for (int r = 0; r < reps; ++r) {
        auto t0 = Clock::now();
        f();
        best = std::min(best, std::chrono::duration<double>(Clock::now() - t0).count());
    }
    return best;
}

// Jobs timed in turns, round after round, each keeping its best: on a
// shared machine every job then sees the same quiet moments, so their
// ratios (to the streaming read above all) mean something.
struct Job {
    std::string name;
    double bytes;
    std::function<void()> run;
    double best = 1e30;
};

// On one thread the time is the thread's CPU time, which leaves out the
// moments other processes had the core (the copies stay larger than the
// caches, so the memory still has to deliver every byte).
bool g_cpu_time = false;
double now() {
    if (!g_cpu_time) return std::chrono::duration<double>(Clock::now().time_since_epoch()).count();
    timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return double(t.tv_sec) + double(t.tv_nsec) * 1e-9;
}

void race(std::vector<Job>& jobs, int rounds) {
    for (int r = 0; r < rounds; ++r)
        for (auto& j : jobs) {
            const double t0 = now();
            j.run();
            j.best = std::min(j.best, now() - t0);
        }
    for (const auto& j : jobs) std::printf("  %-44s %7.2f ms %6.1f GB/s\n", j.name.c_str(), j.best * 1e3, j.bytes / j.best / 1e9);
}

const std::vector<std::pair<int64_t, int64_t>> kBig = {{2304, 768}, {3072, 768}, {768, 3072}, {50257, 768}};

std::vector<std::pair<int64_t, int64_t>> token_shapes() {
    const int64_t C = 768;
    std::vector<std::pair<int64_t, int64_t>> s;
    for (int l = 0; l < 12; ++l) s.insert(s.end(), {{3 * C, C}, {C, C}, {4 * C, C}, {C, 4 * C}});
    s.push_back({50257, C});
    return s;
}

// Copies so one pass reads at least 96 MiB, three times the L3 cache
// (FABULA_BENCH_MIB=1 instead keeps one copy in cache: the kernels' own
// speed, what a machine with more bandwidth per core would see).
int copies_for(double bytes) {
    const char* e = std::getenv("FABULA_BENCH_MIB");
    const double mib = e ? std::atof(e) : 96.0;
    return std::max(1, int(mib * (1 << 20) / bytes + 0.999));
}
constexpr int kReps = 40;

std::string shape_name(int64_t o, int64_t i) { return std::to_string(o) + "x" + std::to_string(i); }

} // namespace

int main(int argc, char** argv) {
    const int threads = argc > 1 ? std::atoi(argv[1]) : 2;
    const std::string what = argc > 2 ? argv[2] : "all";
    at::set_num_threads(threads);
    g_cpu_time = threads == 1;
    std::printf("threads %d (%s time)\n", at::get_num_threads(), g_cpu_time ? "thread CPU" : "wall");
    const at::Tensor stream = at::ones({int64_t(24) << 20}); // 96 MiB fp32
    auto stream_job = [&] {
        return Job{"stream read (at::sum, 96 MiB)", double(stream.numel()) * 4, [&] { (void)stream.sum().item<float>(); }};
    };

    if (what == "all" || what.rfind("gemv", 0) == 0) {
        for (auto dtype : {at::kFloat, at::kBFloat16, at::kHalf}) {
            const char* dn = dtype == at::kFloat ? "fp32" : dtype == at::kBFloat16 ? "bf16" : "fp16";
            if (what.size() > 4 && what != std::string("gemv-") + dn) continue;
            const double es = dtype == at::kFloat ? 4 : 2;
            std::vector<std::vector<at::Tensor>> mats;
            std::vector<at::Tensor> xs;
            for (auto [o, i] : kBig) {
                mats.emplace_back();
                for (int k = 0, n = copies_for(double(o * i) * es); k < n; ++k) mats.back().push_back(at::randn({o, i}).to(dtype));
                xs.push_back(at::randn({i}).to(dtype)); // as the engine passes it
            }
            std::vector<Job> jobs{stream_job()};
            for (const auto& kname : gemv_kernels_available()) {
                if (kname == "portable" && dtype != at::kFloat) continue; // slow; fp32 shows the scale
                for (size_t s = 0; s < kBig.size(); ++s) {
                    auto [o, i] = kBig[s];
                    jobs.push_back({"gemv " + kname + " " + dn + " " + shape_name(o, i), double(o * i) * es * mats[s].size(),
                                    [&, s, kname] {
                                        use_gemv_kernel(kname);
                                        for (auto& m : mats[s]) (void)gemv(m, xs[s], {});
                                    }});
                }
            }
            std::printf("%s weights:\n", dn);
            race(jobs, kReps);
            // A whole token's projections (one copy: some stay in the L3).
            std::vector<at::Tensor> w, x;
            double bytes = 0;
            for (auto [o, i] : token_shapes()) {
                w.push_back(at::randn({o, i}).to(dtype));
                x.push_back(at::randn({i}).to(dtype));
                bytes += double(o * i) * es;
            }
            std::vector<Job> tok{stream_job()};
            const int bits_before = bf16_dot_bits();
            for (const auto& kname : gemv_kernels_available()) {
                if (kname == "portable") continue;
                // The bf16 dot product in both its widths (one is chosen by vendor).
                const bool widths = kname == "avx512bf16" && dtype == at::kBFloat16;
                for (int bits : widths ? std::vector<int>{512, 256} : std::vector<int>{bits_before}) {
                    const std::string tag = widths ? "/" + std::to_string(bits) : "";
                    tok.push_back({"gemv " + kname + tag + " " + dn + " token (124M, lm_head incl.)", bytes,
                                   [&, kname, bits] {
                                       use_gemv_kernel(kname);
                                       use_bf16_dot_bits(bits);
                                       for (size_t k = 0; k < w.size(); ++k) (void)gemv(w[k], x[k], {});
                                   }});
                }
            }
            race(tok, 15);
            use_bf16_dot_bits(bits_before);
        }
        use_gemv_kernel(gemv_kernels_available().front());
    }

    if (what == "all" || what == "attention") {
        // A token's attention over a 512-token history in the 124M shape
        // (12 layers of 12 heads of 64, fp32 cache as the engine keeps it on
        // the CPU; 38 MB read in all): the library calls the engine made before
        // (narrow + copy_ into the cache, SDPA over the narrowed cache) against
        // decode_attention on each kernel.
        const int64_t L = 12, H = 12, D = 64, Tmax = 1024, pos = 512;
        for (auto dtype : {at::kFloat, at::kBFloat16}) {
            const char* dn = dtype == at::kFloat ? "fp32" : "bf16";
            std::vector<at::Tensor> kc, vc;
            for (int64_t l = 0; l < L; ++l) {
                kc.push_back(at::randn({1, H, Tmax, D}).to(dtype));
                vc.push_back(at::randn({1, H, Tmax, D}).to(dtype));
            }
            const at::Tensor q = at::randn({1, 1, H, D}).to(dtype).transpose(1, 2);
            const at::Tensor k = at::randn({1, 1, H, D}).to(dtype).transpose(1, 2);
            const at::Tensor v = at::randn({1, 1, H, D}).to(dtype).transpose(1, 2);
            const double bytes = double(2 * L * H * (pos + 1) * D) * (dtype == at::kFloat ? 4 : 2);
            std::vector<Job> jobs{stream_job()};
            jobs.push_back({std::string("attention ") + dn + " library (copy_ + SDPA), d512", bytes, [&] {
                                for (int64_t l = 0; l < L; ++l) {
                                    kc[l].narrow(2, pos, 1).copy_(k);
                                    vc[l].narrow(2, pos, 1).copy_(v);
                                    (void)at::scaled_dot_product_attention(q, kc[l].narrow(2, 0, pos + 1),
                                                                           vc[l].narrow(2, 0, pos + 1), {}, 0.0, false,
                                                                           0.125, false)
                                        .transpose(1, 2)
                                        .reshape({1, 1, H * D});
                                }
                            }});
            for (const auto& kname : gemv_kernels_available())
                jobs.push_back({"attention " + std::string(dn) + " decode_attention " + kname + ", d512", bytes,
                                [&, kname] {
                                    use_gemv_kernel(kname);
                                    for (int64_t l = 0; l < L; ++l)
                                        (void)decode_attention(q, k, v, kc[l], vc[l], pos, 0, 0.125);
                                }});
            jobs.push_back({std::string("attention ") + dn + " decode_attention, d0 (per-call cost)", 1, [&] {
                                use_gemv_kernel(gemv_kernels_available().front());
                                for (int64_t l = 0; l < L; ++l) (void)decode_attention(q, k, v, kc[l], vc[l], 0, 0, 0.125);
                            }});
            jobs.push_back({std::string("attention ") + dn + " library, d0 (per-call cost)", 1, [&] {
                                for (int64_t l = 0; l < L; ++l) {
                                    kc[l].narrow(2, 0, 1).copy_(k);
                                    vc[l].narrow(2, 0, 1).copy_(v);
                                    (void)at::scaled_dot_product_attention(q, kc[l].narrow(2, 0, 1),
                                                                           vc[l].narrow(2, 0, 1), {}, 0.0, false,
                                                                           0.125, false)
                                        .transpose(1, 2)
                                        .reshape({1, 1, H * D});
                                }
                            }});
            std::printf("decode attention, 12 layers, %s cache:\n", dn);
            race(jobs, kReps);
        }
        use_gemv_kernel(gemv_kernels_available().front());
    }

    if (what == "all" || what == "int8") {
        std::vector<std::vector<Int8Matrix>> mats;
        std::vector<at::Tensor> xs;
        for (auto [o, i] : kBig) {
            mats.emplace_back();
            for (int k = 0, n = copies_for(double(o * i) * 1.125); k < n; ++k) mats.back().push_back(quantize_int8(at::randn({o, i})));
            xs.push_back(at::randn({i}));
        }
        std::vector<Job> jobs{stream_job()};
        for (const auto& kname : int8_kernels_available())
            for (size_t s = 0; s < kBig.size(); ++s) {
                auto [o, i] = kBig[s];
                double bytes = 0;
                for (auto& m : mats[s]) bytes += double(m.bytes());
                jobs.push_back({"int8 " + kname + " " + shape_name(o, i), bytes, [&, s, kname] {
                                    use_int8_kernel(kname);
                                    for (auto& m : mats[s]) (void)gemv_int8(m, xs[s], {});
                                }});
            }
        std::printf("int8 weights (bytes: q and scales):\n");
        race(jobs, kReps);
        std::vector<Int8Matrix> w;
        std::vector<at::Tensor> x;
        double bytes = 0;
        for (auto [o, i] : token_shapes()) {
            w.push_back(quantize_int8(at::randn({o, i})));
            x.push_back(at::randn({i}));
            bytes += double(w.back().bytes());
        }
        std::vector<Job> tok{stream_job()};
        for (const auto& kname : int8_kernels_available())
            if (kname != "portable")
                tok.push_back({"int8 " + kname + " token (124M, lm_head incl.)", bytes, [&, kname] {
                                   use_int8_kernel(kname);
                                   for (size_t k = 0; k < w.size(); ++k) (void)gemv_int8(w[k], x[k], {});
                               }});
        race(tok, 15);
        use_int8_kernel(int8_kernels_available().front());
    }

    if (what == "int8-cache") {
        // The kernels' own cost: a 24 KiB matrix in L1, 1000 products a pass.
        const Int8Matrix m = quantize_int8(at::randn({32, 768}));
        const at::Tensor x = at::randn({768});
        std::vector<Job> jobs;
        for (const auto& kname : int8_kernels_available())
            jobs.push_back({"int8 " + kname + " 32x768 from L1", double(m.bytes()) * 1000, [&, kname] {
                                use_int8_kernel(kname);
                                for (int k = 0; k < 1000; ++k) (void)gemv_int8(m, x, {});
                            }});
        race(jobs, 100);
    }

    if (what == "all" || what == "prompt") {
        const int64_t n = 512;
        double t32 = 0, t8 = 0;
        const std::vector<std::pair<int64_t, int64_t>> shapes = {{2304, 768}, {768, 768}, {3072, 768}, {768, 3072}, {50257, 768}};
        for (auto [o, i] : shapes) {
            const at::Tensor wf = at::randn({o, i}) * 0.02, b = at::randn({o});
            const Int8Matrix wq = quantize_int8(wf);
            const at::Tensor x = at::randn({n, i});
            double a = 1e30, q = 1e30; // in turns, as race() does
            for (int r = 0; r < 10; ++r) {
                a = std::min(a, seconds([&] { (void)at::linear(x, wf, b); }, 1));
                q = std::min(q, seconds([&] { (void)linear_int8(wq, x, b); }, 1));
            }
            std::printf("prompt %lld rows %5lldx%-5lld: at::linear fp32 %.2f ms, linear_int8 %.2f ms (%.2fx)\n",
                        (long long)n, (long long)o, (long long)i, a * 1e3, q * 1e3, a / q);
            if (o == 50257) continue; // a prompt's logits are usually its last row's only
            t32 += a * 12;
            t8 += q * 12;
        }
        std::printf("prompt %lld rows, the 124M blocks' projections: fp32 %.1f ms, int8 %.1f ms (%.2fx)\n",
                    (long long)n, t32 * 1e3, t8 * 1e3, t32 / t8);
    }

    if (what == "all" || what == "prompt-int8") {
        // The prompt GEMM on every int8 kernel this CPU runs, against
        // at::linear on fp32 and bf16 weights (oneDNN), at a 512-token
        // prompt's shapes; in turns, each keeping its best (GMAC/s).
        const int64_t n = std::getenv("FABULA_BENCH_ROWS") ? std::atoll(std::getenv("FABULA_BENCH_ROWS")) : 512;
        const std::vector<std::pair<int64_t, int64_t>> shapes = {{2304, 768}, {768, 768}, {3072, 768}, {768, 3072}};
        std::vector<std::string> names = {"fp32 at::linear", "bf16 at::linear"};
        for (const auto& k : int8_kernels_available()) names.push_back("int8 " + k);
        std::vector<double> block(names.size(), 0);
        for (auto [o, i] : shapes) {
            const at::Tensor wf = at::randn({o, i}) * 0.02, b = at::randn({o}), wb = wf.to(at::kBFloat16);
            const at::Tensor x = at::randn({n, i}), xb = x.to(at::kBFloat16), bb = b.to(at::kBFloat16);
            const Int8Matrix wq = quantize_int8(wf);
            std::vector<double> best(names.size(), 1e30);
            for (int r = 0; r < 8; ++r)
                for (size_t k = 0; k < names.size(); ++k) {
                    std::function<void()> f;
                    if (k == 0) f = [&] { (void)at::linear(x, wf, b); };
                    else if (k == 1) f = [&] { (void)at::linear(xb, wb, bb); };
                    else {
                        use_int8_kernel(names[k].substr(5));
                        f = [&] { (void)linear_int8(wq, x, b); };
                    }
                    const double t0 = now(); // thread CPU time on one thread
                    f();
                    best[k] = std::min(best[k], now() - t0);
                }
            const double macs = double(n) * double(o) * double(i);
            std::printf("prompt-int8 %lldx%lld x %lldx%lld:", (long long)n, (long long)i, (long long)i, (long long)o);
            for (size_t k = 0; k < names.size(); ++k) {
                std::printf("  %s %.2f ms (%.0f GMAC/s)", names[k].c_str(), best[k] * 1e3, macs / best[k] / 1e9);
                block[k] += best[k] * 12; // each shape once a layer
            }
            std::printf("\n");
        }
        std::printf("prompt-int8 %lld rows, the 124M blocks' projections:", (long long)n);
        for (size_t k = 0; k < names.size(); ++k)
            std::printf("  %s %.1f ms (%.2fx fp32)", names[k].c_str(), block[k] * 1e3, block[0] / block[k]);
        std::printf("\n");
        use_int8_kernel(int8_kernels_available().front());
    }
    if (what == "all" || what == "prompt-attention") {
        // GPT-2 124M's heads over a 512-token prompt, twelve layers' worth.
        const int64_t T = 512, H = 12, D = 64;
        const at::Tensor q = at::randn({1, T, H, D}).transpose(1, 2), k = at::randn({1, H, T, D}),
                         v = at::randn({1, H, T, D});
        const double scale = 0.125;
        const at::Tensor qc = q.contiguous();
        const at::Tensor mask = at::ones({256, 512}, at::TensorOptions().dtype(at::kBool)).tril(256);
        std::vector<std::string> names = {"sdpa causal 512", "sdpa 2x256"};
        for (const auto& g : gemv_kernels_available())
            if (g != "portable") names.push_back("prompt_attention " + g); // portable: the library's
        std::vector<double> best(names.size(), 1e30);
        const double macs = 12.0 * H * (double(T) * (T + 1) / 2) * D * 2;
        for (int r = 0; r < 5; ++r)
            for (size_t j = 0; j < names.size(); ++j) {
                std::function<void()> f;
                if (j == 0)
                    f = [&] { (void)at::scaled_dot_product_attention(qc, k, v, {}, 0.0, true, scale); };
                else if (j == 1)
                    f = [&] {
                        (void)at::scaled_dot_product_attention(qc.narrow(2, 0, 256), k.narrow(2, 0, 256),
                                                               v.narrow(2, 0, 256), {}, 0.0, true, scale);
                        (void)at::scaled_dot_product_attention(qc.narrow(2, 256, 256), k, v, mask, 0.0, false, scale);
                    };
                else {
                    use_gemv_kernel(names[j].substr(17));
                    f = [&] { (void)prompt_attention(q, k, v, 0, 0, scale); };
                }
                best[j] = std::min(best[j], seconds([&] {
                                       for (int l = 0; l < 12; ++l) f();
                                   }, 1));
            }
        std::printf("prompt-attention 512 tokens, 12 layers x 12 heads x 64 (the causal half):");
        for (size_t j = 0; j < names.size(); ++j)
            std::printf("  %s %.1f ms (%.0f GMAC/s)", names[j].c_str(), best[j] * 1e3, macs / best[j] / 1e9);
        std::printf("\n");
        use_gemv_kernel(gemv_kernels_available().front());
    }
}

// Writes the seed corpus of every fuzz target into OUT/<target>/, from the
// same fixtures the tests use: the GPT-2 tokenizer files and story corpora of
// the shared data folder, and files written by Fabula's own writers
// (write_safetensors, ModelConfig::to_json, tokenize_stories, serialize()).
// Usage: fabula-fuzz-seeds OUT SHARED_DATA_DIR (the folder with gpt2/ and stories/)
#include "core/json_file.h"
#include "core/lorebook.h"
#include "core/lora.h"
#include "core/model_config.h"
#include "core/safetensors.h"
#include "core/utf8.h"
#include "token_cache_fixture.h"
#include "training/trainer_state.h"

#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>

using namespace fabula;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

fs::path out_dir;

void seed(const std::string& target, const std::string& name, std::string_view bytes) {
    const fs::path dir = out_dir / target;
    fs::create_directories(dir);
    std::ofstream out(dir / name, std::ios::binary);
    out.write(bytes.data(), std::streamsize(bytes.size()));
    if (!out) throw std::runtime_error("cannot write " + (dir / name).string());
}

// A flag byte first, as the story, cache and tokenizer-pair targets expect.
std::string flagged(unsigned char flags, std::string_view rest) { return std::string(1, char(flags)) + std::string(rest); }

// At most `max` bytes of s, cut at a character boundary.
std::string prefix(const std::string& s, size_t max) {
    if (s.size() <= max) return s;
    size_t n = max;
    while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
    return s.substr(0, n);
}

void safetensors_seeds() {
    const fs::path tmp = out_dir / "tmp.safetensors";
    const float f32[8] = {0.5f, -1, 2, 3, 4, 5, 6, 7};
    const uint16_t half[4] = {0x3C00, 0xBC00, 0x3F80, 0x0000};
    auto write = [&](const std::string& name, const std::vector<TensorToWrite>& tensors,
                     const std::vector<std::pair<std::string, std::string>>& metadata) {
        write_safetensors(tmp, tensors, metadata);
        seed("fuzz_safetensors", name, read_file(tmp));
    };
    write("gpt2-like", {{"wte.weight", DType::F32, {4, 2}, f32}, {"h.0.ln_1.bias", DType::F16, {2}, half},
                        {"lm_head.weight", DType::BF16, {2, 1}, half + 2}},
          {{"format", "pt"}});
    write("scalar-and-empty", {{"scalar", DType::F32, {}, f32}, {"empty", DType::F16, {0, 3}, half}}, {});
    write("metadata-only", {}, {{"format", "pt"}, {"note", "no tensors"}});
    fs::remove(tmp);
}

// adapter_config.json, NUL, adapter_model.safetensors: as Fabula (and PEFT) write them.
void adapter_seeds() {
    const fs::path tmp = out_dir / "tmp-adapter.safetensors";
    const float a[4] = {0.1f, -0.2f, 0.3f, 0.4f}, b[6] = {1, 0, -1, 0.5f, 0, 2};
    auto write = [&](const std::string& name, const LoraSettings& s, const std::vector<std::string>& modules) {
        std::vector<TensorToWrite> tensors;
        for (const auto& m : modules) {
            tensors.push_back({lora_a_name(m), DType::F32, {s.r, 4 / s.r}, a});
            tensors.push_back({lora_b_name(m), DType::F32, {6 / s.r, s.r}, b});
        }
        write_safetensors(tmp, tensors, {{"format", "pt"}});
        seed("fuzz_adapter_folder", name,
             peft_adapter_config(s, s.targets, "gpt2", true).dump(2) + std::string(1, '\0') + read_file(tmp));
    };
    LoraSettings gpt2;
    gpt2.r = 2, gpt2.targets = {"c_attn"};
    write("gpt2-c_attn", gpt2, {"transformer.h.0.attn.c_attn", "transformer.h.1.attn.c_attn"});
    LoraSettings llama;
    llama.r = 1, llama.alpha = 16, llama.rslora = true, llama.dropout = 0.05, llama.targets = {"q_proj", "v_proj"};
    write("llama-q-v", llama, {"model.layers.0.self_attn.q_proj", "model.layers.0.self_attn.v_proj"});
    fs::remove(tmp);
}

void config_seeds() {
    seed("fuzz_model_config", "gpt2", ModelConfig{}.to_json().dump(2));
    ModelConfig tiny; // the size of the tests' random checkpoints (tests/python/model_fixtures.py)
    tiny.n_layer = 2, tiny.n_head = 3, tiny.n_embd = 48, tiny.n_positions = 128;
    tiny.tie_word_embeddings = false;
    seed("fuzz_model_config", "tiny", tiny.to_json().dump());
    seed("fuzz_model_config", "aliases",
         R"({"model_type":"gpt2","num_hidden_layers":2,"num_attention_heads":2,"hidden_size":8,)"
         R"("max_position_embeddings":16,"vocab_size":300,"n_inner":null,"activation_function":"gelu"})");

    // The other families, as transformers 5 writes tiny ones and as hub configs publish them.
    seed("fuzz_model_config", "llama3",
         R"({"model_type":"llama","hidden_size":64,"intermediate_size":96,"num_hidden_layers":2,)"
         R"("num_attention_heads":4,"num_key_value_heads":2,"head_dim":16,"vocab_size":300,"max_position_embeddings":64,)"
         R"("rms_norm_eps":1e-5,"tie_word_embeddings":false,"eos_token_id":[1,2],"rope_parameters":{"rope_type":"llama3",)"
         R"("rope_theta":500000.0,"factor":8.0,"low_freq_factor":1.0,"high_freq_factor":4.0,)"
         R"("original_max_position_embeddings":32}})");
    seed("fuzz_model_config", "mistral-hub",
         R"({"model_type":"mistral","hidden_size":32,"intermediate_size":64,"num_hidden_layers":2,)"
         R"("num_attention_heads":4,"num_key_value_heads":1,"vocab_size":300,"sliding_window":8,"rope_theta":10000.0,)"
         R"("rope_scaling":{"type":"linear","factor":2.0}})");
    seed("fuzz_model_config", "qwen2",
         R"({"model_type":"qwen2","hidden_size":32,"intermediate_size":64,"num_hidden_layers":2,)"
         R"("num_attention_heads":4,"num_key_value_heads":2,"vocab_size":300,"use_sliding_window":true,)"
         R"("sliding_window":8,"layer_types":["full_attention","sliding_attention"],"eos_token_id":null})");
    seed("fuzz_model_config", "gpt_neo",
         R"({"model_type":"gpt_neo","hidden_size":32,"num_layers":2,"num_heads":4,"vocab_size":300,)"
         R"("max_position_embeddings":64,"window_size":8,"attention_types":[[["global","local"],1]]})");
    seed("fuzz_model_config", "gptj",
         R"({"model_type":"gptj","n_embd":32,"n_layer":2,"n_head":4,"rotary_dim":4,"vocab_size":320,"n_positions":64})");

    seed("fuzz_generation_config", "hf-default",
         R"({"_from_model_config":true,"bos_token_id":50256,"eos_token_id":50256,"transformers_version":"4.46.0"})");
    seed("fuzz_generation_config", "sampling",
         R"({"do_sample":true,"temperature":0.8,"top_k":40,"top_p":0.95,"repetition_penalty":1.1,)"
         R"("max_new_tokens":80,"max_length":null,"eos_token_id":[50256,198]})");
}

// A small byte-level BPE cut out of GPT-2's: its 256 byte tokens (ids 0..255
// in GPT-2's vocab.json), the tokens made by the first merges, <|endoftext|>.
struct SmallBpe {
    json vocab = json::object();
    std::vector<std::pair<std::string, std::string>> merges;
};

SmallBpe small_bpe(const fs::path& gpt2, size_t wanted_merges) {
    const json full = read_json_file(gpt2 / "vocab.json");
    SmallBpe s;
    std::set<std::string> have;
    for (const auto& [text, id] : full.items())
        if (id.get<int>() < 256) have.insert(text);
    int next = 0;
    for (const std::string& t : have) s.vocab[t] = next++;
    std::istringstream merges(read_file(gpt2 / "merges.txt"));
    for (std::string line; s.merges.size() < wanted_merges && std::getline(merges, line);) {
        const size_t space = line.find(' ');
        if (line.starts_with("#") || space == std::string::npos) continue;
        std::string left = line.substr(0, space), right = line.substr(space + 1);
        if (!have.count(left) || !have.count(right)) continue;
        const std::string merged = left + right;
        if (have.insert(merged).second) s.vocab[merged] = next++;
        s.merges.emplace_back(std::move(left), std::move(right));
    }
    s.vocab["<|endoftext|>"] = next;
    return s;
}

void tokenizer_seeds(const fs::path& gpt2) {
    for (size_t m : {12, 48}) {
        const SmallBpe s = small_bpe(gpt2, m);
        std::string merges_txt = "#version: 0.2\n";
        json as_strings = json::array(), as_pairs = json::array();
        for (const auto& [l, r] : s.merges) {
            merges_txt += l + " " + r + "\n";
            as_strings.push_back(l + " " + r);
            as_pairs.push_back({l, r});
        }
        const std::string tag = std::to_string(m) + "-merges";
        seed("fuzz_vocab_merges", tag, s.vocab.dump() + std::string(1, '\0') + merges_txt);

        // The layout transformers' GPT2TokenizerFast.save_pretrained writes.
        const int eot = s.vocab["<|endoftext|>"].get<int>();
        json tj = {{"version", "1.0"},
                   {"truncation", nullptr},
                   {"padding", nullptr},
                   {"added_tokens",
                    {{{"id", eot}, {"content", "<|endoftext|>"}, {"single_word", false}, {"lstrip", false},
                      {"rstrip", false}, {"normalized", true}, {"special", true}}}},
                   {"normalizer", nullptr},
                   {"pre_tokenizer",
                    {{"type", "ByteLevel"}, {"add_prefix_space", false}, {"trim_offsets", true}, {"use_regex", true}}},
                   {"post_processor", {{"type", "ByteLevel"}, {"add_prefix_space", true}, {"trim_offsets", false},
                                       {"use_regex", true}}},
                   {"decoder", {{"type", "ByteLevel"}, {"add_prefix_space", true}, {"trim_offsets", true},
                                {"use_regex", true}}},
                   {"model",
                    {{"type", "BPE"}, {"dropout", nullptr}, {"unk_token", nullptr},
                     {"continuing_subword_prefix", ""}, {"end_of_word_suffix", ""}, {"fuse_unk", false},
                     {"byte_fallback", false}, {"ignore_merges", false}, {"vocab", s.vocab},
                     {"merges", m == 12 ? as_strings : as_pairs}}}};
        seed("fuzz_tokenizer_json", tag, tj.dump(m == 12 ? 2 : -1));
    }
}

void bpe_seeds(const fs::path& gpt2) {
    // Every tenth test vector of tests/python/test_tokenizer.py: all scripts,
    // whitespace kinds, the literal <|endoftext|>, long repeats.
    std::istringstream vectors(read_file(gpt2 / "tokenizer_vectors.jsonl"));
    int i = 0;
    for (std::string line; std::getline(vectors, line); ++i)
        if (i % 10 == 0) seed("fuzz_gpt2_bpe", "vector-" + std::to_string(i), json::parse(line)["text"].get<std::string>());
}

std::string utf16(std::string_view utf8_text, bool big_endian) {
    std::string out;
    auto unit = [&](char16_t u) {
        const char hi = char(u >> 8), lo = char(u & 0xFF);
        out += big_endian ? hi : lo;
        out += big_endian ? lo : hi;
    };
    for (size_t pos = 0; pos < utf8_text.size();) {
        const utf8::Decoded d = utf8::decode(utf8_text, pos);
        pos += d.length;
        const char32_t cp = d.kind == utf8::Decoded::Kind::Valid ? d.cp : utf8::kReplacement;
        if (cp >= 0x10000) {
            unit(char16_t(0xD800 + ((cp - 0x10000) >> 10)));
            unit(char16_t(0xDC00 + ((cp - 0x10000) & 0x3FF)));
        } else {
            unit(char16_t(cp));
        }
    }
    return out;
}

void story_seeds(const fs::path& stories_dir) {
    // The first stories of the corpus the training tests read, cut short.
    std::istringstream corpus(read_file(stories_dir / "tinystories_subset.jsonl"));
    std::vector<std::string> stories;
    for (std::string line; stories.size() < 5 && std::getline(corpus, line);)
        stories.push_back(prefix(json::parse(line)["text"].get<std::string>(), 240));

    std::string txt, crlf = "---\r\n", jsonl, csv = "id,title,text\n";
    for (size_t i = 0; i < stories.size(); ++i) {
        txt += (i ? "\n<|endoftext|>\n" : "") + stories[i];
        for (char c : stories[i]) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
        crlf += "\r\n---\r\n";
        jsonl += json{{"text", stories[i]}, {"id", i}}.dump() + "\n";
        std::string quoted;
        for (char c : stories[i]) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
        csv += std::to_string(i) + ",Story " + std::to_string(i) + ",\"" + quoted + "\"\n";
    }
    seed("fuzz_stories_txt", "endoftext", flagged(0x00, txt));
    seed("fuzz_stories_txt", "dashes-crlf", flagged(0x02, crlf));
    seed("fuzz_stories_txt", "md-dedup", flagged(0x09, txt + "\n<|endoftext|>\n" + stories[0] + "\n<|endoftext|>\n\n"));
    seed("fuzz_stories_jsonl", "stories", flagged(0x00, jsonl));
    seed("fuzz_stories_jsonl", "bom-problems",
         flagged(0x01, "\xEF\xBB\xBF" + jsonl + "\n{\"text\": 3}\n[1]\n{\"title\": \"x\"}\nnot json\n" +
                           json{{"text", stories[1]}}.dump() + "\n"));
    seed("fuzz_stories_csv", "stories", flagged(0x00, csv));
    seed("fuzz_stories_csv", "crlf-short-rows", flagged(0x03, "Story,n\r\n\"a \"\"b\"\"\r\nc\",1\r\nonly\r\n\r\nx,2"));
    seed("fuzz_stories_utf16", "txt-le", flagged(0x00, utf16(txt, false)));
    seed("fuzz_stories_utf16", "txt-be", flagged(0x02, utf16(txt + "\n\xF0\x9F\x90\x8D", true)));
    seed("fuzz_stories_utf16", "jsonl-le", flagged(0x04, utf16(jsonl, false)));
    seed("fuzz_stories_utf16", "csv-be", flagged(0x0B, utf16(csv, true)));
}

void token_cache_seeds() {
    const fs::path dir = out_dir / "tmp-cache";
    for (size_t k = 0; k < fabula_fuzz::kCacheSets; ++k) {
        const auto t = fabula_fuzz::tokenize_cached(fabula_fuzz::cache_stories(k), dir);
        const std::string file = read_file(t.cache_file());
        seed("fuzz_token_cache", "set-" + std::to_string(k), flagged(static_cast<unsigned char>(k), file));
        // With its last id changed and both repairs asked for: the fuzzer
        // starts past the key and the checksum.
        std::string changed = file;
        changed.back() ^= 0x40;
        seed("fuzz_token_cache", "set-" + std::to_string(k) + "-repaired",
             flagged(static_cast<unsigned char>(k | 12), changed));
    }
    fs::remove_all(dir);
}

void trainer_state_seeds() {
    training::TrainerState fresh;
    fresh.total_steps = 1500;
    fresh.rng_cpu.assign(32, 0x5A);
    seed("fuzz_trainer_state", "fresh", training::serialize(fresh));

    training::TrainerState mid = fresh;
    mid.step = 500, mid.optimizer_steps = 250, mid.epoch = 1.0 / 3, mid.elapsed_s = 812.25;
    mid.sampler_epoch = 1, mid.sampler_index = 17;
    mid.rng_cuda = {0, 1, 2, 254, 255};
    mid.loss_scale = 1024, mid.loss_scale_good_steps = 37;
    mid.settings = {{"model", "/models/gpt2"}, {"lr", 5e-5},          {"batch-size", 2},
                    {"epochs", 3},             {"precision", "fp16"}, {"data", std::string(64, 'a')}};
    seed("fuzz_trainer_state", "mid-run", training::serialize(mid));
}

// Lorebooks as each tool writes them, and Fabula's own JSONL.
void lorebook_seeds() {
    std::vector<LoreEntry> book(2);
    book[0].name = "Zo\u00eb";
    book[0].keys = {"Zo\u00eb", "/zo+e/i"};
    book[0].secondary_keys = {"fox"};
    book[0].content = "Line one.\nLine two.";
    book[0].order = 3;
    book[1].keys = {"island"};
    book[1].content = "One tree.";
    book[1].always = true;
    book[1].enabled = false;
    seed("fuzz_lorebook", "fabula", lorebook_to_jsonl(book));
    seed("fuzz_lorebook", "novelai",
         R"({"lorebookVersion":5,"entries":[{"text":"Mira.","contextConfig":{"budgetPriority":400},)"
         R"("displayName":"Mira","keys":["Mira","/keeper/i"],"enabled":true,"forceActivation":false}]})");
    seed("fuzz_lorebook", "koboldai",
         R"({"0":{"key":"Mira, keeper","keysecondary":"lamp","content":"Mira.","comment":"Mira",)"
         R"("selective":true,"constant":false},"1":{"key":"isle","content":"x","constant":true}})");
    seed("fuzz_lorebook", "character-book",
         R"({"data":{"character_book":{"entries":[{"keys":["Mira"],"secondary_keys":["lamp"],"content":"Mira.",)"
         R"("enabled":true,"insertion_order":7,"name":"Mira","selective":true,"constant":false}]}}})");
    seed("fuzz_lorebook", "koboldai-list", R"([{"key":"a,b","content":"x"},{"key":["c"],"content":"y"}])");
    seed("fuzz_lorebook", "sillytavern",
         R"({"entries":{"0":{"uid":0,"key":["Mira"],"keysecondary":["lamp"],"comment":"Mira","content":"Mira.",)"
         R"("constant":false,"selective":true,"selectiveLogic":0,"order":100,"disable":false,"caseSensitive":null}}})");
}

void hub_seeds() {
    const std::string blob = "0123456789abcdef0123456789abcdef01234567";
    const std::string sha = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
    auto small = [&](const std::string& name, int size) {
        return json{{"rfilename", name}, {"size", size}, {"blobId", blob}};
    };
    auto lfs = [&](const std::string& name, long long size) {
        return json{{"rfilename", name}, {"size", size}, {"blobId", blob},
                    {"lfs", {{"sha256", sha}, {"size", size}, {"pointerSize", 134}}}};
    };
    // As tests/ui/fake_hub.py answers GET /api/models/REPO?blobs=true.
    json all = {{"id", "gpt2"},
                {"siblings",
                 {small("config.json", 665), small("generation_config.json", 124), small("vocab.json", 1042301),
                  small("merges.txt", 456318), small("tokenizer.json", 1355256), lfs("model.safetensors", 548105171),
                  small("README.md", 8000)}}};
    seed("fuzz_hub_metadata", "gpt2", all.dump());
    json minimal = {{"siblings",
                     {small("config.json", 7), small("vocab.json", 30), small("merges.txt", 9), lfs("model.safetensors", 1000)}}};
    seed("fuzz_hub_metadata", "minimal", minimal.dump(1));
}

} // namespace

int main(int argc, char** argv) {
    if (argc != 3) {
        std::cerr << "usage: fabula-fuzz-seeds OUT SHARED_DATA_DIR\n";
        return 2;
    }
    out_dir = argv[1];
    const fs::path data = argv[2];
    try {
        fs::create_directories(out_dir);
        safetensors_seeds();
        config_seeds();
        adapter_seeds();
        tokenizer_seeds(data / "gpt2");
        bpe_seeds(data / "gpt2");
        story_seeds(data / "stories");
        token_cache_seeds();
        trainer_state_seeds();
        hub_seeds();
        lorebook_seeds();
    } catch (const std::exception& e) {
        std::cerr << "fabula-fuzz-seeds: " << e.what() << "\n";
        return 1;
    }
    return 0;
}

#include "training/preference_data.h"

#include "core/error.h"
#include "training/sha256.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <limits>
#include <numeric>
#include <random>

namespace fabula::training {

namespace fs = std::filesystem;
using nlohmann::json;

const char* to_string(ObjectiveKind kind) {
    switch (kind) {
    case ObjectiveKind::LM: return "lm";
    case ObjectiveKind::SFT: return "sft";
    case ObjectiveKind::DPO: return "dpo";
    case ObjectiveKind::KTO: return "kto";
    }
    return "lm";
}

std::optional<ObjectiveKind> parse_objective(std::string_view name) {
    for (ObjectiveKind k : {ObjectiveKind::LM, ObjectiveKind::SFT, ObjectiveKind::DPO, ObjectiveKind::KTO})
        if (name == to_string(k)) return k;
    return std::nullopt;
}

namespace {

size_t common_prefix(const std::vector<int32_t>& a, const std::vector<int32_t>& b) {
    size_t n = 0;
    while (n < a.size() && n < b.size() && a[n] == b[n]) ++n;
    return n;
}

class LineReader {
public:
    LineReader(const fs::path& file, size_t line, const json& row) : file_(file.string()), line_(line), row_(row) {}

    [[noreturn]] void fail(const std::string& why) const {
        throw FileError(file_, "line " + std::to_string(line_) + ": " + why);
    }
    const std::string& text(const char* key) const {
        auto it = row_.find(key);
        if (it == row_.end()) fail(std::string("no \"") + key + "\"");
        if (!it->is_string()) fail(std::string("\"") + key + "\" must be a string");
        return it->get_ref<const std::string&>();
    }
    bool has(const char* key) const { return row_.contains(key); }
    std::vector<int32_t> ids(const char* key, int32_t vocab) const {
        auto it = row_.find(key);
        if (it == row_.end()) fail(std::string("no \"") + key + "\"");
        if (!it->is_array()) fail(std::string("\"") + key + "\" must be a list of token ids");
        std::vector<int32_t> out;
        out.reserve(it->size());
        for (const json& v : *it) {
            if (!v.is_number_integer() || v.get<int64_t>() < 0 || v.get<int64_t>() >= vocab)
                fail(std::string("\"") + key + "\" holds " + v.dump() + ", which is not a token id of this model "
                     "(0 to " + std::to_string(vocab - 1) + ")");
            out.push_back(static_cast<int32_t>(v.get<int64_t>()));
        }
        return out;
    }
    bool boolean(const char* key) const {
        auto it = row_.find(key);
        if (it == row_.end()) fail(std::string("no \"") + key + "\"");
        if (!it->is_boolean()) fail(std::string("\"") + key + "\" must be true or false");
        return it->get<bool>();
    }

private:
    std::string file_;
    size_t line_;
    const json& row_;
};

struct Tokenized {
    std::vector<int32_t> prompt;
    std::vector<std::vector<int32_t>> completions;
};

// TRL 1.16's non-conversational tokenize_fn: EOS text appended to each
// completion that lacks it, tokenizer(text)["input_ids"] with its special
// tokens, and the prompt cut where it and every prompt + completion first
// differ.
Tokenized tokenize_like_trl(const Tokenizer& tok, const std::string& prompt,
                            const std::vector<const std::string*>& completions, const std::string& eos) {
    Tokenized t;
    const std::vector<int32_t> prompt_ids = tok.encode_with_specials(prompt);
    std::vector<std::vector<int32_t>> full;
    size_t prompt_len = prompt_ids.size();
    for (const std::string* c : completions) {
        std::string text = prompt + *c;
        if (!(c->size() >= eos.size() && c->compare(c->size() - eos.size(), eos.size(), eos) == 0)) text += eos;
        full.push_back(tok.encode_with_specials(text));
        prompt_len = std::min(prompt_len, common_prefix(prompt_ids, full.back()));
    }
    t.prompt.assign(prompt_ids.begin(), prompt_ids.begin() + prompt_len);
    for (auto& f : full) t.completions.emplace_back(f.begin() + prompt_len, f.end());
    return t;
}

void append_eos(std::vector<int32_t>& ids, int32_t eos) {
    if (ids.empty() || ids.back() != eos) ids.push_back(eos);
}

void hash_ids(Sha256& h, const std::vector<int32_t>& ids) {
    const uint64_t n = ids.size();
    h.update(&n, sizeof n);
    h.update(ids.data(), ids.size() * sizeof(int32_t));
}

} // namespace

TruncatedSequence join_truncated(const std::vector<int32_t>& prompt, const std::vector<int32_t>& completion,
                                 int max_length) {
    TruncatedSequence s;
    s.ids = prompt;
    s.ids.insert(s.ids.end(), completion.begin(), completion.end());
    if (max_length > 0 && s.ids.size() > size_t(max_length)) s.ids.resize(size_t(max_length));
    s.prompt = std::min(prompt.size(), s.ids.size());
    return s;
}

PreferenceSet read_preference_file(const fs::path& file, ObjectiveKind kind, const Tokenizer& tokenizer,
                                   int max_length) {
    if (kind == ObjectiveKind::LM) throw UsageError("read_preference_file: the lm objective reads stories");
    std::ifstream in(file, std::ios::binary);
    if (!in) throw FileError(file.string(), "cannot be read");
    const int32_t eos = tokenizer.end_of_text_id();
    if (eos < 0) throw FileError(tokenizer.source(), "the tokenizer has no end-of-text token to end completions with");
    const std::string eos_text = tokenizer.token_bytes(eos);
    const int32_t vocab = tokenizer.vocab_size();

    PreferenceSet set;
    set.kind = kind;
    Sha256 hash;
    hash.update_field(to_string(kind));
    std::string line;
    size_t number = 0;
    while (std::getline(in, line)) {
        ++number;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.find_first_not_of(" \t") == std::string::npos) continue;
        json row = json::parse(line, nullptr, false);
        if (row.is_discarded())
            throw FileError(file.string(), "line " + std::to_string(number) + ": not valid JSON (or not UTF-8)");
        if (!row.is_object())
            throw FileError(file.string(), "line " + std::to_string(number) + ": must be one JSON object");
        LineReader r(file, number, row);
        ++set.lines;
        const size_t limit = max_length > 0 ? size_t(max_length) : std::numeric_limits<size_t>::max();
        if (kind == ObjectiveKind::DPO) {
            PairExample p;
            if (r.has("prompt_ids") && r.has("chosen_ids") && r.has("rejected_ids")) {
                p.prompt = r.ids("prompt_ids", vocab);
                p.chosen = r.ids("chosen_ids", vocab);
                p.rejected = r.ids("rejected_ids", vocab);
                append_eos(p.chosen, eos);
                append_eos(p.rejected, eos);
            } else {
                const std::string& prompt = r.text("prompt");
                Tokenized t = tokenize_like_trl(tokenizer, prompt, {&r.text("chosen"), &r.text("rejected")}, eos_text);
                p.prompt = std::move(t.prompt);
                p.chosen = std::move(t.completions[0]);
                p.rejected = std::move(t.completions[1]);
            }
            if (p.prompt.size() >= limit) {
                ++set.dropped;
                continue;
            }
            if (p.prompt.size() + std::max(p.chosen.size(), p.rejected.size()) > limit) ++set.truncated;
            hash_ids(hash, p.prompt);
            hash_ids(hash, p.chosen);
            hash_ids(hash, p.rejected);
            set.pairs.push_back(std::move(p));
        } else {
            CompletionExample c;
            if (kind == ObjectiveKind::KTO) c.desirable = r.boolean("label");
            if (r.has("prompt_ids") && r.has("completion_ids")) {
                c.prompt = r.ids("prompt_ids", vocab);
                c.completion = r.ids("completion_ids", vocab);
                append_eos(c.completion, eos);
            } else {
                const std::string& prompt = r.text("prompt");
                Tokenized t = tokenize_like_trl(tokenizer, prompt, {&r.text("completion")}, eos_text);
                c.prompt = std::move(t.prompt);
                c.completion = std::move(t.completions[0]);
            }
            if (c.prompt.size() >= limit) {
                ++set.dropped;
                continue;
            }
            if (c.prompt.size() + c.completion.size() > limit) ++set.truncated;
            hash_ids(hash, c.prompt);
            hash_ids(hash, c.completion);
            const uint8_t label = c.desirable;
            hash.update(&label, 1);
            set.completions.push_back(std::move(c));
        }
    }
    if (in.bad()) throw FileError(file.string(), "cannot be read");
    if (set.lines == 0) throw FileError(file.string(), "holds no examples (one JSON object per line)");
    if (set.size() == 0)
        throw FileError(file.string(), "every example's prompt fills the " + std::to_string(max_length) +
                                           " tokens of a training sequence, so nothing is left to learn from");
    set.fingerprint = Sha256::hex(hash.finish());
    return set;
}

void split_examples(std::size_t n, double val_fraction, uint64_t seed, std::vector<std::size_t>& train,
                    std::vector<std::size_t>& val) {
    std::vector<std::size_t> all(n);
    std::iota(all.begin(), all.end(), 0);
    std::size_t held = val_fraction > 0 && n >= 2 ? std::max<std::size_t>(1, std::size_t(val_fraction * double(n) + 0.5)) : 0;
    held = std::min(held, n - std::min<std::size_t>(n, 1));
    if (held > 0) {
        std::mt19937_64 rng(seed);
        std::shuffle(all.begin(), all.end(), rng);
    }
    val.assign(all.begin(), all.begin() + held);
    train.assign(all.begin() + held, all.end());
    std::sort(val.begin(), val.end());
    std::sort(train.begin(), train.end());
}

} // namespace fabula::training

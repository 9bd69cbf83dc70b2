#include "core/tokenizer.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <map>
#include <cstring>
#include <functional>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <unordered_map>
#include <unordered_set>

#include "core/error.h"
#include "core/json_file.h"
#include "core/pretokenizer.h"
#include "core/sentencepiece_model.h"
#include "core/tokenizer_pipeline.h"
#include "core/utf8.h"

namespace fabula {
namespace {

constexpr std::string_view kEndOfText = "<|endoftext|>";

// Pieces are short (a word and its leading space), so a hash that eats eight
// bytes per multiply beats byte-at-a-time FNV; keys come from the user's own
// text, so there is no adversary to defend against.
inline uint64_t mix(uint64_t x) {
    x ^= x >> 32;
    x *= 0xD6E8FEB86659FD93ull;
    x ^= x >> 32;
    x *= 0xD6E8FEB86659FD93ull;
    x ^= x >> 32;
    return x;
}

inline uint64_t hash_bytes(std::string_view s) {
    const char* p = s.data();
    size_t n = s.size();
    uint64_t h = 0x9E3779B97F4A7C15ull ^ (n * 0xFF51AFD7ED558CCDull);
    while (n >= 8) {
        uint64_t v;
        std::memcpy(&v, p, 8);
        h = mix(h ^ v);
        p += 8;
        n -= 8;
    }
    uint64_t v = 0;
    std::memcpy(&v, p, n);
    return mix(h ^ v);
}

inline size_t capacity_for(size_t count) {
    size_t cap = 16;
    while (cap < count * 2) cap <<= 1;
    return cap;
}

// GPT-2 stores tokens as text: every byte is shown as a printable code point
// (printable Latin-1 bytes as themselves, the other 68 as U+0100..U+0143 in
// byte order), so "Ġthe" is the bytes " the".
struct ByteLevel {
    static constexpr char32_t kCodePoints = 256 + 68;
    std::array<char32_t, 256> byte_to_cp{};
    std::array<int16_t, kCodePoints> cp_to_byte{}; // -1: no byte

    ByteLevel() {
        cp_to_byte.fill(-1);
        char32_t next = 256;
        for (int b = 0; b < 256; ++b) {
            const bool printable = (b >= 0x21 && b <= 0x7E) || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE);
            byte_to_cp[b] = printable ? static_cast<char32_t>(b) : next++;
            cp_to_byte[byte_to_cp[b]] = static_cast<int16_t>(b);
        }
    }

    // The bytes a token's text stands for, or nothing when it has a code
    // point outside the 256 of the mapping (or is not UTF-8).
    std::optional<std::string> to_bytes(std::string_view text) const {
        std::string out;
        out.reserve(text.size());
        for (size_t pos = 0; pos < text.size();) {
            const utf8::Decoded d = utf8::decode(text, pos);
            if (d.kind != utf8::Decoded::Kind::Valid) return std::nullopt;
            if (d.cp >= kCodePoints || cp_to_byte[d.cp] < 0) return std::nullopt;
            out += static_cast<char>(cp_to_byte[d.cp]);
            pos += d.length;
        }
        return out;
    }
};

const ByteLevel& byte_level() {
    static const ByteLevel instance;
    return instance;
}

// s with every `from` replaced by `to`.
std::string replaced(std::string_view s, std::string_view from, std::string_view to) {
    std::string out;
    size_t prev = 0;
    for (size_t at; !from.empty() && (at = s.find(from, prev)) != std::string_view::npos; prev = at + from.size()) {
        out.append(s.substr(prev, at - prev));
        out.append(to);
    }
    out.append(s.substr(prev));
    return out;
}

// For messages: the token as the file spells it, cut short.
std::string shown(std::string_view s) {
    constexpr size_t kMax = 40;
    std::string out = "\"";
    out += s.substr(0, kMax);
    if (s.size() > kMax) out += "...";
    out += "\"";
    return out;
}

// Token bytes -> id, by open addressing. The hot path looks up every
// pre-token here, so a slot holds the token's first 11 bytes and its length
// inline: a lookup of a short token (95% of GPT-2's) touches one cache line
// and never the token strings.
class TokenIndex {
public:
    static constexpr size_t kInline = 11;

    // Indexes tokens[id] for each id in ids.
    void build(const std::vector<std::string>& tokens, const std::vector<int32_t>& ids) {
        tokens_ = &tokens;
        slots_.assign(capacity_for(ids.size()), Slot{});
        mask_ = slots_.size() - 1;
        for (int32_t id : ids) {
            const Key k = pack(tokens[id]);
            size_t i = k.hash & mask_;
            while (slots_[i].id >= 0) i = (i + 1) & mask_;
            slots_[i] = {k.lo, k.hi, id};
        }
    }

    struct Key {
        uint64_t lo;
        uint32_t hi; // bytes 8..10, then the length (0xFF: longer than kInline)
        uint64_t hash;
    };

    static Key pack(std::string_view s) {
        unsigned char buf[12] = {};
        const size_t n = std::min(s.size(), kInline);
        std::memcpy(buf, s.data(), n);
        buf[kInline] = s.size() <= kInline ? static_cast<unsigned char>(s.size()) : 0xFF;
        Key k;
        std::memcpy(&k.lo, buf, 8);
        std::memcpy(&k.hi, buf + 8, 4);
        k.hash = mix(k.lo ^ (static_cast<uint64_t>(k.hi) << 29));
        return k;
    }

    // The table outgrows the L2 cache, so the encoder asks for the next
    // pre-token's slot while it finishes the current one.
    void prefetch(const Key& k) const { __builtin_prefetch(&slots_[k.hash & mask_]); }

    int32_t find(std::string_view bytes) const { return find(bytes, pack(bytes)); }

    int32_t find(std::string_view bytes, const Key& k) const {
        for (size_t i = k.hash & mask_;; i = (i + 1) & mask_) {
            const Slot& s = slots_[i];
            if (s.id < 0) return -1;
            if (s.lo == k.lo && s.hi == k.hi && (bytes.size() <= kInline || (*tokens_)[s.id] == bytes)) return s.id;
        }
    }

private:
    struct Slot {
        uint64_t lo = 0;
        uint32_t hi = 0;
        int32_t id = -1;
    };

    const std::vector<std::string>* tokens_ = nullptr;
    std::vector<Slot> slots_;
    size_t mask_ = 0;
};

struct Merge {
    uint32_t rank;
    int32_t merged;
};

constexpr uint32_t kNoRank = UINT32_MAX;

// (left id, right id) -> (rank, merged id).
class MergeTable {
public:
    void reserve(size_t count) {
        slots_.assign(capacity_for(count), Slot{});
        mask_ = slots_.size() - 1;
    }

    // A pair listed twice keeps its later rank, as in Hugging Face (and in
    // OpenAI's encoder.py, whose dict does the same).
    void insert(int32_t left, int32_t right, Merge m) {
        const uint64_t key = make_key(left, right);
        size_t i = slot_of(key);
        while (slots_[i].key != kEmpty && slots_[i].key != key) i = (i + 1) & mask_;
        slots_[i] = {key, m};
    }

    Merge find(int32_t left, int32_t right) const {
        const uint64_t key = make_key(left, right);
        for (size_t i = slot_of(key);; i = (i + 1) & mask_) {
            const Slot& s = slots_[i];
            if (s.key == key) return s.merge;
            if (s.key == kEmpty) return {kNoRank, -1};
        }
    }

private:
    static constexpr uint64_t kEmpty = ~0ull;
    struct Slot {
        uint64_t key = kEmpty;
        Merge merge{kNoRank, -1};
    };
    static uint64_t make_key(int32_t l, int32_t r) {
        return (static_cast<uint64_t>(static_cast<uint32_t>(l)) << 32) | static_cast<uint32_t>(r);
    }
    size_t slot_of(uint64_t key) const { return (key * 0x9E3779B97F4A7C15ull) >> 20 & mask_; }

    std::vector<Slot> slots_;
    size_t mask_ = 0;
};

// Pieces that BPE splits into several tokens -> their ids. Sharded so that
// threads encoding at once rarely wait on the same lock; each shard empties
// itself when full, which bounds memory in a long-running app.
class PieceCache {
public:
    bool lookup(std::string_view piece, uint64_t h, std::vector<int32_t>& out) {
        Shard& sh = shards_[h >> 60];
        std::lock_guard lock(sh.mu);
        if (sh.slots.empty()) return false;
        for (size_t i = h & kMask;; i = (i + 1) & kMask) {
            const Slot& s = sh.slots[i];
            if (s.hash == 0) return false;
            if (s.hash == (h | 1) && std::string_view(sh.keys).substr(s.key_off, s.key_len) == piece) {
                out.insert(out.end(), sh.values.begin() + s.val_off, sh.values.begin() + s.val_off + s.val_len);
                return true;
            }
        }
    }

    void insert(std::string_view piece, uint64_t h, const int32_t* ids, size_t n) {
        if (piece.size() > kMaxPieceBytes) return;
        Shard& sh = shards_[h >> 60];
        std::lock_guard lock(sh.mu);
        if (sh.slots.empty() || sh.used == kMaxEntries) {
            sh.slots.assign(kSlots, Slot{});
            sh.keys.clear();
            sh.values.clear();
            sh.used = 0;
        }
        size_t i = h & kMask;
        for (; sh.slots[i].hash != 0; i = (i + 1) & kMask) {
            const Slot& s = sh.slots[i];
            // Another thread got here first.
            if (s.hash == (h | 1) && std::string_view(sh.keys).substr(s.key_off, s.key_len) == piece) return;
        }
        sh.slots[i] = {h | 1, static_cast<uint32_t>(sh.keys.size()), static_cast<uint32_t>(piece.size()),
                       static_cast<uint32_t>(sh.values.size()), static_cast<uint32_t>(n)};
        sh.keys.append(piece);
        sh.values.insert(sh.values.end(), ids, ids + n);
        ++sh.used;
    }

private:
    static constexpr size_t kShards = 16; // indexed by the top 4 bits of the hash
    static constexpr size_t kSlots = 8192;
    static constexpr size_t kMask = kSlots - 1;
    static constexpr size_t kMaxEntries = kSlots / 2;
    static constexpr size_t kMaxPieceBytes = 256;
    struct Slot {
        uint64_t hash = 0; // the piece's hash | 1, so that 0 means empty
        uint32_t key_off, key_len, val_off, val_len;
    };
    struct Shard {
        std::mutex mu;
        std::vector<Slot> slots;
        std::string keys;
        std::vector<int32_t> values;
        size_t used = 0;
    };
    std::array<Shard, kShards> shards_;
};

// One merge rule as a file spells it, with where it came from for messages.
struct MergeText {
    std::string left, right;
    std::string where; // "line 7" or "model.merges[5]"
};

// Everything the file formats share once their text is parsed: the vocabulary
// as (token text, id) and the merges in rank order.
struct RawTokenizer {
    std::string vocab_file;  // for messages about the vocabulary
    std::string merges_file; // for messages about the merges
    std::vector<std::pair<std::string, int64_t>> vocab;
    std::vector<MergeText> merges;
    // tokenizer.json's added_tokens as (content, id): such a token stands
    // for its content as written, never for byte-level text.
    std::vector<std::pair<std::string, int64_t>> added;
    bool ignore_merges = false;
    // Tokens are in GPT-2's byte-level alphabet (a ByteLevel pre-tokenizer);
    // otherwise they are text, and BPE starts from characters.
    bool byte_level = true;
    // GPT-2's vocab.json + merges.txt must have every byte and <|endoftext|>.
    bool gpt2_files = true;
    bool byte_fallback = false;
    bool fuse_unk = false;
    std::optional<std::string> unk_token;
    std::string source;
};

// The per-token text the decoders make (tokenizer.json's "decoder").
struct DecodeStep {
    enum class Kind { ByteLevel, Replace, ByteFallback } kind;
    std::string pattern, content; // Replace (a plain string)
};

} // namespace

struct Tokenizer::Impl {
    std::vector<std::string> tokens; // id -> bytes
    // The tokens that BPE of their own bytes gives back as themselves: a
    // pre-token found here is that one token, with no BPE and no cache lock.
    // Nearly every common word is one, but not every token: a lower-ranked
    // merge can take a token's characters before the merge that made it.
    TokenIndex whole;
    MergeTable merges;
    TokenIndex all; // every token by its model text
    std::array<int32_t, 256> byte_ids{}; // -1: the vocabulary lacks the byte
    int32_t eot_id = -1;
    std::string source;
    mutable PieceCache cache;

    // The model. byte_level: pieces are bytes, each byte one initial symbol;
    // simple_bytes: and every byte has its token (no unknowns to handle).
    bool is_byte_level = true;
    bool simple_bytes = true;
    bool byte_fallback = false;
    bool fuse_unk = false;
    int32_t unk_id = -1;
    std::array<int32_t, 256> fallback_ids{}; // <0xNN>, -1 when missing
    std::unique_ptr<SentencePieceModel> spm; // instead of the BPE above

    // What runs around the model. fast_gpt2: GPT-2's pipeline exactly, so
    // encode_text's scanner does all of it.
    bool fast_gpt2 = true;
    std::vector<tokpipe::Normalizer> normalizers;
    std::vector<tokpipe::PreTokenizer> pre_tokenizers;
    std::vector<tokpipe::AddedToken> added;
    std::vector<size_t> added_raw, added_normalized; // indices into added
    std::vector<int32_t> prefix, suffix;             // the template around the text
    std::vector<std::string> text;                   // id -> running text, when unlike tokens
    std::optional<int32_t> bos;
    std::vector<int32_t> eos;

    void bpe(std::string_view piece, std::vector<int32_t>& out) const;
    void bpe_short(int32_t* ids, size_t n, std::vector<int32_t>& out) const;
    void bpe_long(const int32_t* init, size_t n, std::vector<int32_t>& out) const;
    void initial_symbols(std::string_view piece, std::vector<int32_t>& ids) const;
    void encode_piece(std::string_view piece, const TokenIndex::Key& key, std::vector<int32_t>& out) const;
    void encode_text(std::string_view text, std::vector<int32_t>& out) const;
    void encode_model_segment(std::string segment, bool first, std::vector<int32_t>& out) const;
    void encode_all(std::string_view text, bool split_special, std::vector<int32_t>& out) const;
    // Settles the added tokens, the template and the end tokens once the
    // vocabulary is built, with tokenizer_config.json's say.
    void finish(const nlohmann::json& config, const std::string& file);
    // vocab.json + merges.txt: <|endoftext|> is GPT-2's one special token.
    void add_gpt2_special();

    static std::unique_ptr<Impl> build(const RawTokenizer& raw);
};

namespace {

// Short pieces take the quadratic scan over a small array, which beats a heap
// for a word; long ones (runs of symbols, random text) take the heap.
constexpr size_t kShortPiece = 64;

} // namespace

void Tokenizer::Impl::bpe(std::string_view piece, std::vector<int32_t>& out) const {
    if (simple_bytes) {
        if (piece.size() <= kShortPiece) {
            int32_t ids[kShortPiece];
            for (size_t i = 0; i < piece.size(); ++i) ids[i] = byte_ids[static_cast<unsigned char>(piece[i])];
            bpe_short(ids, piece.size(), out);
        } else {
            std::vector<int32_t> ids(piece.size());
            for (size_t i = 0; i < piece.size(); ++i) ids[i] = byte_ids[static_cast<unsigned char>(piece[i])];
            bpe_long(ids.data(), ids.size(), out);
        }
        return;
    }
    std::vector<int32_t> ids;
    initial_symbols(piece, ids);
    if (ids.size() <= kShortPiece)
        bpe_short(ids.data(), ids.size(), out);
    else
        bpe_long(ids.data(), ids.size(), out);
}

// Hugging Face's BPE::merge_word: each character (each byte, when
// byte-level) is its token; one the vocabulary lacks becomes its <0xNN>
// tokens with byte_fallback, else the unknown token (consecutive ones fused
// with fuse_unk), else nothing.
void Tokenizer::Impl::initial_symbols(std::string_view piece, std::vector<int32_t>& ids) const {
    bool last_unk = false;
    for (size_t pos = 0; pos < piece.size();) {
        size_t len = 1;
        int32_t id;
        if (is_byte_level) {
            id = byte_ids[static_cast<unsigned char>(piece[pos])];
        } else {
            if (static_cast<unsigned char>(piece[pos]) >= 0x80) len = utf8::decode(piece, pos).length;
            id = all.find(piece.substr(pos, len));
        }
        const std::string_view ch = piece.substr(pos, len);
        pos += len;
        if (id >= 0) {
            ids.push_back(id);
            last_unk = false;
            continue;
        }
        if (byte_fallback) {
            bool have = true;
            for (char c : ch) have &= fallback_ids[static_cast<unsigned char>(c)] >= 0;
            if (have) {
                for (char c : ch) ids.push_back(fallback_ids[static_cast<unsigned char>(c)]);
                last_unk = false;
                continue;
            }
        }
        if (unk_id >= 0) {
            if (!(fuse_unk && last_unk)) ids.push_back(unk_id);
            last_unk = true;
        }
    }
}

void Tokenizer::Impl::bpe_short(int32_t* ids, size_t n, std::vector<int32_t>& out) const {
    Merge pair[kShortPiece]; // pair[i]: the merge of ids[i] and ids[i + 1]
    for (size_t i = 0; i + 1 < n; ++i) pair[i] = merges.find(ids[i], ids[i + 1]);

    while (n > 1) {
        size_t best = 0;
        for (size_t i = 1; i + 1 < n; ++i)
            if (pair[i].rank < pair[best].rank) best = i;
        if (pair[best].rank == kNoRank) break;
        ids[best] = pair[best].merged;
        std::copy(ids + best + 2, ids + n, ids + best + 1);
        std::copy(pair + best + 1, pair + n - 1, pair + best);
        --n;
        if (best > 0) pair[best - 1] = merges.find(ids[best - 1], ids[best]);
        if (best + 1 < n) pair[best] = merges.find(ids[best], ids[best + 1]);
    }
    out.insert(out.end(), ids, ids + n);
}

void Tokenizer::Impl::bpe_long(const int32_t* init, size_t count, std::vector<int32_t>& out) const {
    struct Symbol {
        int32_t id; // -1 once merged into its left neighbour
        int32_t prev, next;
    };
    const auto n = static_cast<int32_t>(count);
    if (n == 0) return;
    std::vector<Symbol> syms(n);
    for (int32_t i = 0; i < n; ++i) syms[i] = {init[i], i - 1, i + 1 < n ? i + 1 : -1};

    // Min-heap on (rank, position of the left symbol): lowest rank first, and
    // of equal ranks (the same pair) the leftmost, exactly as Hugging Face.
    std::vector<uint64_t> heap;
    heap.reserve(n);
    const auto push = [&](int32_t left) {
        const int32_t right = syms[left].next;
        if (right < 0) return;
        const Merge m = merges.find(syms[left].id, syms[right].id);
        if (m.rank == kNoRank) return;
        heap.push_back(static_cast<uint64_t>(m.rank) << 32 | static_cast<uint32_t>(left));
        std::push_heap(heap.begin(), heap.end(), std::greater<>{});
    };
    for (int32_t i = 0; i + 1 < n; ++i) push(i);

    while (!heap.empty()) {
        std::pop_heap(heap.begin(), heap.end(), std::greater<>{});
        const uint64_t top = heap.back();
        heap.pop_back();
        const auto left = static_cast<int32_t>(top & 0xFFFFFFFFu);
        const auto rank = static_cast<uint32_t>(top >> 32);
        if (syms[left].id < 0) continue;
        const int32_t right = syms[left].next;
        if (right < 0) continue;
        // Entries go stale when a neighbour merged after they were pushed;
        // a rank names one pair, so an unchanged rank means an unchanged pair.
        const Merge m = merges.find(syms[left].id, syms[right].id);
        if (m.rank != rank) continue;

        syms[left].id = m.merged;
        syms[right].id = -1;
        syms[left].next = syms[right].next;
        if (syms[right].next >= 0) syms[syms[right].next].prev = left;
        if (syms[left].prev >= 0) push(syms[left].prev);
        push(left);
    }
    for (int32_t i = 0; i >= 0; i = syms[i].next) out.push_back(syms[i].id);
}

void Tokenizer::Impl::encode_piece(std::string_view piece, const TokenIndex::Key& key,
                                   std::vector<int32_t>& out) const {
    if (piece.size() == 1 && simple_bytes) {
        out.push_back(byte_ids[static_cast<unsigned char>(piece[0])]);
        return;
    }
    if (const int32_t id = whole.find(piece, key); id >= 0) {
        out.push_back(id);
        return;
    }
    const uint64_t h = hash_bytes(piece);
    if (cache.lookup(piece, h, out)) return;
    const size_t before = out.size();
    bpe(piece, out);
    cache.insert(piece, h, out.data() + before, out.size() - before);
}

void Tokenizer::Impl::encode_text(std::string_view text, std::vector<int32_t>& out) const {
    if (text.empty()) return;
    // One pre-token ahead: its slot in `whole` is being fetched while the
    // current one is looked up.
    size_t pos = 0, end = pretoken_end(text, 0);
    TokenIndex::Key key = TokenIndex::pack(text.substr(0, end));
    whole.prefetch(key);
    while (true) {
        const std::string_view piece = text.substr(pos, end - pos);
        if (end == text.size()) {
            encode_piece(piece, key, out);
            return;
        }
        const size_t next_end = pretoken_end(text, end);
        const TokenIndex::Key next_key = TokenIndex::pack(text.substr(end, next_end - end));
        whole.prefetch(next_key);
        encode_piece(piece, key, out);
        pos = end;
        end = next_end;
        key = next_key;
    }
}

namespace {

// what: where in the file the vocabulary is, for messages ("" for the whole file).
void read_vocab_object(const nlohmann::json& j, const std::string& file, const std::string& what, RawTokenizer& raw) {
    if (!j.is_object()) throw FileError(file, what + "is not a JSON object mapping tokens to ids");
    raw.vocab.reserve(j.size());
    for (const auto& [text, value] : j.items()) {
        // The parser stores every non-negative whole number as unsigned.
        if (!value.is_number_unsigned())
            throw FileError(file, "token " + shown(text) + " has id " +
                                      value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) +
                                      ", expected a whole number >= 0");
        raw.vocab.emplace_back(text, static_cast<int64_t>(std::min<uint64_t>(value.get<uint64_t>(), INT64_MAX)));
    }
}

} // namespace

std::unique_ptr<Tokenizer::Impl> Tokenizer::Impl::build(const RawTokenizer& raw) {
    const ByteLevel& bl = byte_level();
    auto impl = std::make_unique<Tokenizer::Impl>();
    impl->source = raw.source;

    // Ids must be 0..n-1, each used once; with more ids than entries one is
    // necessarily missing, so the bound also stops a huge id from allocating.
    std::unordered_set<std::string> added_texts;
    for (const auto& [content, id] : raw.added) added_texts.insert(content);
    const size_t count = raw.vocab.size();
    std::vector<int64_t> extra_added; // added tokens that the vocabulary lacks
    size_t total = count;
    {
        std::unordered_map<int64_t, size_t> in_vocab;
        for (size_t i = 0; i < count; ++i) in_vocab.emplace(raw.vocab[i].second, i);
        for (size_t i = 0; i < raw.added.size(); ++i) {
            const auto& [content, id] = raw.added[i];
            const auto it = in_vocab.find(id);
            if (it == in_vocab.end()) {
                extra_added.push_back(static_cast<int64_t>(i));
                ++total;
            } else if (raw.vocab[it->second].first != content) {
                throw FileError(raw.vocab_file, "added token " + shown(content) + " has id " + std::to_string(id) +
                                                    ", which the vocabulary gives to " +
                                                    shown(raw.vocab[it->second].first));
            }
        }
    }
    impl->tokens.assign(total, std::string());
    std::vector<const std::string*> owner(total, nullptr);
    const auto place = [&](const std::string& file, const std::string& text, int64_t id, std::string bytes) {
        if (id >= static_cast<int64_t>(total))
            throw FileError(file, "ids are not contiguous: token " + shown(text) + " has id " + std::to_string(id) +
                                      " but there are only " + std::to_string(total) + " tokens");
        if (owner[id])
            throw FileError(file, "id " + std::to_string(id) + " is used twice, by " + shown(*owner[id]) + " and " +
                                      shown(text));
        owner[id] = &text;
        impl->tokens[id] = std::move(bytes);
    };
    for (const auto& [text, id] : raw.vocab) {
        // An added token stands for its text as written, like Hugging Face
        // decodes it; every other token is byte-level.
        std::optional<std::string> bytes;
        if (added_texts.count(text) || !raw.byte_level)
            bytes = text;
        else
            bytes = bl.to_bytes(text);
        if (!bytes)
            throw FileError(raw.vocab_file, "token " + shown(text) + " (id " + std::to_string(id) +
                                                ") is not in GPT-2's byte-level alphabet");
        place(raw.vocab_file, text, id, std::move(*bytes));
    }
    for (int64_t i : extra_added) {
        const auto& [content, id] = raw.added[i];
        if (id < 0) throw FileError(raw.vocab_file, "added token " + shown(content) + " has a negative id");
        place(raw.vocab_file, content, id, content);
    }
    for (size_t id = 0; id < total; ++id)
        if (!owner[id])
            throw FileError(raw.vocab_file, "ids are not contiguous: no token has id " + std::to_string(id) + " (" +
                                                std::to_string(total) + " tokens)");

    std::vector<int32_t> all_ids(total);
    for (size_t id = 0; id < total; ++id) all_ids[id] = static_cast<int32_t>(id);
    TokenIndex& index = impl->all;
    index.build(impl->tokens, all_ids);
    for (size_t id = 0; id < total; ++id)
        if (const int32_t first = index.find(impl->tokens[id]); first != static_cast<int32_t>(id))
            throw FileError(raw.vocab_file, "tokens " + shown(*owner[first]) + " and " + shown(*owner[id]) +
                                                " stand for the same bytes");
    impl->is_byte_level = raw.byte_level;
    impl->simple_bytes = raw.byte_level;
    impl->byte_fallback = raw.byte_fallback;
    impl->fuse_unk = raw.fuse_unk;
    if (raw.unk_token) {
        impl->unk_id = index.find(*raw.unk_token);
        if (impl->unk_id < 0)
            throw FileError(raw.vocab_file, "the unknown token " + shown(*raw.unk_token) + " is not in the vocabulary");
    }
    for (int b = 0; b < 256; ++b) {
        char hex_token[8];
        std::snprintf(hex_token, sizeof hex_token, "<0x%02X>", b);
        impl->fallback_ids[b] = index.find(hex_token);
    }
    for (int b = 0; b < 256 && raw.byte_level; ++b) {
        const int32_t id = index.find(std::string(1, static_cast<char>(b)));
        impl->byte_ids[b] = id;
        if (id < 0) impl->simple_bytes = false;
        if (id < 0 && raw.gpt2_files) {
            std::string cp;
            utf8::append(cp, bl.byte_to_cp[b]);
            char hex[8];
            std::snprintf(hex, sizeof hex, "0x%02X", b);
            throw FileError(raw.vocab_file, std::string("has no token for the byte ") + hex + " (" + shown(cp) +
                                                "), which every byte-level vocabulary needs");
        }
    }
    impl->eot_id = index.find(kEndOfText);
    if (impl->eot_id < 0 && raw.gpt2_files) throw FileError(raw.vocab_file, "has no <|endoftext|> token");

    impl->merges.reserve(raw.merges.size());
    const auto token_id = [&](const MergeText& m, const std::string& text) {
        const std::optional<std::string> bytes = raw.byte_level ? bl.to_bytes(text) : std::optional(text);
        const int32_t id = bytes ? index.find(*bytes) : -1;
        if (id < 0) throw FileError(raw.merges_file, m.where + ": " + shown(text) + " is not in the vocabulary");
        return id;
    };
    for (size_t rank = 0; rank < raw.merges.size(); ++rank) {
        const MergeText& m = raw.merges[rank];
        const int32_t left = token_id(m, m.left);
        const int32_t right = token_id(m, m.right);
        const int32_t merged = index.find(impl->tokens[left] + impl->tokens[right]);
        if (merged < 0)
            throw FileError(raw.merges_file, m.where + ": merging " + shown(m.left) + " and " + shown(m.right) +
                                                 " gives a token that is not in the vocabulary");
        impl->merges.insert(left, right, {static_cast<uint32_t>(rank), merged});
    }

    if (raw.ignore_merges) {
        // Hugging Face's ignore_merges: a pre-token that is a token is taken
        // as it is, whatever BPE would make of it.
        impl->whole.build(impl->tokens, all_ids);
    } else {
        std::vector<int32_t> whole_ids, ids;
        for (size_t id = 0; id < total; ++id) {
            ids.clear();
            impl->bpe(impl->tokens[id], ids);
            if (ids.size() == 1 && ids[0] == static_cast<int32_t>(id)) whole_ids.push_back(ids[0]);
        }
        impl->whole.build(impl->tokens, whole_ids);
    }
    return impl;
}

namespace {

// "left right" -> (left, right); nothing unless exactly two non-empty tokens.
std::optional<std::pair<std::string, std::string>> split_merge(std::string_view line) {
    const size_t space = line.find(' ');
    if (space == std::string_view::npos || space == 0 || space + 1 == line.size() ||
        line.find(' ', space + 1) != std::string_view::npos)
        return std::nullopt;
    return std::pair{std::string(line.substr(0, space)), std::string(line.substr(space + 1))};
}

// merges.txt: an optional "#version" line, then one "left right" per line.
// Blank lines carry no rule and are skipped (a trailing one is common).
std::vector<MergeText> parse_merges_txt(std::string_view text, const std::string& file) {
    std::vector<MergeText> out;
    out.reserve(text.size() / 8);
    size_t line_no = 0;
    for (size_t pos = 0; pos < text.size();) {
        size_t end = text.find('\n', pos);
        if (end == std::string::npos) end = text.size();
        std::string_view line(text.data() + pos, end - pos);
        pos = end + 1;
        ++line_no;
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (line.empty() || line.rfind("#version", 0) == 0) continue;
        auto pair = split_merge(line);
        if (!pair)
            throw FileError(file, "line " + std::to_string(line_no) +
                                      ": expected two tokens separated by one space, found " + shown(line));
        out.push_back({std::move(pair->first), std::move(pair->second), "line " + std::to_string(line_no)});
    }
    return out;
}

} // namespace

Tokenizer::Tokenizer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Tokenizer::Tokenizer(Tokenizer&&) noexcept = default;
Tokenizer& Tokenizer::operator=(Tokenizer&&) noexcept = default;
Tokenizer::~Tokenizer() = default;

namespace {

RawTokenizer with_vocab(const nlohmann::json& vocab_json, const std::string& vocab_name,
                        const std::string& merges_name) {
    RawTokenizer raw;
    raw.vocab_file = vocab_name;
    raw.merges_file = merges_name;
    raw.source = raw.vocab_file + " and " + raw.merges_file;
    read_vocab_object(vocab_json, raw.vocab_file, "", raw);
    return raw;
}

} // namespace

void Tokenizer::Impl::add_gpt2_special() {
    added.push_back({std::string(kEndOfText), eot_id, true, false, false, false, false});
    added_raw.push_back(0);
    eos.push_back(eot_id);
}

Tokenizer Tokenizer::from_files(const std::filesystem::path& vocab_json, const std::filesystem::path& merges_txt) {
    RawTokenizer raw = with_vocab(read_json_file(vocab_json), vocab_json.string(), merges_txt.string());
    raw.merges = parse_merges_txt(read_file(merges_txt), raw.merges_file);
    std::unique_ptr<Impl> impl = Impl::build(raw);
    impl->add_gpt2_special();
    return Tokenizer(std::move(impl));
}

Tokenizer Tokenizer::from_texts(std::string_view vocab_json, std::string_view merges_txt,
                                const std::string& vocab_name, const std::string& merges_name) {
    RawTokenizer raw = with_vocab(parse_json_text(vocab_json, vocab_name), vocab_name, merges_name);
    raw.merges = parse_merges_txt(merges_txt, raw.merges_file);
    std::unique_ptr<Impl> impl = Impl::build(raw);
    impl->add_gpt2_special();
    return Tokenizer(std::move(impl));
}

namespace {

using tokpipe::AddedToken;
using tokpipe::Normalizer;
using tokpipe::PreTokenizer;

// GPT-2's split as a Split pre-tokenizer writes it (and ByteLevel's use_regex).
constexpr std::string_view kGpt2Pattern =
    "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";

// What a tokenizer.json (and a tokenizer_config.json beside it) says around
// its model, read before the model is built.
struct JsonPipeline {
    std::vector<Normalizer> normalizers;
    std::vector<PreTokenizer> pre;
    std::vector<AddedToken> added;
    std::vector<std::string> prefix, suffix; // the template's special tokens, by name
    std::map<std::string, std::vector<int64_t>> special_ids;
    std::vector<DecodeStep> decoders;
};

[[noreturn]] void unsupported(const std::string& file, const std::string& what, const std::string& type) {
    throw FileError(file, what + " type \"" + type + "\" is not supported");
}

std::string type_of(const nlohmann::json& j, const std::string& file, const std::string& what) {
    if (!j.is_object() || !j.contains("type") || !j["type"].is_string())
        throw FileError(file, what + " has no \"type\"");
    return j["type"].get<std::string>();
}

tokpipe::Pattern read_pattern(const nlohmann::json& j, const std::string& file, const std::string& what) {
    tokpipe::Pattern p;
    if (j.is_object() && j.contains("String") && j["String"].is_string()) {
        p.literal = j["String"].get<std::string>();
    } else if (j.is_object() && j.contains("Regex") && j["Regex"].is_string()) {
        p.regex = std::make_shared<tokpipe::Regex>(j["Regex"].get<std::string>(), file, what);
        p.literal = j["Regex"].get<std::string>(); // kept to recognise GPT-2's pattern
    } else {
        throw FileError(file, what + ".pattern is neither {\"String\": ...} nor {\"Regex\": ...}");
    }
    return p;
}

void read_normalizer(const nlohmann::json& j, const std::string& file, std::vector<Normalizer>& out) {
    if (j.is_null()) return;
    const std::string type = type_of(j, file, "normalizer");
    if (type == "Sequence") {
        for (const auto& n : j.at("normalizers")) read_normalizer(n, file, out);
    } else if (type == "NFC") {
        out.push_back({Normalizer::Kind::NFC, {}, {}});
    } else if (type == "Prepend") {
        out.push_back({Normalizer::Kind::Prepend, j.at("prepend").get<std::string>(), {}});
    } else if (type == "Replace") {
        out.push_back({Normalizer::Kind::Replace, j.at("content").get<std::string>(),
                       read_pattern(j.at("pattern"), file, "normalizer Replace")});
    } else {
        unsupported(file, "normalizer", type);
    }
}

tokpipe::Behavior read_behavior(const nlohmann::json& j, const std::string& file) {
    const std::string b = j.is_string() ? j.get<std::string>() : "";
    if (b == "Removed") return tokpipe::Behavior::Removed;
    if (b == "Isolated") return tokpipe::Behavior::Isolated;
    if (b == "MergedWithPrevious") return tokpipe::Behavior::MergedWithPrevious;
    if (b == "MergedWithNext") return tokpipe::Behavior::MergedWithNext;
    if (b == "Contiguous") return tokpipe::Behavior::Contiguous;
    throw FileError(file, "pre_tokenizer Split behavior " + j.dump() + " is not supported");
}

void read_pre_tokenizer(const nlohmann::json& j, const std::string& file, std::vector<PreTokenizer>& out) {
    if (j.is_null()) return;
    const std::string type = type_of(j, file, "pre_tokenizer");
    PreTokenizer p;
    if (type == "Sequence") {
        for (const auto& n : j.at("pretokenizers")) read_pre_tokenizer(n, file, out);
        return;
    } else if (type == "Split") {
        p.kind = PreTokenizer::Kind::Split;
        p.pattern = read_pattern(j.at("pattern"), file, "pre_tokenizer Split");
        p.behavior = read_behavior(j.at("behavior"), file);
        p.invert = j.value("invert", false);
    } else if (type == "ByteLevel") {
        p.kind = PreTokenizer::Kind::ByteLevel;
        // tokenizers requires the field; files that lack it mean GPT-2's.
        p.add_prefix_space = j.value("add_prefix_space", false);
        p.use_regex = j.value("use_regex", true);
    } else if (type == "Digits") {
        p.kind = PreTokenizer::Kind::Digits;
        p.individual_digits = j.value("individual_digits", false);
    } else if (type == "Metaspace") {
        p.kind = PreTokenizer::Kind::Metaspace;
        p.replacement = j.value("replacement", std::string("\xE2\x96\x81"));
        if (utf8::decode(p.replacement, 0).length != p.replacement.size() || p.replacement.empty())
            throw FileError(file, "pre_tokenizer Metaspace replacement must be one character");
        std::string scheme = j.value("prepend_scheme", std::string());
        if (scheme.empty()) scheme = j.value("add_prefix_space", true) ? "always" : "never";
        if (scheme == "always")
            p.prepend = tokpipe::PrependScheme::Always;
        else if (scheme == "first")
            p.prepend = tokpipe::PrependScheme::First;
        else if (scheme == "never")
            p.prepend = tokpipe::PrependScheme::Never;
        else
            throw FileError(file, "pre_tokenizer Metaspace prepend_scheme \"" + scheme + "\" is not supported");
        p.split = j.value("split", true);
    } else {
        unsupported(file, "pre_tokenizer", type);
    }
    out.push_back(std::move(p));
}

void read_post_processor(const nlohmann::json& j, const std::string& file, JsonPipeline& pl) {
    if (j.is_null()) return;
    const std::string type = type_of(j, file, "post_processor");
    if (type == "Sequence") {
        for (const auto& n : j.at("processors")) read_post_processor(n, file, pl);
    } else if (type == "ByteLevel") {
        // Only trims offsets, which Fabula does not report.
    } else if (type == "TemplateProcessing") {
        bool seen_a = false;
        for (const auto& item : j.at("single")) {
            if (item.contains("SpecialToken")) {
                (seen_a ? pl.suffix : pl.prefix).push_back(item["SpecialToken"].at("id").get<std::string>());
            } else if (item.contains("Sequence")) {
                if (item["Sequence"].at("id") != "A")
                    throw FileError(file, "post_processor TemplateProcessing: a single sequence is $A");
                seen_a = true;
            } else {
                throw FileError(file, "post_processor TemplateProcessing: unexpected item " + item.dump());
            }
        }
        for (const auto& [name, st] : j.at("special_tokens").items())
            pl.special_ids[name] = st.at("ids").get<std::vector<int64_t>>();
    } else {
        unsupported(file, "post_processor", type);
    }
}

void read_decoder(const nlohmann::json& j, const std::string& file, JsonPipeline& pl) {
    if (j.is_null()) return;
    const std::string type = type_of(j, file, "decoder");
    if (type == "Sequence") {
        for (const auto& n : j.at("decoders")) read_decoder(n, file, pl);
    } else if (type == "ByteLevel") {
        pl.decoders.push_back({DecodeStep::Kind::ByteLevel, {}, {}});
    } else if (type == "ByteFallback") {
        pl.decoders.push_back({DecodeStep::Kind::ByteFallback, {}, {}});
    } else if (type == "Metaspace") {
        pl.decoders.push_back(
            {DecodeStep::Kind::Replace, j.value("replacement", std::string("\xE2\x96\x81")), " "});
    } else if (type == "Replace") {
        const auto& pat = j.at("pattern");
        if (!pat.contains("String")) throw FileError(file, "decoder Replace with a regex pattern is not supported");
        pl.decoders.push_back({DecodeStep::Kind::Replace, pat["String"].get<std::string>(),
                               j.at("content").get<std::string>()});
    } else if (type == "Fuse" || type == "Strip") {
        // Fuse joins the tokens' texts, which concatenation does anyway; Strip
        // takes the first space of the whole text, which Fabula keeps (decode).
    } else {
        unsupported(file, "decoder", type);
    }
}

RawTokenizer read_tokenizer_json(const nlohmann::json& j, const std::string& file, JsonPipeline& pl) {
    RawTokenizer raw;
    raw.vocab_file = raw.merges_file = raw.source = file;
    raw.gpt2_files = false;
    if (!j.is_object()) throw FileError(file, "is not a JSON object");

    if (const auto n = j.find("normalizer"); n != j.end()) read_normalizer(*n, file, pl.normalizers);
    if (const auto p = j.find("pre_tokenizer"); p != j.end()) read_pre_tokenizer(*p, file, pl.pre);
    if (const auto p = j.find("post_processor"); p != j.end()) read_post_processor(*p, file, pl);
    if (const auto d = j.find("decoder"); d != j.end()) read_decoder(*d, file, pl);
    raw.byte_level = std::any_of(pl.pre.begin(), pl.pre.end(),
                                 [](const PreTokenizer& p) { return p.kind == PreTokenizer::Kind::ByteLevel; });

    const auto model = j.find("model");
    if (model == j.end() || !model->is_object()) throw FileError(file, "has no \"model\" object");
    if (const auto type = model->find("type"); type != model->end() && *type != "BPE")
        throw FileError(file, "model.type is " + type->dump() + ", expected \"BPE\"");
    const auto vocab = model->find("vocab");
    if (vocab == model->end()) throw FileError(file, "has no model.vocab");
    read_vocab_object(*vocab, file, "model.vocab ", raw);
    if (const auto im = model->find("ignore_merges"); im != model->end() && im->is_boolean())
        raw.ignore_merges = im->get<bool>();
    if (const auto v = model->find("byte_fallback"); v != model->end() && v->is_boolean())
        raw.byte_fallback = v->get<bool>();
    if (const auto v = model->find("fuse_unk"); v != model->end() && v->is_boolean()) raw.fuse_unk = v->get<bool>();
    if (const auto v = model->find("unk_token"); v != model->end() && v->is_string()) raw.unk_token = v->get<std::string>();
    if (const auto v = model->find("dropout"); v != model->end() && !v->is_null() && v->get<double>() != 0.0)
        throw FileError(file, "model.dropout is not supported (it makes tokenization random)");
    for (const char* key : {"continuing_subword_prefix", "end_of_word_suffix"})
        if (const auto v = model->find(key); v != model->end() && !v->is_null() && *v != "")
            throw FileError(file, std::string("model.") + key + " is not supported");

    const auto merges = model->find("merges");
    if (merges == model->end() || !merges->is_array()) throw FileError(file, "model.merges is missing or not a list");
    raw.merges.reserve(merges->size());
    for (size_t i = 0; i < merges->size(); ++i) {
        const nlohmann::json& m = (*merges)[i];
        const std::string where = "model.merges[" + std::to_string(i) + "]";
        // Either "left right" or, in newer files, ["left", "right"].
        if (m.is_string()) {
            auto pair = split_merge(m.get_ref<const std::string&>());
            if (!pair)
                throw FileError(file, where + ": expected two tokens separated by one space, found " +
                                          shown(m.get_ref<const std::string&>()));
            raw.merges.push_back({std::move(pair->first), std::move(pair->second), where});
        } else if (m.is_array() && m.size() == 2 && m[0].is_string() && m[1].is_string()) {
            raw.merges.push_back({m[0].get<std::string>(), m[1].get<std::string>(), where});
        } else {
            throw FileError(file, where + ": expected \"left right\" or [\"left\", \"right\"]");
        }
    }

    if (const auto added = j.find("added_tokens"); added != j.end() && !added->is_null()) {
        if (!added->is_array()) throw FileError(file, "added_tokens is not a list");
        for (size_t i = 0; i < added->size(); ++i) {
            const nlohmann::json& t = (*added)[i];
            if (!t.is_object() || !t.contains("id") || !t["id"].is_number_integer() || !t.contains("content") ||
                !t["content"].is_string())
                throw FileError(file, "added_tokens[" + std::to_string(i) +
                                          "] lacks an integer id or a content string");
            raw.added.emplace_back(t["content"].get<std::string>(), t["id"].get<int64_t>());
            AddedToken a;
            a.content = t["content"].get<std::string>();
            a.id = static_cast<int32_t>(std::clamp<int64_t>(t["id"].get<int64_t>(), -1, INT32_MAX));
            a.special = t.value("special", false);
            a.lstrip = t.value("lstrip", false);
            a.rstrip = t.value("rstrip", false);
            a.single_word = t.value("single_word", false);
            a.normalized = t.value("normalized", !a.special);
            pl.added.push_back(std::move(a));
        }
    }
    return raw;
}

// A token named in tokenizer_config.json: "<s>" or {"content": "<s>", ...}.
std::optional<std::string> config_token(const nlohmann::json& config, const char* key) {
    const auto it = config.find(key);
    if (it == config.end()) return std::nullopt;
    if (it->is_string()) return it->get<std::string>();
    if (it->is_object() && it->contains("content") && (*it)["content"].is_string())
        return (*it)["content"].get<std::string>();
    return std::nullopt;
}

std::optional<bool> config_flag(const nlohmann::json& config, const char* key) {
    const auto it = config.find(key);
    if (it == config.end() || !it->is_boolean()) return std::nullopt;
    return it->get<bool>();
}

bool is_gpt2_pre_tokenizer(const std::vector<PreTokenizer>& pre) {
    const auto plain_byte_level = [](const PreTokenizer& p, bool regex) {
        return p.kind == PreTokenizer::Kind::ByteLevel && !p.add_prefix_space && p.use_regex == regex;
    };
    if (pre.size() == 1) return plain_byte_level(pre[0], true);
    return pre.size() == 2 && pre[0].kind == PreTokenizer::Kind::Split && pre[0].pattern.regex &&
           pre[0].pattern.literal == kGpt2Pattern && pre[0].behavior == tokpipe::Behavior::Isolated &&
           !pre[0].invert && plain_byte_level(pre[1], false);
}

// End-of-sequence tokens of widely used vocabularies, for a tokenizer.json
// without a tokenizer_config.json that names its own.
bool is_known_eos(std::string_view s) {
    return s == "<|endoftext|>" || s == "</s>" || s == "<|end_of_text|>" || s == "<|im_end|>" || s == "<|eot_id|>";
}

} // namespace

Tokenizer Tokenizer::from_tokenizer_json(const std::filesystem::path& tokenizer_json) {
    return from_tokenizer_json_text(read_file(tokenizer_json), tokenizer_json.string());
}

Tokenizer Tokenizer::from_tokenizer_json_text(std::string_view text, const std::string& file) {
    return from_tokenizer_json_text(text, file, {}, {});
}

Tokenizer Tokenizer::from_tokenizer_json_text(std::string_view text, const std::string& file,
                                              std::string_view config_text, const std::string& config_name) {
    const nlohmann::json j = parse_json_text(text, file);
    const nlohmann::json config = config_text.empty() ? nlohmann::json::object()
                                                      : parse_json_text(config_text, config_name);
    RawTokenizer raw;
    JsonPipeline pl;
    try {
        raw = read_tokenizer_json(j, file, pl);
    } catch (const nlohmann::json::exception& e) {
        // A field of the wrong JSON type that the checks above did not foresee.
        throw FileError(file, std::string("unexpected structure: ") + e.what());
    }
    std::unique_ptr<Impl> impl = Impl::build(raw);
    impl->normalizers = std::move(pl.normalizers);
    impl->pre_tokenizers = std::move(pl.pre);
    impl->added = std::move(pl.added);
    impl->fast_gpt2 = impl->simple_bytes && impl->normalizers.empty() && is_gpt2_pre_tokenizer(impl->pre_tokenizers);

    const auto template_ids = [&](const std::vector<std::string>& names, std::vector<int32_t>& out) {
        for (const std::string& name : names) {
            const auto it = pl.special_ids.find(name);
            if (it == pl.special_ids.end())
                throw FileError(file, "post_processor TemplateProcessing names " + shown(name) +
                                          ", which its special_tokens lack");
            for (int64_t id : it->second) {
                if (id < 0 || id >= static_cast<int64_t>(impl->tokens.size()))
                    throw FileError(file, "post_processor TemplateProcessing: " + shown(name) + " has id " +
                                              std::to_string(id) + ", which is not in the vocabulary");
                out.push_back(static_cast<int32_t>(id));
            }
        }
    };
    template_ids(pl.prefix, impl->prefix);
    template_ids(pl.suffix, impl->suffix);

    // Running text of each token (the decoders), unless it is the model's own.
    if (!impl->is_byte_level && !pl.decoders.empty()) {
        const ByteLevel& bl = byte_level();
        impl->text = impl->tokens;
        for (size_t id = 0; id < impl->text.size(); ++id) {
            std::string& t = impl->text[id];
            for (const DecodeStep& d : pl.decoders) {
                switch (d.kind) {
                case DecodeStep::Kind::ByteLevel:
                    if (auto bytes = bl.to_bytes(t)) t = std::move(*bytes);
                    break;
                case DecodeStep::Kind::Replace:
                    t = replaced(t, d.pattern, d.content);
                    break;
                case DecodeStep::Kind::ByteFallback:
                    if (t.size() == 6 && t.compare(0, 3, "<0x") == 0 && t[5] == '>' && std::isxdigit(t[3]) &&
                        std::isxdigit(t[4]))
                        t = std::string(1, static_cast<char>(std::stoi(t.substr(3, 2), nullptr, 16)));
                    break;
                }
            }
        }
    }
    try {
        impl->finish(config, file);
    } catch (const nlohmann::json::exception& e) {
        throw FileError(config_name, std::string("unexpected structure: ") + e.what());
    }
    return Tokenizer(std::move(impl));
}

void Tokenizer::Impl::finish(const nlohmann::json& config, const std::string& file) {
    Impl& impl = *this;
    const auto id_of = [&](const std::string& content) -> int32_t {
        for (const AddedToken& a : impl.added)
            if (a.content == content) return a.id;
        return impl.all.find(content);
    };
    // transformers 5: explicit add_bos_token/add_eos_token replace the
    // template with [bos] $A [eos] (TokenizersBackend.update_post_processor).
    const auto add_bos = config_flag(config, "add_bos_token"), add_eos = config_flag(config, "add_eos_token");
    const auto bos_name = config_token(config, "bos_token"), eos_name = config_token(config, "eos_token");
    if (add_bos || add_eos) {
        impl.prefix.clear();
        impl.suffix.clear();
        if (add_bos.value_or(false) && bos_name && id_of(*bos_name) >= 0) impl.prefix.push_back(id_of(*bos_name));
        if (add_eos.value_or(false) && eos_name && id_of(*eos_name) >= 0) impl.suffix.push_back(id_of(*eos_name));
    }
    if (bos_name && id_of(*bos_name) >= 0)
        impl.bos = id_of(*bos_name);
    else if (!impl.prefix.empty())
        impl.bos = impl.prefix.front();
    const auto add_eos_id = [&](int32_t id) {
        if (id >= 0 && std::find(impl.eos.begin(), impl.eos.end(), id) == impl.eos.end()) impl.eos.push_back(id);
    };
    if (eos_name) add_eos_id(id_of(*eos_name));
    for (int32_t id : impl.suffix) add_eos_id(id);
    for (const AddedToken& a : impl.added)
        if (a.special && is_known_eos(a.content)) add_eos_id(a.id);
    if (impl.eos.empty() && impl.eot_id >= 0) add_eos_id(impl.eot_id);
    if (!impl.eos.empty()) impl.eot_id = impl.eos.front();

    for (size_t i = 0; i < impl.added.size(); ++i) {
        const AddedToken& a = impl.added[i];
        if (a.id < 0 || a.id >= static_cast<int32_t>(impl.tokens.size()))
            throw FileError(file, "added token " + shown(a.content) + " has id " + std::to_string(a.id) +
                                      ", which is not in the vocabulary");
        if (!impl.text.empty()) impl.text[a.id] = a.content;
        (a.normalized && !impl.normalizers.empty() ? impl.added_normalized : impl.added_raw).push_back(i);
    }
}

Tokenizer Tokenizer::from_sentencepiece(const std::filesystem::path& model_file,
                                        const std::filesystem::path& config_file) {
    std::error_code ec;
    nlohmann::json config = nlohmann::json::object();
    const bool has_config = std::filesystem::exists(config_file, ec);
    if (has_config) config = read_json_file(config_file);
    const std::string config_name = config_file.string();
    if (!config.is_object()) throw FileError(config_name, "is not a JSON object");
    // transformers builds every Llama-family folder with LlamaTokenizer; other
    // classes convert a tokenizer.model differently.
    if (const auto cls = config.find("tokenizer_class"); cls != config.end() && cls->is_string()) {
        const std::string c = cls->get<std::string>();
        if (c != "LlamaTokenizer" && c != "LlamaTokenizerFast")
            throw FileError(config_name, "tokenizer_class \"" + c +
                                             "\" with only a tokenizer.model is not supported (LlamaTokenizer is)");
    }

    auto impl = std::make_unique<Impl>();
    impl->spm = SentencePieceModel::load(model_file);
    impl->source = model_file.string() + (has_config ? " and " + config_name : "");
    impl->fast_gpt2 = false;
    impl->is_byte_level = impl->simple_bytes = false;
    const auto& pieces = impl->spm->pieces();
    impl->tokens.reserve(pieces.size());
    impl->text.reserve(pieces.size());
    using Type = SentencePieceModel::Type;
    for (const auto& p : pieces) {
        impl->tokens.push_back(p.text);
        std::string t = p.text;
        if (p.type == Type::Byte && t.size() == 6 && std::isxdigit(t[3]) && std::isxdigit(t[4])) {
            t = std::string(1, static_cast<char>(std::stoi(t.substr(3, 2), nullptr, 16)));
        } else if (p.type == Type::Normal || p.type == Type::UserDefined || p.type == Type::Unused) {
            t = replaced(t, "\xE2\x96\x81", " ");
        }
        impl->text.push_back(std::move(t));
    }

    // The added tokens as LlamaTokenizer has them: <unk>, <s>, </s> (the
    // named special tokens), the model's control and user-defined pieces,
    // and tokenizer_config.json's added_tokens_decoder.
    const auto add = [&](AddedToken a) {
        for (const AddedToken& b : impl->added)
            if (b.content == a.content) return;
        if (a.content.empty() || a.id < 0) return;
        if (a.id >= static_cast<int32_t>(impl->tokens.size())) {
            impl->tokens.resize(a.id + 1);
            impl->text.resize(a.id + 1);
        }
        impl->tokens[a.id] = impl->text[a.id] = a.content;
        impl->added.push_back(std::move(a));
    };
    try {
        if (const auto dec = config.find("added_tokens_decoder"); dec != config.end() && dec->is_object()) {
            for (const auto& [key, t] : dec->items()) {
                AddedToken a;
                a.id = std::stoi(key);
                a.content = t.at("content").get<std::string>();
                a.special = t.value("special", false);
                a.lstrip = t.value("lstrip", false);
                a.rstrip = t.value("rstrip", false);
                a.single_word = t.value("single_word", false);
                a.normalized = false; // there is no normalizer
                add(std::move(a));
            }
        }
    } catch (const std::exception& e) {
        throw FileError(config_name, std::string("added_tokens_decoder: unexpected structure: ") + e.what());
    }
    const auto piece_id = [&](const std::optional<std::string>& name, int32_t fallback) {
        if (name)
            for (size_t i = 0; i < pieces.size(); ++i)
                if (pieces[i].text == *name) return static_cast<int32_t>(i);
        return name ? -1 : fallback;
    };
    const int32_t unk = piece_id(config_token(config, "unk_token"), impl->spm->unk_id());
    const int32_t bos = piece_id(config_token(config, "bos_token"), impl->spm->bos_id());
    const int32_t eos = piece_id(config_token(config, "eos_token"), impl->spm->eos_id());
    for (int32_t id : {unk, bos, eos})
        if (id >= 0) add({pieces[id].text, id, true, false, false, false, false});
    for (size_t i = 0; i < pieces.size(); ++i)
        if (pieces[i].type == Type::Control || pieces[i].type == Type::UserDefined)
            add({pieces[i].text, static_cast<int32_t>(i), pieces[i].type == Type::Control, false, false, false, false});
    for (size_t i = 0; i < impl->added.size(); ++i) impl->added_raw.push_back(i);

    // LlamaTokenizer: Metaspace without splitting; "always" for legacy
    // tokenizers (every segment after an added token gets its ▁), "first"
    // otherwise, "never" with add_prefix_space false. legacy defaults to false.
    PreTokenizer meta;
    meta.kind = PreTokenizer::Kind::Metaspace;
    meta.split = false;
    const bool legacy = config_flag(config, "legacy").value_or(false);
    if (!config_flag(config, "add_prefix_space").value_or(true))
        meta.prepend = tokpipe::PrependScheme::Never;
    else
        meta.prepend = legacy ? tokpipe::PrependScheme::Always : tokpipe::PrependScheme::First;
    impl->pre_tokenizers.push_back(meta);

    // add_bos_token/add_eos_token absent: not added (TokenizersBackend's default).
    if (config_flag(config, "add_bos_token").value_or(false) && bos >= 0) impl->prefix.push_back(bos);
    if (config_flag(config, "add_eos_token").value_or(false) && eos >= 0) impl->suffix.push_back(eos);
    if (bos >= 0) impl->bos = bos;
    if (eos >= 0) impl->eos.push_back(eos);
    impl->eot_id = eos;
    return Tokenizer(std::move(impl));
}

Tokenizer Tokenizer::from_dir(const std::filesystem::path& dir) {
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec))
        throw FileError(dir.string(), std::filesystem::exists(dir, ec) ? "is not a folder" : "folder not found");
    const auto vocab = dir / "vocab.json", merges = dir / "merges.txt", json = dir / "tokenizer.json";
    const auto config = dir / "tokenizer_config.json", model = dir / "tokenizer.model";
    const bool has_vocab = std::filesystem::exists(vocab, ec), has_merges = std::filesystem::exists(merges, ec);
    if (std::filesystem::exists(json, ec)) {
        const bool has_config = std::filesystem::exists(config, ec);
        return from_tokenizer_json_text(read_file(json), json.string(), has_config ? read_file(config) : "",
                                        config.string());
    }
    if (has_vocab && has_merges) return from_files(vocab, merges);
    // Half a pair: let from_files name the missing file.
    if (has_vocab || has_merges) return from_files(vocab, merges);
    if (std::filesystem::exists(model, ec)) return from_sentencepiece(model, config);
    throw FileError(dir.string(),
                    "holds no tokenizer: expected tokenizer.json, vocab.json and merges.txt, or tokenizer.model");
}

void Tokenizer::Impl::encode_model_segment(std::string segment, bool first, std::vector<int32_t>& out) const {
    std::vector<std::string> pieces;
    tokpipe::pre_tokenize(pre_tokenizers, std::move(segment), first, pieces);
    for (const std::string& p : pieces) {
        if (spm)
            spm->encode(p, out);
        else
            encode_piece(p, TokenIndex::pack(p), out);
    }
}

void Tokenizer::Impl::encode_all(std::string_view text, bool split_special, std::vector<int32_t>& out) const {
    for (const tokpipe::Segment& seg : tokpipe::split_added(text, added, added_raw, !split_special)) {
        if (seg.token >= 0) {
            out.push_back(added[seg.token].id);
            continue;
        }
        const std::string_view part = text.substr(seg.begin, seg.end - seg.begin);
        if (fast_gpt2) {
            encode_text(part, out);
            continue;
        }
        const bool first = seg.begin == 0;
        if (normalizers.empty()) {
            encode_model_segment(std::string(part), first, out);
            continue;
        }
        const std::string norm = tokpipe::normalize(normalizers, part);
        for (const tokpipe::Segment& sub : tokpipe::split_added(norm, added, added_normalized, !split_special)) {
            if (sub.token >= 0)
                out.push_back(added[sub.token].id);
            else
                encode_model_segment(norm.substr(sub.begin, sub.end - sub.begin), first && sub.begin == 0, out);
        }
    }
}

std::vector<int32_t> Tokenizer::encode(std::string_view text, EndOfText eot) const {
    std::vector<int32_t> out;
    // GPT-2 averages a bit over 4 bytes of English per token.
    out.reserve(text.size() / 4 + 16);
    impl_->encode_all(text, eot == EndOfText::Special, out);
    return out;
}

std::vector<int32_t> Tokenizer::encode_with_specials(std::string_view text, EndOfText eot) const {
    std::vector<int32_t> out(impl_->prefix);
    out.reserve(text.size() / 4 + 16 + impl_->suffix.size());
    impl_->encode_all(text, eot == EndOfText::Special, out);
    out.insert(out.end(), impl_->suffix.begin(), impl_->suffix.end());
    return out;
}

const std::string& Tokenizer::token_bytes(int32_t id) const {
    if (id < 0 || static_cast<size_t>(id) >= impl_->tokens.size())
        throw std::out_of_range("token id " + std::to_string(id) + " is outside the vocabulary (0.." +
                                std::to_string(impl_->tokens.size() - 1) + ")");
    return impl_->text.empty() ? impl_->tokens[id] : impl_->text[id];
}

std::string Tokenizer::decode(std::span<const int32_t> ids) const {
    size_t size = 0;
    for (int32_t id : ids) size += token_bytes(id).size();
    std::string out;
    out.reserve(size);
    for (int32_t id : ids) out += token_bytes(id);
    return out;
}

int32_t Tokenizer::vocab_size() const { return static_cast<int32_t>(impl_->tokens.size()); }
int32_t Tokenizer::end_of_text_id() const { return impl_->eot_id; }
std::optional<int32_t> Tokenizer::bos_id() const { return impl_->bos; }
bool Tokenizer::adds_bos() const { return impl_->bos && !impl_->prefix.empty() && impl_->prefix.front() == *impl_->bos; }
std::vector<int32_t> Tokenizer::eos_ids() const {
    if (!impl_->eos.empty()) return impl_->eos;
    if (impl_->eot_id >= 0) return {impl_->eot_id};
    return {};
}
std::string Tokenizer::source() const { return impl_->source; }

std::string StreamingDecoder::push(int32_t id) {
    pending_ += tokenizer_->token_bytes(id);
    std::string out;
    const size_t used = utf8::append_sanitized(pending_, out, /*final=*/false);
    pending_.erase(0, used);
    return out;
}

std::string StreamingDecoder::flush() {
    std::string out;
    utf8::append_sanitized(pending_, out, /*final=*/true);
    pending_.clear();
    return out;
}

} // namespace fabula
